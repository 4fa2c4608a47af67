// The claiming protocol of the kernel thread pool (src/runtime/wasm/threads/claim.ts), on one
// thread: every task of the open job runs exactly once, a thread looking at another job or at a
// job being written claims nothing, a task that throws is reported and still counted done, and
// a job in phases runs them in order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { phases } from '../../../src/runtime/wasm/parallel.ts';
import { createControl, ThreadPool } from '../../../src/runtime/wasm/threads/pool.ts';
import { claimTasks, CONTROL_INTS, DONE, FAILED, JOB_LIMIT, NEXT, publishJob, TASK_SHIFT, TASKS, type TaskEntry } from '../../../src/runtime/wasm/threads/claim.ts';

function block(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(CONTROL_INTS * 4));
}

/** Kernel 0 records its arguments; kernel 1 throws. */
function kernels(calls: number[][]): ((...args: number[]) => unknown)[] {
  return [
    (...args: number[]) => calls.push(args),
    () => {
      throw new Error('trap');
    },
  ];
}

const tasks = (n: number): TaskEntry[] => Array.from({ length: n }, (_, t) => ({ kernel: 0, args: [t, 100 + t, -7 * t - 1] }));

test('each task of the open job runs once, with its own arguments, and counts as done', () => {
  const c = block();
  const calls: number[][] = [];
  publishJob(c, 7, tasks(5));
  assert.equal(claimTasks(c, 7, kernels(calls), assert.fail), 5);
  assert.deepEqual(calls, [0, 1, 2, 3, 4].map((t) => [t, 100 + t, -7 * t - 1]));
  assert.equal(Atomics.load(c, DONE), 5);
  // the job is used up: a second claimer (a worker waking late) runs nothing
  assert.equal(claimTasks(c, 7, kernels(calls), assert.fail), 0);
  assert.equal(calls.length, 5);
});

test('a thread looking at another job, or at a job being written, claims nothing', () => {
  const c = block();
  const calls: number[][] = [];
  publishJob(c, 3, tasks(4));
  assert.equal(claimTasks(c, 2, kernels(calls), assert.fail), 0, 'an older job');
  assert.equal(claimTasks(c, 4, kernels(calls), assert.fail), 0, 'a newer job');
  // the pool closes a job before rewriting the table: NEXT = 0 matches no job
  Atomics.store(c, NEXT, 0);
  assert.equal(claimTasks(c, 3, kernels(calls), assert.fail), 0, 'a job being written');
  assert.equal(calls.length, 0);
  // publishing the next job resets the counts; its tasks run with its own arguments
  publishJob(c, 4, [{ kernel: 0, args: [42] }, { kernel: 0, args: [] }]);
  assert.equal(Atomics.load(c, DONE), 0);
  assert.equal(Atomics.load(c, TASKS), 2);
  assert.equal(claimTasks(c, 4, kernels(calls), assert.fail), 2);
  assert.deepEqual(calls, [[42], []]);
});

test('a task that throws is reported with its index and counted done; the others still run', () => {
  const c = block();
  const calls: number[][] = [];
  publishJob(c, 1, [...tasks(2), { kernel: 1, args: [] }, ...tasks(1)]);
  const failed: number[] = [];
  claimTasks(c, 1, kernels(calls), (error, task) => {
    assert.equal((error as Error).message, 'trap');
    failed.push(task);
  });
  assert.deepEqual(failed, [2]);
  assert.equal(calls.length, 3);
  assert.equal(Atomics.load(c, DONE), 4);
  assert.equal(Atomics.load(c, FAILED), 0, 'FAILED is for workers to set');
});

test('job numbers up to JOB_LIMIT stay positive once tagged', () => {
  assert.ok(JOB_LIMIT << TASK_SHIFT > 0);
  assert.ok(((JOB_LIMIT << TASK_SHIFT) | ((1 << TASK_SHIFT) - 1)) > 0);
  const c = block();
  const calls: number[][] = [];
  publishJob(c, JOB_LIMIT, tasks(3));
  assert.equal(claimTasks(c, JOB_LIMIT, kernels(calls), assert.fail), 3);
});

test('phases: each list starts after the lists before it; a task may not wait for later ones', () => {
  const calls: string[] = [];
  const exports = { first: (x: number) => calls.push(`first ${x}`), second: (x: number) => calls.push(`second ${x}`) };
  // no workers: the calling thread claims every task, in order
  const pool = new ThreadPool([], createControl(), ['first', 'second'], exports, true);
  const tasks = phases([0, 1, 2].map((x) => ({ kernel: 'first', args: [x] })), [3, 4].map((x) => ({ kernel: 'second', args: [x] })));
  assert.deepEqual(
    tasks.map((t) => t.after ?? 0),
    [0, 0, 0, 3, 3],
  );
  pool.run(tasks);
  assert.deepEqual(calls, ['first 0', 'first 1', 'first 2', 'second 3', 'second 4']);
  assert.throws(() => pool.run([{ kernel: 'first', args: [0] }, { kernel: 'second', args: [1], after: 2 }]), /task 1 \(second\) waits for 2 tasks/);
  assert.throws(() => pool.run([{ kernel: 'third', args: [] }]), /no kernel "third"/);
});
