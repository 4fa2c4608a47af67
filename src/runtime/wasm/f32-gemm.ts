/**
 * The fp32 GEMM of kernels/f32/gemm.ts from TypeScript, with sgemm's contract (row-major, leading
 * dimensions, transposes, C = alpha·op(A)·op(B) + beta·C). Each output is a float32 sum in k order
 * (f32x4 lanes), where the TypeScript sgemm sums in float64 and rounds once: results differ in the
 * last bits, within the bound test/runtime/wasm/f32-gemm.test.ts states (|error| ≤ γ_k·Σ|a||b|,
 * γ_k = k·u/(1 − k·u), u = 2^−24, plus one rounding of the result).
 */
import type { WasmArena } from './arena.ts';
import type { WasmBackend } from './backend.ts';
import { backendFor, lineTasks, panelTasks, phases, runTasks } from './parallel.ts';
import type { KernelTask } from './threads/pool.ts';

export const F32_MR = 4;
export const F32_NR = 8;

const roundUp = (value: number, step: number): number => Math.ceil(value / step) * step;

/** Copies the elements a row-major view of rows × cols with leading dimension ld reads; returns the address of (0, 0). */
export function copyMatrix(arena: WasmArena, data: Float32Array, rows: number, cols: number, ld: number): number {
  return arena.copyIn(data.subarray(0, (rows - 1) * ld + cols));
}

/** An operand's panels in the arena, and the tasks that pack them (threads split them: ./parallel.ts). */
export interface PlacedF32 {
  readonly panels: number;
  readonly tasks: readonly KernelTask[];
}

/** Places op(A) (m × k) as 4-row panels in the arena (lines of A: runs of whole panels per task). */
export function placeF32Rows(backend: WasmBackend, a: Float32Array, trans: boolean, m: number, k: number, lda: number): PlacedF32 {
  const { arena } = backend;
  const src = trans ? copyMatrix(arena, a, k, m, lda) : copyMatrix(arena, a, m, k, lda);
  const panels = arena.alloc(roundUp(m, F32_MR) * k * 4);
  const [lineStride, stepStride] = trans ? [1, lda] : [lda, 1];
  const tasks = lineTasks(backend, 'f32Pack', m, F32_MR, k, (first, lines) => [src + first * lineStride * 4, lineStride, stepStride, lines, k, F32_MR, panels + first * k * 4]);
  return { panels, tasks };
}

/** Places op(B) (k × n) as 8-column panels in the arena. */
export function placeF32Columns(backend: WasmBackend, b: Float32Array, trans: boolean, k: number, n: number, ldb: number): PlacedF32 {
  const { arena } = backend;
  const src = trans ? copyMatrix(arena, b, n, k, ldb) : copyMatrix(arena, b, k, n, ldb);
  const panels = arena.alloc(roundUp(n, F32_NR) * k * 4);
  // column j's panel starts at panels + (j / 8)·k·32 = panels + j·k·4 for j a multiple of 8
  const tasks = trans
    ? lineTasks(backend, 'f32Pack', n, F32_NR, k, (first, lines) => [src + first * ldb * 4, ldb, 1, lines, k, F32_NR, panels + first * k * 4])
    : lineTasks(backend, 'f32PackColumns', n, F32_NR, k, (first, lines) => [src + first * 4, ldb, lines, k, panels + first * k * 4]);
  return { panels, tasks };
}

/** Packs op(A) (m × k) into 4-row panels in the arena now; returns their address. */
export function packF32Rows(backend: WasmBackend, a: Float32Array, trans: boolean, m: number, k: number, lda: number): number {
  const { panels, tasks } = placeF32Rows(backend, a, trans, m, k, lda);
  runTasks(backend, tasks);
  return panels;
}

/**
 * Multiplies packed panels in the arena into an out block of whole tiles (its address and row
 * stride returned): out = alpha·A·B (+ beta·out when beta ≠ 0: the caller filled it) + rowBias[i]
 * (an address of m floats, or 0). `packing`: tasks that write the panels, run first in the same
 * job (one wake-up of the workers).
 */
export function f32GemmPacked(backend: WasmBackend, m: number, n: number, k: number, pa: number, pb: number, options: { alpha: number; beta: number; rowBias: number; out?: number; packing?: readonly KernelTask[] }): { out: number; ld: number } {
  const { arena } = backend;
  const mPad = roundUp(m, F32_MR);
  const nPad = roundUp(n, F32_NR);
  const out = options.out ?? arena.alloc(mPad * nPad * 4);
  const block = arena.alloc(20);
  const f = new Float32Array(arena.memory.buffer, block, 2);
  f[0] = options.alpha;
  f[1] = options.beta;
  const fields = arena.int32(block + 8, 3);
  fields[0] = options.rowBias;
  fields[1] = out;
  fields[2] = nPad;
  const rowPanels = mPad / F32_MR;
  const colPanels = nPad / F32_NR;
  const tiles = panelTasks(backend, 'f32Gemm', [pa, pb, k, 0, rowPanels, 0, colPanels, block], colPanels >= rowPanels ? 5 : 3, m * n * k);
  runTasks(backend, phases(options.packing ?? [], tiles));
  return { out, ld: nPad };
}

/** sgemm (src/runtime/kernels/float/sgemm.ts) in wasm: C[m×n] = alpha·op(A)·op(B) + beta·C, arguments already checked. */
export function wasmSgemm(shared: WasmBackend, transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, a: Float32Array, lda: number, b: Float32Array, ldb: number, beta: number, c: Float32Array, ldc: number): void {
  const backend = backendFor(shared, m * n * k);
  const { arena } = backend;
  const mark = arena.mark();
  try {
    const pa = placeF32Rows(backend, a, transA, m, k, lda);
    const pb = placeF32Columns(backend, b, transB, k, n, ldb);
    const nPad = roundUp(n, F32_NR);
    const out = arena.alloc(roundUp(m, F32_MR) * nPad * 4);
    if (beta !== 0) {
      const view = arena.float32(out, m * nPad);
      for (let i = 0; i < m; i++) view.set(c.subarray(i * ldc, i * ldc + n), i * nPad);
    }
    f32GemmPacked(backend, m, n, k, pa.panels, pb.panels, { alpha, beta, rowBias: 0, out, packing: [...pa.tasks, ...pb.tasks] });
    const result = arena.float32(out, m * nPad);
    if (ldc === n && nPad === n) c.set(result.subarray(0, m * n));
    else for (let i = 0; i < m; i++) c.set(result.subarray(i * nPad, i * nPad + n), i * ldc);
  } finally {
    arena.release(mark);
  }
}
