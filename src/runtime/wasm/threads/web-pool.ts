/**
 * Kernel threads in a browser: Web Workers (module workers, bundled by Vite and the like from
 * the `new URL(…, import.meta.url)` below) on shared memory. Needs SharedArrayBuffer, i.e. a
 * cross-origin isolated page (COOP/COEP headers). The main thread may not block, so it spins
 * while workers finish the tasks they claimed; call from a worker to wait without spinning.
 */
import type { WasmStatus } from '../backend.ts';
import type { PoolWorker, WorkerInit } from './pool.ts';
import { startThreads, stopThreads } from './start.ts';

function spawn(init: WorkerInit): Promise<PoolWorker> {
  const worker = new Worker(new URL('./web-worker.ts', import.meta.url), { type: 'module' });
  return new Promise((resolve, reject) => {
    worker.onmessage = () => {
      worker.onmessage = null;
      resolve(worker);
    };
    worker.onerror = (event) => reject(new Error(`kernel worker failed to start: ${event.message}`));
    worker.postMessage(init);
  });
}

/** Runs the wasm kernels on `threads` threads (default: navigator.hardwareConcurrency); 1 stops the workers. */
export function startWebKernelThreads(threads = navigator.hardwareConcurrency || 1): Promise<WasmStatus> {
  // Atomics.wait throws on a window's main thread; workers may block
  const canBlock = typeof window === 'undefined';
  return startThreads(threads, spawn, canBlock);
}

export { stopThreads as stopWebKernelThreads };
