/** A browser kernel worker (Web Worker, module type): ./serve.ts on the first message. */
import { serveKernels } from './serve.ts';
import type { WorkerInit } from './pool.ts';

const scope = self as unknown as { onmessage: ((event: MessageEvent<WorkerInit>) => void) | null; postMessage(message: unknown): void };
scope.onmessage = (event) => {
  scope.onmessage = null;
  serveKernels(event.data, () => scope.postMessage('ready'));
};
