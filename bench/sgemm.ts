// Micro-benchmark: GFLOP/s of the blocked sgemm against a naive triple loop (run with
// `npx tsx bench/sgemm.ts`). Timing lives here, never in tests. The variants are timed in
// alternation, best of several rounds each, so that load from other processes hits them alike.
import { sgemm } from '../src/runtime/kernels/float/sgemm.ts';
import { seededRandom } from '../src/numeric/rounding.ts';

function naive(m: number, n: number, k: number, a: Float32Array, b: Float32Array, c: Float32Array): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += a[i * k + p] * b[p * n + j];
      c[i * n + j] = sum;
    }
  }
}

function randomMatrix(size: number, random: () => number): Float32Array {
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = random() * 2 - 1;
  return out;
}

function time(run: () => void): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

const random = seededRandom(1);
for (const size of [256, 512]) {
  const a = randomMatrix(size * size, random);
  const b = randomMatrix(size * size, random);
  const c = new Float32Array(size * size);
  const variants: Record<string, () => void> = {
    blocked: () => sgemm(false, false, size, size, size, 1, a, size, b, size, 0, c, size),
    'blocked AᵀBᵀ': () => sgemm(true, true, size, size, size, 1, a, size, b, size, 0, c, size),
    naive: () => naive(size, size, size, a, b, c),
  };
  const best: Record<string, number> = {};
  for (const [name, run] of Object.entries(variants)) {
    run(); // warm-up: lets the JIT compile before timing
    best[name] = Infinity;
  }
  for (let round = 0; round < 5; round++) {
    for (const [name, run] of Object.entries(variants)) best[name] = Math.min(best[name], time(run));
  }
  const gflops = (name: string): number => (2 * size ** 3) / (best[name] * 1e6);
  console.log(
    `${size}³  blocked ${gflops('blocked').toFixed(2)} GFLOP/s (AᵀBᵀ ${gflops('blocked AᵀBᵀ').toFixed(2)})  naive ${gflops('naive').toFixed(2)} GFLOP/s  speed-up ×${(gflops('blocked') / gflops('naive')).toFixed(1)}`,
  );
}
