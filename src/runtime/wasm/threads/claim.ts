/**
 * The control block of the kernel thread pool (./pool.ts) and the loop by which the calling thread
 * and the workers (./serve.ts) claim a job's tasks. Int32 offsets:
 *   WAKE    job number the workers wake for (−1: exit)
 *   NEXT    job << TASK_SHIFT | index of the next unclaimed task, moved by compare-exchange
 *   TASKS   tasks in the job;  DONE  tasks finished;  FAILED  1 + index of a failed task, or 0
 *   BY_WORKERS  tasks the workers have run since the pool started (for tests and benchmarks)
 *   TASKS_AT…  the task table: per task [kernel index, argument count, after, arguments…]
 * A task starts once `after` tasks of its job are done (0: at once): a job may run in phases,
 * e.g. the packing of a GEMM's operands and then its tiles, without a second wake-up. Tasks are
 * claimed in order, so the tasks a phase waits for are already running; the wait is a spin.
 * A thread that wakes late finds NEXT tagged with a newer job, 0 (a job being written) or no
 * task left, and claims nothing, so a job never waits for a worker that has not started; the tag
 * also keeps a late thread from claiming a task of the next job with the previous job's view.
 */
export const WAKE = 0;
export const NEXT = 1;
export const TASKS = 2;
export const DONE = 3;
export const FAILED = 4;
export const BY_WORKERS = 5;
export const TASKS_AT = 8;
export const TASK_INTS = 32;
export const MAX_TASK_ARGS = TASK_INTS - 3;
export const MAX_TASKS = 256;
export const TASK_SHIFT = 10;
const TASK_MASK = (1 << TASK_SHIFT) - 1;
/** Job numbers run 1 … JOB_LIMIT, so that job << TASK_SHIFT stays a positive int32. */
export const JOB_LIMIT = (1 << (31 - TASK_SHIFT)) - 1;
export const CONTROL_INTS = TASKS_AT + MAX_TASKS * TASK_INTS;

/** One task as the control block holds it: a kernel by index, its arguments, and how many tasks before it must be done first. */
export interface TaskEntry {
  readonly kernel: number;
  readonly args: readonly number[];
  readonly after?: number;
}

/**
 * Writes job `job` (1 … JOB_LIMIT) into the control block, once every task of the previous job
 * is done, and opens it for claiming. It first closes the previous job (NEXT = 0): a thread still
 * looking at that job can no longer claim, since its exchange on NEXT fails, while the table and
 * the count are rewritten.
 */
export function publishJob(c: Int32Array, job: number, tasks: readonly TaskEntry[]): void {
  Atomics.store(c, NEXT, 0);
  for (let t = 0; t < tasks.length; t++) {
    const { kernel, args, after } = tasks[t];
    const base = TASKS_AT + t * TASK_INTS;
    c[base] = kernel;
    c[base + 1] = args.length;
    c[base + 2] = after ?? 0;
    for (let i = 0; i < args.length; i++) c[base + 3 + i] = args[i];
  }
  Atomics.store(c, TASKS, tasks.length);
  Atomics.store(c, DONE, 0);
  Atomics.store(c, FAILED, 0);
  // a thread that sees this job in NEXT sees the table and the counts written above
  Atomics.store(c, NEXT, job << TASK_SHIFT);
}

/**
 * Claims and runs tasks of `job` until none is left (or the job is over); `kernels` by index.
 * A task that throws is reported to `failed` and still counts as done. Returns how many it ran.
 */
export function claimTasks(c: Int32Array, job: number, kernels: readonly ((...args: number[]) => unknown)[], failed: (error: unknown, task: number) => void): number {
  let ran = 0;
  for (;;) {
    const next = Atomics.load(c, NEXT);
    if (next >>> TASK_SHIFT !== job) return ran;
    const task = next & TASK_MASK;
    // the job's count if the exchange below succeeds (publishJob closes a job before rewriting)
    const count = Atomics.load(c, TASKS);
    if (task >= count) return ran;
    if (Atomics.compareExchange(c, NEXT, next, next + 1) !== next) continue;
    const base = TASKS_AT + task * TASK_INTS;
    const args: number[] = [];
    for (let i = 0, argc = c[base + 1]; i < argc; i++) args.push(c[base + 3 + i]);
    // the tasks of the phase before are claimed already and finish on other threads
    for (const after = c[base + 2]; Atomics.load(c, DONE) < after; );
    try {
      kernels[c[base]](...args);
    } catch (error) {
      failed(error, task);
    }
    ran++;
    if (Atomics.add(c, DONE, 1) + 1 === count) Atomics.notify(c, DONE);
  }
}
