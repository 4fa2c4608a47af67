/**
 * The int8 GEMM of kernels/int8/gemm.ts from TypeScript: C = Σ_p (A[i, p] − zA[i])·(B[p, j] − zB[j])
 * (docs/QUANTIZATION.md eqs. (10)–(11)), plus an optional int32 bias per row or per column
 * (eq. (13)), written as int32 or through the output stage into 8-bit integers (eq. (18a)) — one
 * wasm call, the zero-point corrections and requantization applied while each tile is in registers.
 *
 * Operands are 8-bit matrix views (any strides) packed here, or operands packed once by
 * `packOperand` (constant weights): panels of 4 rows (A) or 8 columns (B), k-pairs widened to
 * i16, with their line sums (kernels/README.md). Outputs equal the TypeScript integer kernels
 * bit for bit: the same integers modulo 2^32, the same output stage.
 */
import type { OutputStage, QuantizedOutput } from '../../quant/output-stage.ts';
import type { IntegerArray, MatrixView } from '../kernels/integer/igemm.ts';
import type { WasmArena } from './arena.ts';
import type { WasmBackend } from './backend.ts';
import { stageArrays } from './output-stage.ts';
import { backendFor, lineTasks, panelTasks, phases, runTasks } from './parallel.ts';
import type { KernelTask } from './threads/pool.ts';

/** Rows of an A panel and columns of a B panel (kernels/int8/gemm.ts). */
export const MR = 4;
export const NR = 8;

/** An operand packed in the wasm layout, held in JavaScript memory between calls. */
export interface WasmPackedOperand {
  /** The panels, as the bytes kernels/int8/pack.ts writes. */
  readonly panels: Uint8Array;
  /** Line sums (rows of A, columns of B), int32 wrapping, padded to whole panels with zeros. */
  readonly sums: Int32Array;
  readonly count: number;
  readonly depth: number;
  /** MR for rows of A, NR for columns of B. */
  readonly width: number;
}

/** Which lines a packed operand holds: rows of A or columns of B. */
export type PackRole = 'rows' | 'columns';

const roundUp = (value: number, step: number): number => Math.ceil(value / step) * step;

/** Bytes of the panels of `count` lines of depth `depth`, `width` per panel. */
function panelBytes(count: number, depth: number, width: number): number {
  return roundUp(count, width) * Math.ceil(depth / 2) * 4;
}

/** Copies the part of `data` a view over `rows` × `cols` reads into the arena; returns the address of element (0, 0). */
function copyView(arena: WasmArena, view: MatrixView, rows: number, cols: number): number {
  const last = view.offset + (rows - 1) * view.rowStride + (cols - 1) * view.colStride;
  const data = view.data.subarray(view.offset, last + 1);
  return arena.copyIn(data);
}

/**
 * Places `count` lines of depth `depth` of `view` (rows of an A, or columns of a B) in the arena
 * and returns the addresses its panels and sums will have once `tasks` (the packing) have run.
 */
function packView(backend: WasmBackend, view: MatrixView, role: PackRole, count: number, depth: number): PendingOperand {
  const { arena } = backend;
  const width = role === 'rows' ? MR : NR;
  const [rows, cols] = role === 'rows' ? [count, depth] : [depth, count];
  const lineStride = role === 'rows' ? view.rowStride : view.colStride;
  const stepStride = role === 'rows' ? view.colStride : view.rowStride;
  const unsigned = view.data instanceof Uint8Array ? 1 : 0;
  const src = copyView(arena, view, rows, cols);
  const panels = arena.alloc(panelBytes(count, depth, width));
  const sums = arena.zeros(roundUp(count, width) * 4);
  // lines [first, first + lines) start at src + first·lineStride, their panels at panel first/width
  const panelStride = Math.ceil(depth / 2) * 4 * width;
  const at = (first: number): [number, number, number] => [src + first * lineStride, panels + (first / width) * panelStride, sums + first * 4];
  let tasks: KernelTask[];
  if (stepStride === 1) {
    tasks = lineTasks(backend, 'int8PackLines', count, width, depth, (first, lines) => {
      const [s, p, q] = at(first);
      return [s, lineStride, lines, depth, width, unsigned, p, q];
    });
  } else if (role === 'columns' && lineStride === 1) {
    tasks = lineTasks(backend, 'int8PackColumns', count, width, depth, (first, lines) => {
      const [s, p, q] = at(first);
      return [s, stepStride, lines, depth, unsigned, p, q];
    });
  } else {
    tasks = lineTasks(backend, 'int8PackStrided', count, width, depth, (first, lines) => {
      const [s, p, q] = at(first);
      return [s, lineStride, stepStride, lines, depth, width, unsigned, p, q];
    });
  }
  return { placed: { panels, sums }, tasks };
}

/** Packs an operand once (e.g. constant weights) into JavaScript memory, for `int8Gemm` calls to copy in. */
export function packOperand(backend: WasmBackend, view: MatrixView, role: PackRole, count: number, depth: number): WasmPackedOperand {
  const { arena } = backend;
  const mark = arena.mark();
  try {
    const width = role === 'rows' ? MR : NR;
    const { placed: at, tasks } = packView(backend, view, role, count, depth);
    runTasks(backend, tasks);
    return {
      panels: arena.bytes(at.panels, panelBytes(count, depth, width)).slice(),
      sums: arena.int32(at.sums, roundUp(count, width)).slice(),
      count,
      depth,
      width,
    };
  } finally {
    arena.release(mark);
  }
}

/** Panels and sums already in the arena (e.g. written by the im2col packers). */
export interface PlacedOperand {
  readonly panels: number;
  readonly sums: number;
}

/**
 * An operand: a view to pack now, one packed by packOperand, or one in the arena — already, or
 * once `packing` has run (tasks that write it, e.g. the im2col packers; they run in the GEMM's
 * job before its tiles).
 */
export type Int8Operand = { readonly view: MatrixView } | { readonly packed: WasmPackedOperand } | { readonly placed: PlacedOperand; readonly packing?: readonly KernelTask[] };

/** Where the int32 results go: c[offset + i·ld + j]. */
export interface Int32Target {
  readonly kind: 'int32';
  readonly c: Int32Array;
  readonly offset: number;
  readonly ld: number;
}

/** Where the requantized results go: y[offset + i·ld + j], channels along rows or columns (or one per tensor). */
export interface QuantizedTarget {
  readonly kind: 'quantized';
  readonly stage: OutputStage;
  readonly axis: 'rows' | 'columns';
  /** The stage channel of row 0 (axis rows) or column 0 (axis columns). */
  readonly channel0: number;
  readonly y: QuantizedOutput;
  readonly offset: number;
  readonly ld: number;
  /**
   * Copies the results out instead of y[offset + i·ld + j]: given the address of the m × n
   * block of bytes in the arena and its row stride (a convolution over a padded grid keeps only
   * some columns).
   */
  readonly extract?: (out: number, ld: number) => void;
}

export interface Int8GemmProblem {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly a: Int8Operand;
  readonly b: Int8Operand;
  /** zA: one, or one per row. */
  readonly aZero: ArrayLike<number>;
  /** zB: one, or one per column. */
  readonly bZero: ArrayLike<number>;
  /** int32 bias per row, from rowBias.offset on. */
  readonly rowBias?: { readonly data: Int32Array; readonly offset: number };
  /** int32 bias per column (n values). */
  readonly colBias?: Int32Array;
  readonly target: Int32Target | QuantizedTarget;
}

// Epilogue block offsets (i32 fields), as kernels/int8/gemm.ts reads them.
const E = { mode: 0, rowAdj: 1, rowZero: 2, colZero: 3, colSum: 4, rowBias: 5, colBias: 6, axis: 7, stage: 8, channels: 9, zeroPoint: 10, qmin: 11, qmax: 12, out: 13, ldo: 14 } as const;
const EPILOGUE_FIELDS = 15;

/** Whether the 8-bit wasm output can hold `y` (8-bit storage: int8/uint8 and the 4-bit types held unpacked). */
export function isByteOutput(y: QuantizedOutput): y is Int8Array | Uint8Array {
  return y instanceof Int8Array || y instanceof Uint8Array;
}

/** An operand placed in the arena, and the packing tasks still to run for it. */
interface PendingOperand {
  readonly placed: PlacedOperand;
  readonly tasks: readonly KernelTask[];
}

/** A packed operand in the arena: already there, copied in (packed once) or to be packed (a view). */
function placeOperand(backend: WasmBackend, operand: Int8Operand, role: PackRole, count: number, depth: number): PendingOperand {
  if ('placed' in operand) return { placed: operand.placed, tasks: operand.packing ?? [] };
  if ('view' in operand) return packView(backend, operand.view, role, count, depth);
  return { placed: { panels: backend.arena.copyIn(operand.packed.panels), sums: backend.arena.copyIn(operand.packed.sums) }, tasks: [] };
}

/** Runs one int8 GEMM problem (see the module comment). The target must be 8-bit storage for quantized output. */
export function int8Gemm(shared: WasmBackend, problem: Int8GemmProblem): void {
  if (problem.m === 0 || problem.n === 0) return;
  // operands already placed live in the caller's memory: stay there
  const placed = 'placed' in problem.a || 'placed' in problem.b;
  const backend = placed ? shared : backendFor(shared, problem.m * problem.n * problem.k);
  const { arena } = backend;
  const mark = arena.mark();
  try {
    const a = placeOperand(backend, problem.a, 'rows', problem.m, problem.k);
    const b = placeOperand(backend, problem.b, 'columns', problem.n, problem.k);
    const gemm: PlacedGemm = { kernel: 'int8Gemm', steps: Math.ceil(problem.k / 2), a: a.placed, b: b.placed };
    // the epilogue folds a single zB with A's row sums, read here: those must be packed first
    if (a.tasks.length > 0 && anyNonzero(problem.bZero)) {
      runTasks(backend, [...a.tasks, ...b.tasks]);
      runGemm(backend, gemm, problem);
      return;
    }
    // packing and tiles in one job: one wake-up of the workers
    const prepared = prepareGemm(backend, gemm, problem);
    runTasks(backend, phases([...a.tasks, ...b.tasks], prepared.tasks));
    prepared.finish();
  } finally {
    arena.release(mark);
  }
}

/**
 * A GEMM kernel over operands placed in the arena: `kernel(pa, pb, steps, rows…, columns…,
 * epilogue)` (kernels/int8/gemm.ts, kernels/int4/*.ts). `a.sums` and `b.sums` are the true row
 * sums of A and column sums of B (eq. (11)); `rowExtra` / `colExtra` are int32 terms a kernel's
 * operand offsets need (added like biases).
 */
export interface PlacedGemm {
  readonly kernel: string;
  readonly steps: number;
  readonly a: PlacedOperand;
  readonly b: PlacedOperand;
  readonly rowExtra?: Int32Array;
  readonly colExtra?: Int32Array;
}

/** True when some zero point is nonzero. */
function anyNonzero(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] !== 0) return true;
  return false;
}

/** An int32 array of `length` in the arena: values[i] for i < count (one value: broadcast), zeros after. */
function int32Padded(arena: WasmArena, values: ArrayLike<number>, offset: number, count: number, length: number): number {
  const ptr = arena.alloc(length * 4);
  const view = arena.int32(ptr, length);
  if (values.length === 1) view.fill(values[0], 0, count);
  else for (let i = 0; i < count; i++) view[i] = values[offset + i];
  view.fill(0, count);
  return ptr;
}

/** The stage arrays of a target, cached per stage (a node's stage lives as long as its preparation). */
const stageCache = new WeakMap<OutputStage, Map<string, Int32Array>>();

function cachedStageArrays(stage: OutputStage, first: number, count: number, length: number): Int32Array {
  let byRange = stageCache.get(stage);
  if (byRange === undefined) stageCache.set(stage, (byRange = new Map()));
  const key = `${first} ${count} ${length}`;
  let arrays = byRange.get(key);
  if (arrays === undefined) byRange.set(key, (arrays = stageArrays(stage, first, count, length)));
  return arrays;
}

/** The epilogue block for `problem`, the kernel call (split across threads) and the copy out; inside the caller's arena mark. */
export function runGemm(backend: WasmBackend, gemm: PlacedGemm, problem: Int8GemmProblem): void {
  const prepared = prepareGemm(backend, gemm, problem);
  runTasks(backend, prepared.tasks);
  prepared.finish();
}

/** A GEMM ready to run: its kernel tasks, then `finish` (the copy out). */
interface PreparedGemm {
  readonly tasks: readonly KernelTask[];
  readonly finish: () => void;
}

/**
 * The epilogue block for `problem` in the arena and the kernel call cut into tasks; reads A's row
 * sums only when the epilogue folds zB with them (some zB nonzero).
 */
function prepareGemm(backend: WasmBackend, gemm: PlacedGemm, problem: Int8GemmProblem): PreparedGemm {
  const { m, n, k, aZero, bZero, target } = problem;
  const { arena } = backend;
  const { a, b, rowExtra, colExtra } = gemm;
  const mPad = roundUp(m, MR);
  const nPad = roundUp(n, NR);
  const fields = new Int32Array(EPILOGUE_FIELDS);
  fields[E.mode] = 1;
  // eq. (11): −zB[j]·(rowSum(A)[i] − K·zA[i]). With one zB (a convolution's input, an activation
  // B) the term depends on the row only, so it joins the row bias instead of a multiply per tile.
  let rowTerm: Int32Array | undefined;
  if (anyNonzero(bZero)) {
    const sums = arena.int32(a.sums, mPad);
    const adj = new Int32Array(mPad);
    for (let i = 0; i < m; i++) adj[i] = (sums[i] - Math.imul(k, aZero.length > 1 ? aZero[i] : aZero[0])) | 0;
    if (bZero.length === 1) {
      const zb = bZero[0];
      rowTerm = adj.map((v) => -Math.imul(zb, v) | 0);
    } else {
      fields[E.rowAdj] = arena.copyIn(adj);
      fields[E.colZero] = int32Padded(arena, bZero, 0, n, nPad);
    }
  }
  if (anyNonzero(aZero)) {
    // eq. (11): −zA[i]·colSum(B)[j]
    fields[E.rowZero] = int32Padded(arena, aZero, 0, m, mPad);
    fields[E.colSum] = b.sums;
  }
  const rowBias = problem.rowBias;
  if (rowBias !== undefined || rowExtra !== undefined || rowTerm !== undefined) {
    const ptr = int32Padded(arena, rowBias?.data ?? [0], rowBias?.offset ?? 0, m, mPad);
    const view = arena.int32(ptr, m);
    for (let i = 0; i < m; i++) view[i] = (view[i] + (rowExtra === undefined ? 0 : rowExtra[i]) + (rowTerm === undefined ? 0 : rowTerm[i])) | 0;
    fields[E.rowBias] = ptr;
  }
  const colBias = problem.colBias;
  if (colBias !== undefined || colExtra !== undefined) {
    const ptr = int32Padded(arena, colBias ?? [0], 0, n, nPad);
    if (colExtra !== undefined) {
      const view = arena.int32(ptr, n);
      for (let j = 0; j < n; j++) view[j] = (view[j] + colExtra[j]) | 0;
    }
    fields[E.colBias] = ptr;
  }
  let outBytes: number;
  if (target.kind === 'quantized') {
    const { stage } = target;
    const perChannel = stage.multiplier.length > 1;
    const rows = target.axis === 'rows';
    const [first, count, length] = !perChannel ? [0, 1, 1] : rows ? [target.channel0, m, mPad] : [target.channel0, n, nPad];
    fields[E.mode] = target.y instanceof Uint8Array ? 3 : 2;
    fields[E.axis] = !perChannel ? 0 : rows ? 1 : 2;
    fields[E.stage] = arena.copyIn(cachedStageArrays(stage, first, count, length));
    fields[E.channels] = length;
    fields[E.zeroPoint] = stage.zeroPoint;
    fields[E.qmin] = stage.qmin;
    fields[E.qmax] = stage.qmax;
    outBytes = mPad * nPad;
  } else {
    outBytes = mPad * nPad * 4;
  }
  const out = arena.alloc(outBytes);
  fields[E.out] = out;
  fields[E.ldo] = nPad;
  const epilogue = arena.copyIn(fields);
  // split the columns when there are enough panels (wide convolution outputs), else the rows
  const colPanels = nPad / NR;
  const rowPanels = mPad / MR;
  const tasks = panelTasks(backend, gemm.kernel, [a.panels, b.panels, gemm.steps, 0, rowPanels, 0, colPanels, epilogue], colPanels >= rowPanels ? 5 : 3, m * n * k);
  const finish = (): void => {
    if (target.kind === 'quantized' && target.extract !== undefined) {
      target.extract(out, nPad);
    } else if (target.kind === 'quantized') {
      const src = arena.bytes(out, outBytes);
      const y = target.y as Int8Array | Uint8Array;
      const typed = y instanceof Uint8Array ? src : new Int8Array(src.buffer, src.byteOffset, src.length);
      copyRows(typed, nPad, y, target.offset, target.ld, m, n);
    } else {
      copyRows(arena.int32(out, mPad * nPad), nPad, target.c, target.offset, target.ld, m, n);
    }
  };
  return { tasks, finish };
}

/** dst[offset + i·ld + j] = src[i·srcLd + j] for i < m, j < n. */
function copyRows<T extends Int8Array | Uint8Array | Int32Array>(src: T, srcLd: number, dst: T | IntegerArray | Int32Array, offset: number, ld: number, m: number, n: number): void {
  if (ld === n && srcLd === n) {
    (dst as T).set(src.subarray(0, m * n) as T, offset);
    return;
  }
  for (let i = 0; i < m; i++) (dst as T).set(src.subarray(i * srcLd, i * srcLd + n) as T, offset + i * ld);
}
