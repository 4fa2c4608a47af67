/**
 * Runs tasks on worker threads, one task at a time per worker, handing each worker the next task
 * as it reports a result (scripts/results.ts and scripts/qat-results.ts). Workers run a
 * TypeScript module through scripts/ts-worker.mjs, with `data` as their workerData.
 */
import { Worker } from 'node:worker_threads';

export async function runOnWorkers<Task, Result>(module: URL, data: Record<string, unknown>, tasks: readonly Task[], workers: number, onResult: (result: Result) => void): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(workers, tasks.length) }, () =>
      new Promise<void>((resolve, reject) => {
        const worker = new Worker(new URL('./ts-worker.mjs', import.meta.url), { workerData: { ...data, module: module.href } });
        const send = () => {
          if (next < tasks.length) worker.postMessage(tasks[next++]);
          else void worker.terminate().then(() => resolve());
        };
        worker.on('message', (result: Result) => {
          onResult(result);
          send();
        });
        worker.on('error', reject);
        worker.on('online', send);
      }),
    ),
  );
}
