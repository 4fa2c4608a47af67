/**
 * Splitting a kernel call across threads. A kernel that computes a range of panels [start, end)
 * (two of its arguments) is called once per thread on contiguous sub-ranges; every panel is
 * computed by the same code whatever the split, so results are identical for any thread count.
 * Small calls stay on the calling thread: waking a worker costs tens of microseconds.
 */
import type { WasmBackend } from './backend.ts';

/** Work (multiply-adds) below which one more thread does not pay for its wake-up. */
export const MIN_WORK_PER_THREAD = 1 << 21;

/**
 * The backend for kernel calls of `work` multiply-adds each: calls too small to split run in the
 * unshared memory of `backend.local` when there is one (copies in and out of a shared memory are
 * ~5× slower in V8: 8 KiB took 650 ns vs 120 ns here), the rest in the pool's shared memory.
 */
export function backendFor(backend: WasmBackend, work: number): WasmBackend {
  return backend.local !== undefined && Math.floor(work / MIN_WORK_PER_THREAD) < 2 ? backend.local : backend;
}

/**
 * Calls `kernel(...args)` with args[at] .. args[at + 1] (a panel range) split into up to as many
 * contiguous shares as there are threads, `work` being the call's multiply-adds.
 */
export function runPanels(backend: WasmBackend, kernel: string, args: readonly number[], at: number, work: number): void {
  const run = backend.exports[kernel];
  const pool = backend.pool;
  const start = args[at];
  const panels = args[at + 1] - start;
  const threads = pool === undefined ? 1 : Math.max(1, Math.min(pool.workers + 1, panels, Math.floor(work / MIN_WORK_PER_THREAD)));
  if (threads <= 1 || pool === undefined) {
    run(...args);
    return;
  }
  const shares: number[][] = [];
  for (let t = 0; t < threads; t++) {
    const share = [...args];
    share[at] = start + Math.floor((panels * t) / threads);
    share[at + 1] = start + Math.floor((panels * (t + 1)) / threads);
    shares.push(share);
  }
  pool.run(kernel, shares.slice(1), () => run(...shares[0]));
}

/** Elements below which packing one more share of lines does not pay for a wake-up. */
export const MIN_PACK_PER_THREAD = 1 << 17;

/**
 * Calls a packing kernel over `count` lines of `depth` elements, split into runs of whole panels
 * (`width` lines) across threads: `argsFor(first, lines)` gives the kernel's arguments for lines
 * [first, first + lines). Packing is a pass over both operands before every GEMM whose operands
 * are not packed ahead, so on one thread it would cap the GEMM's speed-up.
 */
export function runLines(backend: WasmBackend, kernel: string, count: number, width: number, depth: number, argsFor: (first: number, lines: number) => number[]): void {
  const pool = backend.pool;
  const panels = Math.ceil(count / width);
  const threads = pool === undefined ? 1 : Math.max(1, Math.min(pool.workers + 1, panels, Math.floor((count * depth) / MIN_PACK_PER_THREAD)));
  if (threads <= 1 || pool === undefined) {
    backend.exports[kernel](...argsFor(0, count));
    return;
  }
  const shares: number[][] = [];
  for (let t = 0; t < threads; t++) {
    const first = Math.floor((panels * t) / threads) * width;
    const end = Math.min(count, Math.floor((panels * (t + 1)) / threads) * width);
    shares.push(argsFor(first, end - first));
  }
  pool.run(kernel, shares.slice(1), () => backend.exports[kernel](...shares[0]));
}
