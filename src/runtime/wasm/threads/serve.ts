/**
 * The body of a kernel worker (Node or browser): warm the kernels up (./warm-up.ts), instantiate
 * the module on the shared memory, say so, then wait for jobs in the control block (./claim.ts)
 * and claim their tasks until told to exit.
 */
import { MAX_PAGES } from '../backend.ts';
import { BY_WORKERS, claimTasks, FAILED, WAKE } from './claim.ts';
import type { WorkerInit } from './pool.ts';
import { warmUpKernels } from './warm-up.ts';

/** Runs the worker loop; `ready` is called once the instance exists. Returns when asked to exit. */
export function serveKernels(init: WorkerInit, ready: () => void): void {
  warmUpKernels(init.module, MAX_PAGES);
  const instance = new WebAssembly.Instance(init.module, { env: { memory: init.memory } });
  const exports = instance.exports as unknown as Record<string, (...args: number[]) => number>;
  const kernels = init.kernels.map((name) => exports[name]);
  const c = new Int32Array(init.control);
  // read before saying ready: the first job may be posted the moment the pool hears it
  let last = Atomics.load(c, WAKE);
  ready();
  for (;;) {
    Atomics.wait(c, WAKE, last);
    const job = Atomics.load(c, WAKE);
    if (job === -1) return;
    if (job === last) continue;
    last = job;
    const ran = claimTasks(c, job, kernels, (_error, task) => Atomics.store(c, FAILED, task + 1));
    if (ran > 0) Atomics.add(c, BY_WORKERS, ran);
  }
}
