/**
 * Splitting kernel calls across threads. A kernel that computes a range of panels [start, end)
 * (two of its arguments) becomes a list of tasks on contiguous sub-ranges, which the pool's
 * threads claim as they come free (./threads/pool.ts); every panel is computed by the same code
 * whatever the split, so results are identical for any thread count. Several threads' worth of
 * tasks each, so that a faster core takes more of them. Small calls stay on the calling thread:
 * waking a worker costs tens of microseconds.
 */
import type { WasmBackend } from './backend.ts';
import type { KernelTask } from './threads/pool.ts';

/** Work (multiply-adds) below which one more thread does not pay for its wake-up. */
export const MIN_WORK_PER_THREAD = 1 << 21;

/** Work below which a task is not worth its call (~25 µs of int8 GEMM). */
const MIN_WORK_PER_TASK = 1 << 19;

/** Tasks per thread when a call is split: the finer, the better the balance between unequal cores. */
const TASKS_PER_THREAD = 8;

/** At most this many tasks per list (a job may hold a few lists: ./threads/claim.ts MAX_TASKS). */
const MAX_LIST_TASKS = 64;

/**
 * The backend for kernel calls of `work` multiply-adds each: calls too small to split run in the
 * unshared memory of `backend.local` when there is one (copies in and out of a shared memory are
 * ~5× slower in V8: 8 KiB took 650 ns vs 120 ns here), the rest in the pool's shared memory.
 */
export function backendFor(backend: WasmBackend, work: number): WasmBackend {
  return backend.local !== undefined && Math.floor(work / MIN_WORK_PER_THREAD) < 2 ? backend.local : backend;
}

/** How many threads a call of `work` (in units of `perThread`) may use. */
function threadsFor(backend: WasmBackend, work: number, perThread: number): number {
  const pool = backend.pool;
  return pool === undefined ? 1 : Math.max(1, Math.min(pool.workers + 1, Math.floor(work / perThread)));
}

/** `count` items cut into `tasks` contiguous runs: run t is [first(t), first(t + 1)). */
function cut(count: number, tasks: number, first: (t: number) => number): number[] {
  return Array.from({ length: tasks + 1 }, (_, t) => first(Math.floor((count * t) / tasks)));
}

/**
 * `kernel(...args)` with args[at] .. args[at + 1] (a panel range) cut into tasks, `work` being the
 * call's multiply-adds.
 */
export function panelTasks(backend: WasmBackend, kernel: string, args: readonly number[], at: number, work: number): KernelTask[] {
  const threads = threadsFor(backend, work, MIN_WORK_PER_THREAD);
  // one thread: the call as it is (most calls of a small model; no copies)
  if (threads <= 1) return [{ kernel, args }];
  const start = args[at];
  const panels = args[at + 1] - start;
  const tasks = Math.max(1, Math.min(panels, threads * TASKS_PER_THREAD, MAX_LIST_TASKS, Math.max(threads, Math.floor(work / MIN_WORK_PER_TASK))));
  const bounds = cut(panels, tasks, (p) => start + p);
  return Array.from({ length: tasks }, (_, t) => {
    const share = [...args];
    share[at] = bounds[t];
    share[at + 1] = bounds[t + 1];
    return { kernel, args: share };
  });
}

/** Elements below which packing one more share of lines does not pay for a wake-up. */
export const MIN_PACK_PER_THREAD = 1 << 17;

/**
 * A packing kernel over `count` lines of `depth` elements, cut into tasks of whole panels
 * (`width` lines): `argsFor(first, lines)` gives the kernel's arguments for lines
 * [first, first + lines). Packing is a pass over both operands before every GEMM whose operands
 * are not packed ahead, so on one thread it would cap the GEMM's speed-up.
 */
export function lineTasks(backend: WasmBackend, kernel: string, count: number, width: number, depth: number, argsFor: (first: number, lines: number) => number[]): KernelTask[] {
  const threads = threadsFor(backend, count * depth, MIN_PACK_PER_THREAD);
  if (threads <= 1) return [{ kernel, args: argsFor(0, count) }];
  const panels = Math.ceil(count / width);
  const tasks = Math.max(1, Math.min(panels, threads * TASKS_PER_THREAD, MAX_LIST_TASKS));
  const bounds = cut(panels, tasks, (p) => Math.min(count, p * width));
  return Array.from({ length: tasks }, (_, t) => ({ kernel, args: argsFor(bounds[t], bounds[t + 1] - bounds[t]) }));
}

/**
 * Lists of tasks as one job in phases: each list's tasks start once every task of the lists
 * before it is done (the packing of operands, then the tiles that read them) — one wake-up of
 * the workers instead of one per list.
 */
export function phases(...lists: readonly (readonly KernelTask[])[]): KernelTask[] {
  const tasks: KernelTask[] = [];
  for (const list of lists) {
    const after = tasks.length;
    for (const task of list) tasks.push(after === 0 ? task : { kernel: task.kernel, args: task.args, after });
  }
  return tasks;
}

/** Runs `tasks` (one job: the pool's threads claim them), or one by one here when there is no pool or one task. */
export function runTasks(backend: WasmBackend, tasks: readonly KernelTask[]): void {
  const pool = backend.pool;
  if (pool === undefined || pool.workers === 0 || tasks.length <= 1) {
    for (const { kernel, args } of tasks) backend.exports[kernel](...args);
    return;
  }
  pool.run(tasks);
}

/** `kernel(...args)` with its panel range args[at] .. args[at + 1] split across threads (panelTasks). */
export function runPanels(backend: WasmBackend, kernel: string, args: readonly number[], at: number, work: number): void {
  runTasks(backend, panelTasks(backend, kernel, args, at, work));
}
