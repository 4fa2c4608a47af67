/**
 * The worker pool of the wasm kernels, environment-neutral: workers (worker_threads in Node,
 * Web Workers in browsers — src/node/threads, ./web-pool.ts) each instantiate the kernel module
 * on the same shared memory and wait on a control block. `run` hands each worker the arguments
 * of one call of an exported kernel, runs the first share on the calling thread, and returns
 * when every share is done — synchronously, so kernels keep their synchronous contract.
 *
 * Control block (Int32Array over a SharedArrayBuffer), one slot of SLOT ints per worker:
 * [0] job sequence (bumped by the caller; −1 asks the worker to exit), [1] finished sequence,
 * [2] kernel index, [3] argument count, [4] failure flag, [8…] arguments.
 * The caller waits with Atomics.wait where it may block (Node, workers) and spins where it may
 * not (a browser's main thread).
 */
import { QuantkitError } from '../../../errors.ts';

export const SLOT = 32;
export const ARGS_AT = 8;
export const MAX_ARGS = SLOT - ARGS_AT;

/** What the pool needs of a worker. */
export interface PoolWorker {
  postMessage(message: unknown): void;
  terminate(): unknown;
}

/** The message that starts a worker (./serve.ts). */
export interface WorkerInit {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly control: SharedArrayBuffer;
  readonly index: number;
  readonly kernels: readonly string[];
}

export class ThreadPool {
  private readonly control: Int32Array;
  private readonly indexOf: Map<string, number>;
  private sequence = 0;
  private closed = false;
  /** Calls that were split across workers so far. */
  splitCalls = 0;

  /**
   * `handles`: started workers, each already sent its WorkerInit (same `control` and `kernels`);
   * `canBlock`: whether the calling thread may Atomics.wait.
   */
  constructor(private readonly handles: readonly PoolWorker[], control: SharedArrayBuffer, kernels: readonly string[], private readonly canBlock: boolean) {
    this.control = new Int32Array(control);
    this.indexOf = new Map(kernels.map((name, i) => [name, i]));
  }

  /** Worker threads (the calling thread adds one more). */
  get workers(): number {
    return this.closed ? 0 : this.handles.length;
  }

  /**
   * Runs kernel `kernel` with `shares[i + 1]` on worker i and then `mine()` on this thread; returns
   * when all are done. Throws when a worker's call failed.
   */
  run(kernel: string, shares: readonly (readonly number[])[], mine: () => void): void {
    const index = this.indexOf.get(kernel);
    if (index === undefined) throw new QuantkitError('E_KERNEL', `thread pool: no kernel ${JSON.stringify(kernel)}`);
    if (shares.length > this.workers) throw new QuantkitError('E_KERNEL', `thread pool: ${shares.length} shares for ${this.workers} workers`);
    this.splitCalls++;
    const c = this.control;
    const sequence = (this.sequence = (this.sequence + 1) & 0x3fffffff);
    for (let w = 0; w < shares.length; w++) {
      const args = shares[w];
      const base = w * SLOT;
      c[base + 2] = index;
      c[base + 3] = args.length;
      c[base + 4] = 0;
      for (let i = 0; i < args.length; i++) c[base + ARGS_AT + i] = args[i];
      Atomics.store(c, base, sequence);
      Atomics.notify(c, base);
    }
    let failure: unknown;
    try {
      mine();
    } catch (error) {
      failure = error;
    }
    for (let w = 0; w < shares.length; w++) {
      const done = w * SLOT + 1;
      for (;;) {
        const seen = Atomics.load(c, done);
        if (seen === sequence) break;
        if (this.canBlock) Atomics.wait(c, done, seen, 1000);
      }
      if (c[w * SLOT + 4] !== 0) failure ??= new QuantkitError('E_KERNEL', `thread pool: kernel ${kernel} failed in worker ${w}`);
    }
    if (failure !== undefined) throw failure;
  }

  /** Stops the workers. */
  async terminate(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (let w = 0; w < this.handles.length; w++) {
      Atomics.store(this.control, w * SLOT, -1);
      Atomics.notify(this.control, w * SLOT);
    }
    await Promise.all(this.handles.map((h) => h.terminate()));
  }
}

/** A control block for `workers` workers. */
export function createControl(workers: number): SharedArrayBuffer {
  return new SharedArrayBuffer(Math.max(1, workers) * SLOT * 4);
}
