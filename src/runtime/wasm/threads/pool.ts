/**
 * The worker pool of the wasm kernels, environment-neutral: workers (worker_threads in Node,
 * Web Workers in browsers — src/node/threads, ./web-pool.ts) each instantiate the kernel module
 * on the same shared memory and wait on a control block. `run` publishes a job — a list of
 * tasks, each one call of an exported kernel — wakes the workers, and then the calling thread and
 * the workers claim tasks one at a time until none is left; it returns when every task is done —
 * synchronously, so kernels keep their synchronous contract.
 *
 * Claiming instead of fixed shares: the cores of a shared machine often run at different speeds
 * (here one vCPU did a 512³ int8 GEMM at 35 GOP/s while the other did 53), and a worker may wake
 * tens of microseconds late; with tasks claimed as threads come free, the faster thread takes
 * more of them and the caller starts at once. Which thread runs a task never changes its result.
 *
 * The control block (an Int32Array over a SharedArrayBuffer) and the claiming: ./claim.ts.
 * The caller waits with Atomics.wait where it may block (Node, workers) and spins where it may
 * not (a browser's main thread).
 */
import { QuantkitError } from '../../../errors.ts';
import { BY_WORKERS, claimTasks, CONTROL_INTS, DONE, FAILED, JOB_LIMIT, MAX_TASK_ARGS, MAX_TASKS, publishJob, TASK_INTS, TASKS_AT, WAKE } from './claim.ts';

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
  readonly kernels: readonly string[];
}

/** One call of an exported kernel; with `after`, once that many tasks before it in the job are done. */
export interface KernelTask {
  readonly kernel: string;
  readonly args: readonly number[];
  readonly after?: number;
}

export class ThreadPool {
  private readonly control: Int32Array;
  private readonly indexOf: Map<string, number>;
  private readonly call: ((...args: number[]) => unknown)[];
  private job = 0;
  private closed = false;
  /** Jobs of more than one task so far. */
  splitCalls = 0;

  /**
   * `handles`: started workers, each already sent its WorkerInit (same `control` and `kernels`);
   * `exports`: the calling thread's instance of the module; `canBlock`: whether the calling
   * thread may Atomics.wait.
   */
  constructor(private readonly handles: readonly PoolWorker[], control: SharedArrayBuffer, private readonly kernels: readonly string[], exports: Readonly<Record<string, (...args: number[]) => unknown>>, private readonly canBlock: boolean) {
    this.control = new Int32Array(control);
    this.indexOf = new Map(kernels.map((name, i) => [name, i]));
    this.call = kernels.map((name) => exports[name]);
  }

  /** Worker threads (the calling thread adds one more). */
  get workers(): number {
    return this.closed ? 0 : this.handles.length;
  }

  /** Tasks the workers (not the calling thread) have run so far. */
  get workerTasks(): number {
    return Atomics.load(this.control, BY_WORKERS);
  }

  /** Runs every task, on this thread and the workers; returns when all are done. Throws when one failed. */
  run(tasks: readonly KernelTask[]): void {
    if (tasks.length > MAX_TASKS) throw new QuantkitError('E_KERNEL', `thread pool: ${tasks.length} tasks, at most ${MAX_TASKS} per job`);
    const entries = tasks.map(({ kernel, args, after }, t) => {
      const index = this.indexOf.get(kernel);
      if (index === undefined) throw new QuantkitError('E_KERNEL', `thread pool: no kernel ${JSON.stringify(kernel)}`);
      if (args.length > MAX_TASK_ARGS) throw new QuantkitError('E_KERNEL', `thread pool: kernel ${kernel} has ${args.length} arguments, at most ${MAX_TASK_ARGS}`);
      // a task can only wait for tasks before it (claimed earlier), or the job never ends
      if (after !== undefined && !(after >= 0 && after <= t)) throw new QuantkitError('E_KERNEL', `thread pool: task ${t} (${kernel}) waits for ${after} tasks`);
      return { kernel: index, args, after };
    });
    if (tasks.length > 1) this.splitCalls++;
    const c = this.control;
    const job = (this.job = (this.job % JOB_LIMIT) + 1);
    publishJob(c, job, entries);
    if (this.workers > 0 && tasks.length > 1) {
      Atomics.store(c, WAKE, job);
      Atomics.notify(c, WAKE);
    }
    let failure: unknown;
    claimTasks(c, job, this.call, (error) => {
      failure ??= error;
    });
    for (;;) {
      const done = Atomics.load(c, DONE);
      if (done === tasks.length) break;
      if (this.canBlock) Atomics.wait(c, DONE, done, 1000);
    }
    const failed = c[FAILED];
    if (failed !== 0) failure ??= new QuantkitError('E_KERNEL', `thread pool: kernel ${this.kernels[c[TASKS_AT + (failed - 1) * TASK_INTS]]} failed in a worker`);
    if (failure !== undefined) throw failure;
  }

  /** Stops the workers. */
  async terminate(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.control, WAKE, -1);
    Atomics.notify(this.control, WAKE);
    await Promise.all(this.handles.map((h) => h.terminate()));
  }
}

/** A control block for a pool. */
export function createControl(): SharedArrayBuffer {
  return new SharedArrayBuffer(CONTROL_INTS * 4);
}
