/** A Node kernel worker: src/runtime/wasm/threads/serve.ts with the pool's init from workerData. */
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerInit } from '../../runtime/wasm/threads/pool.ts';
import { serveKernels } from '../../runtime/wasm/threads/serve.ts';

const { init } = workerData as { init: WorkerInit };
serveKernels(init, () => parentPort?.postMessage('ready'));
