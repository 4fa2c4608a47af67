// Starts a TypeScript worker thread: registers tsx's loader in the worker, then imports the
// module named in workerData.module (Node 20 does not pass --import loaders to workers).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
