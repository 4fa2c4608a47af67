/**
 * Starting and stopping a kernel thread pool, whatever spawns the workers: the backend is
 * rebuilt on shared memory, each worker instantiates the same module on it (./serve.ts), and
 * once all are ready the backend with its pool becomes the one kernels use. Node's spawner is
 * src/node/threads/pool.ts, the browser's ./web-pool.ts.
 */
import { QuantkitError } from '../../../errors.ts';
import { createKernelMemory, installBackend, loadBackend, wasmKernels, wasmStatus, type WasmBackend, type WasmStatus } from '../index.ts';
import { createControl, ThreadPool, type PoolWorker, type WorkerInit } from './pool.ts';

/** Spawns one worker and resolves once it reports ready (rejects if it fails to start). */
export type SpawnWorker = (init: WorkerInit) => Promise<PoolWorker>;

let current: ThreadPool | undefined;

/**
 * Runs the kernels on `threads` threads (the caller's plus threads − 1 workers); 1 goes back to
 * the single-threaded backend. `canBlock`: whether the calling thread may Atomics.wait.
 */
export async function startThreads(threads: number, spawn: SpawnWorker, canBlock: boolean): Promise<WasmStatus> {
  if (!Number.isInteger(threads) || threads < 1) throw new QuantkitError('E_USAGE', `threads must be a positive integer, got ${threads}`);
  await stopThreads();
  if (threads === 1) return wasmStatus();
  const local = wasmKernels();
  if (typeof SharedArrayBuffer !== 'function') throw new QuantkitError('E_UNSUPPORTED', 'kernel threads need SharedArrayBuffer (in a browser: a cross-origin isolated page)');
  const notes: string[] = [];
  const memory = createKernelMemory(true);
  const single = loadBackend({ shared: true, memory }, notes);
  if (single === undefined) throw new QuantkitError('E_UNSUPPORTED', `kernel threads need the wasm kernels: ${notes.join('; ')}`);
  const workers = threads - 1;
  const control = createControl();
  const kernels = Object.keys(single.exports).filter((name) => typeof single.exports[name] === 'function');
  const handles = await Promise.all(Array.from({ length: workers }, () => spawn({ module: single.module, memory, control, kernels })));
  current = new ThreadPool(handles, control, kernels, single.exports, canBlock);
  const backend: WasmBackend = { ...single, pool: current, local };
  installBackend(backend);
  return wasmStatus();
}

/** Stops the pool, if any, and goes back to the single-threaded backend. */
export async function stopThreads(): Promise<void> {
  const pool = current;
  current = undefined;
  installBackend(undefined);
  await pool?.terminate();
}
