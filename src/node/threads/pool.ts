/**
 * Kernel threads in Node: worker_threads on the shared wasm memory (src/runtime/wasm/threads).
 * The workers are unref'd: they never keep the process alive. Library code stays on one thread
 * unless asked; the CLI and the benchmarks start the available cores.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { WasmStatus } from '../../runtime/wasm/backend.ts';
import type { PoolWorker, WorkerInit } from '../../runtime/wasm/threads/pool.ts';
import { startThreads, stopThreads } from '../../runtime/wasm/threads/start.ts';

function spawn(init: WorkerInit): Promise<PoolWorker> {
  const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: { init, module: new URL('./kernel-worker.ts', import.meta.url).href } });
  return new Promise((resolve, reject) => {
    worker.once('message', () => {
      worker.off('error', reject);
      worker.unref();
      resolve(worker);
    });
    worker.once('error', reject);
  });
}

/** Runs the wasm kernels on `threads` threads (default: the available cores); 1 stops the workers. */
export function startKernelThreads(threads = availableParallelism()): Promise<WasmStatus> {
  return startThreads(threads, spawn, true);
}

/** Stops the kernel workers; kernels run on the calling thread again. */
export function stopKernelThreads(): Promise<void> {
  return stopThreads();
}
