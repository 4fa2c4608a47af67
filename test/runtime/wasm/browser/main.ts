// The page of browser.test.ts: the wasm kernels on a browser's main thread, alone and with Web
// Workers (./../../../../src/runtime/wasm/threads/web-pool.ts); the result goes to
// <html data-result>, for the test to compare.
import { sgemm } from '../../../../src/runtime/kernels/float/sgemm.ts';
import { igemm } from '../../../../src/runtime/kernels/integer/igemm.ts';
import { wasmKernels, wasmStatus } from '../../../../src/runtime/wasm/index.ts';
import { int4Gemm, int4Layout, packInt4Weights } from '../../../../src/runtime/wasm/int4-gemm.ts';
import { startWebKernelThreads, stopWebKernelThreads } from '../../../../src/runtime/wasm/threads/web-pool.ts';

/** A product large enough to split, on seeded operands; FNV-1a hashes of the results. */
function run(): { int8: number; fp32: number } {
  let seed = 1;
  const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const [m, n, k] = [200, 190, 170];
  const a = Uint8Array.from({ length: m * k }, () => Math.floor(next() * 256));
  const b = Int8Array.from({ length: k * n }, () => Math.floor(next() * 256) - 128);
  const c = new Int32Array(m * n);
  igemm(m, n, k, { data: a, offset: 0, rowStride: k, colStride: 1 }, [3], { data: b, offset: 0, rowStride: n, colStride: 1 }, [0], c);
  const f = new Float32Array(m * n);
  sgemm(false, false, m, n, k, 1, Float32Array.from(a, (v) => v / 255), k, Float32Array.from(b, (v) => v / 127), n, 0, f, n);
  const hash = (bytes: Uint8Array): number => bytes.reduce((h, v) => Math.imul(h ^ v, 16777619) >>> 0, 2166136261);
  return { int8: hash(new Uint8Array(c.buffer)), fp32: hash(new Uint8Array(f.buffer)) };
}

/** The int4 GEMM in the backend's layout (quads: relaxed SIMD) against igemm on the same int4 values. */
function int4Matches(): boolean {
  const [m, n, k] = [37, 45, 70];
  const a = Uint8Array.from({ length: m * k }, (_, i) => (i * 37) % 256);
  const w = Int8Array.from({ length: k * n }, (_, i) => ((i * 11) % 16) - 8);
  const view = { data: w, offset: 0, rowStride: n, colStride: 1 };
  const want = new Int32Array(m * n);
  igemm(m, n, k, { data: a, offset: 0, rowStride: k, colStride: 1 }, [5], view, [0], want);
  const backend = wasmKernels()!;
  const got = new Int32Array(m * n);
  int4Gemm(backend, { m, n, k, a: { data: a, offset: 0, rowStride: k, colStride: 1 }, aZero: [5], bZero: [0], target: { kind: 'int32', c: got, offset: 0, ld: n } }, packInt4Weights(view, k, n, int4Layout(backend)));
  return got.every((v, i) => v === want[i]);
}

async function main(): Promise<unknown> {
  const single = run();
  const int4 = int4Matches();
  const before = wasmStatus();
  const status = await startWebKernelThreads(2);
  const split = run();
  await stopWebKernelThreads();
  return { crossOriginIsolated, before, status, single, split, after: wasmStatus(), int4Matches: int4 };
}

main().then(
  (result) => (document.documentElement.dataset.result = JSON.stringify(result)),
  (error: unknown) => (document.documentElement.dataset.result = JSON.stringify({ error: String(error) })),
);
