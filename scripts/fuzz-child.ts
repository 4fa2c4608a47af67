/**
 * One fuzz case process of scripts/fuzz-pool.ts: receives the corpus once, says it is ready (so
 * start-up time does not count against a case's time bound), then runs the cases it is sent one
 * at a time, in order (the pool sends the next one ahead), and posts each result back with the
 * process's peak resident set so far.
 */
import type { Limits } from '../src/ir/limits.ts';
import { runCase } from '../src/fuzz/campaign.ts';
import type { CorpusEntry } from '../src/fuzz/corpus.ts';

export interface ChildSetup {
  readonly corpus: readonly CorpusEntry[];
  readonly seed: number;
  readonly limits: Partial<Limits>;
}

let setup: ChildSetup | undefined;
let queue = Promise.resolve();
process.on('message', (message: ChildSetup | { index: number }) => {
  if ('corpus' in message) {
    setup = message;
    process.send!({ ready: true });
    return;
  }
  queue = queue.then(async () => {
    const result = await runCase(setup!.seed, message.index, setup!.corpus, setup!.limits);
    process.send!({ result, maxRssBytes: process.resourceUsage().maxRSS * 1024 });
  });
});
