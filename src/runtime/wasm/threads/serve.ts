/**
 * The body of a kernel worker (Node or browser): warm the kernels up (./warm-up.ts), instantiate
 * the module on the shared memory, say so, then wait for jobs in the control block (./pool.ts)
 * and run them until told to exit.
 */
import { MAX_PAGES } from '../backend.ts';
import { ARGS_AT, SLOT, type WorkerInit } from './pool.ts';
import { warmUpKernels } from './warm-up.ts';

/** Runs the worker loop; `ready` is called once the instance exists. Returns when asked to exit. */
export function serveKernels(init: WorkerInit, ready: () => void): void {
  warmUpKernels(init.module, MAX_PAGES);
  const instance = new WebAssembly.Instance(init.module, { env: { memory: init.memory } });
  const exports = instance.exports as unknown as Record<string, (...args: number[]) => number>;
  const kernels = init.kernels.map((name) => exports[name]);
  const c = new Int32Array(init.control);
  const base = init.index * SLOT;
  // read before saying ready: the first job may be posted the moment the pool hears it
  let last = Atomics.load(c, base);
  ready();
  for (;;) {
    Atomics.wait(c, base, last);
    const sequence = Atomics.load(c, base);
    if (sequence === -1) return;
    if (sequence === last) continue;
    last = sequence;
    try {
      const argc = c[base + 3];
      const args: number[] = [];
      for (let i = 0; i < argc; i++) args.push(c[base + ARGS_AT + i]);
      kernels[c[base + 2]](...args);
    } catch {
      c[base + 4] = 1;
    }
    Atomics.store(c, base + 1, sequence);
    Atomics.notify(c, base + 1);
  }
}
