// Starts a kernel worker thread: registers tsx's loader in the worker (Node 20 does not pass
// --import loaders to workers), then imports the TypeScript worker named in workerData.module.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
