/**
 * The int4-weight GEMM (kernels/int4/): 8-bit activations × 4-bit weights held two per byte in
 * the kernels' memory and unpacked in registers, same outputs as the int8 GEMM on the unpacked
 * weights (src/runtime/wasm/int8-gemm.ts). quantkit holds int4 unpacked (one per byte,
 * docs/QUANTIZATION.md eq. (21)); the nibble panels are built once per weight matrix.
 *
 * Weights enter as w + 8 ∈ [0, 15]: unsigned nibbles that unpack with a mask and a shift, and
 * the operand relaxed SIMD's i8 × i7 dot needs in [0, 127]. The offsets come back as integer
 * terms of the epilogue (−8·Σ a per row; with relaxed SIMD uint8 activations enter as x − 128,
 * which adds 128·Σ w per column), so results equal the int8 kernels bit for bit.
 *
 * Whether packed int4 pays off (docs/BENCHMARKS.md): when the weights stream from memory — a
 * matrix–vector product, M = 1 — the panels are a quarter of the int8 kernel's i16 panels; when
 * the product is compute-bound the unpacking (a mask, a shift, four widenings per 16 bytes) adds
 * to the ALU work the dot_i16x8 kernel is already bound by; relaxed SIMD, where the engine runs
 * it correctly, multiplies 16 nibbles per instruction instead of 8 i16 pairs.
 */
import type { MatrixView } from '../kernels/integer/igemm.ts';
import type { WasmBackend } from './backend.ts';
import { MR, NR, runGemm, type Int8GemmProblem, type PlacedOperand } from './int8-gemm.ts';

const roundUp = (value: number, step: number): number => Math.ceil(value / step) * step;

/** 4-bit weights (k × n, values in [−8, 7]) packed as nibble panels for one kernel layout. */
export interface Int4PackedWeights {
  readonly panels: Uint8Array;
  /** Column sums Σ_p w[p, j] (padded to whole panels). */
  readonly sums: Int32Array;
  readonly k: number;
  readonly n: number;
  /** 'pairs' for the dot_i16x8 kernel, 'quads' for the relaxed one. */
  readonly layout: 'pairs' | 'quads';
}

/**
 * Packs the k × n weights of `view` (values in [−8, 7]) for the kernel the backend runs: per
 * k-quad and 8-column panel 16 bytes; 'pairs': byte i holds (k-pair 2q, element i) low and
 * (k-pair 2q + 1, element i) high, element i = column ⌊i/2⌋, k parity i mod 2; 'quads': byte i
 * holds column ⌊i/4⌋ low and column 4 + ⌊i/4⌋ high, k = 4q + i mod 4. Padding nibbles are 8 (w = 0).
 */
export function packInt4Weights(view: MatrixView, k: number, n: number, layout: 'pairs' | 'quads'): Int4PackedWeights {
  const quads = Math.ceil(k / 4);
  const panels = new Uint8Array(Math.ceil(n / NR) * quads * 16);
  const sums = new Int32Array(roundUp(n, NR));
  const at = (p: number, j: number): number => (p < k && j < n ? view.data[view.offset + p * view.rowStride + j * view.colStride] : 0);
  for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) sums[j] += at(p, j);
  for (let panel = 0; panel < panels.length / (quads * 16); panel++) {
    for (let q = 0; q < quads; q++) {
      for (let i = 0; i < 16; i++) {
        const j0 = panel * NR;
        const [lo, hi] = layout === 'pairs' ? [at(4 * q + (i & 1), j0 + (i >> 1)), at(4 * q + 2 + (i & 1), j0 + (i >> 1))] : [at(4 * q + (i & 3), j0 + (i >> 2)), at(4 * q + (i & 3), j0 + 4 + (i >> 2))];
        panels[(panel * quads + q) * 16 + i] = (lo + 8) | ((hi + 8) << 4);
      }
    }
  }
  return { panels, sums, k, n, layout };
}

/** The layout the backend's int4 kernel reads. */
export function int4Layout(backend: WasmBackend): 'pairs' | 'quads' {
  return backend.relaxed ? 'quads' : 'pairs';
}

/** A dense row-major copy of the m × k activations `view` with rows padded with zeros to `depth`. */
function denseRows(view: MatrixView, m: number, k: number, depth: number): Int8Array | Uint8Array {
  const out = view.data instanceof Uint8Array ? new Uint8Array(m * depth) : new Int8Array(m * depth);
  for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) out[i * depth + p] = view.data[view.offset + i * view.rowStride + p * view.colStride];
  return out;
}

/**
 * The int4-weight GEMM of `problem` with A a view of 8-bit activations and B packed by
 * packInt4Weights in the backend's layout (problem.b is ignored). eqs. (10)–(13), (18a)
 */
export function int4Gemm(backend: WasmBackend, problem: Omit<Int8GemmProblem, 'a' | 'b'> & { readonly a: MatrixView }, weights: Int4PackedWeights): void {
  const { m, n, k } = problem;
  if (m === 0 || n === 0) return;
  const relaxed = weights.layout === 'quads';
  if (relaxed && !backend.relaxed) throw new Error('int4Gemm: quad-packed weights need the relaxed-SIMD backend');
  const { arena, exports } = backend;
  const mark = arena.mark();
  try {
    const quads = Math.ceil(k / 4);
    const depth = quads * 4;
    const view = problem.a;
    const dense = view.colStride === 1 && (k === depth || relaxed) ? view : { data: denseRows(view, m, k, depth), offset: 0, rowStride: depth, colStride: 1 };
    const unsigned = dense.data instanceof Uint8Array ? 1 : 0;
    const src = arena.copyIn(dense.data.subarray(dense.offset, dense.offset + (m - 1) * dense.rowStride + (relaxed ? k : depth)));
    const panels = arena.alloc(roundUp(m, MR) * quads * 16);
    const sums = arena.zeros(roundUp(m, MR) * 4);
    if (relaxed) exports.int8PackQuads(src, dense.rowStride, m, k, unsigned, panels, sums);
    else exports.int8PackLines(src, dense.rowStride, m, depth, MR, unsigned, panels, sums);
    const stored = arena.int32(sums, m).slice();
    // true row sums of x: the stored bytes are x − 128 for uint8 under relaxed SIMD
    const shift = relaxed && unsigned ? 128 : 0;
    const rowSums = arena.int32(sums, m);
    for (let i = 0; i < m; i++) rowSums[i] = (stored[i] + Math.imul(shift, k)) | 0;
    const a: PlacedOperand = { panels, sums };
    const b: PlacedOperand = { panels: arena.copyIn(weights.panels), sums: arena.copyIn(weights.sums) };
    // Σ x·w = Σ a'·(w + 8) − 8·Σ a' + shift·Σ w
    const rowExtra = Int32Array.from(stored, (s) => Math.imul(-8, s));
    const colExtra = shift === 0 ? undefined : Int32Array.from(weights.sums.subarray(0, n), (s) => Math.imul(shift, s));
    runGemm(backend, { kernel: relaxed ? 'int4GemmRelaxed' : 'int4Gemm', steps: quads, a, b, rowExtra, colExtra }, { ...problem, a: { placed: a }, b: { placed: b } });
  } finally {
    arena.release(mark);
  }
}
