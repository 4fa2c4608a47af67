import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runCampaign } from '../../scripts/fuzz-pool.ts';

const corpus = [{ name: 'mnist-8', bytes: Uint8Array.from(readFileSync(new URL('../../models/mnist-8.onnx', import.meta.url))) }];

test('the case pool turns a hang, a dying process, heap exhaustion and a memory hog into failures, and goes on', async () => {
  const run = await runCampaign({
    corpus,
    seed: 1,
    cases: 7,
    childModule: new URL('./helpers/stub-child.ts', import.meta.url),
    timeoutMs: 3000,
    heapMb: 64,
    memoryCapBytes: 400 * 2 ** 20,
  });
  assert.deepEqual(run.results.map((r) => [r.index, r.outcome]), [[0, 'ok'], [1, 'hang'], [2, 'crash'], [3, 'oom'], [4, 'oom'], [5, 'ok'], [6, 'ok']]);
  assert.match(run.results[2].message!, /exit 3/);
  assert.match(run.results[4].message!, /resident set \d+ MiB above the cap of 400 MiB/);
  // Failures the pool reports itself are labelled by replaying the case's choices.
  for (const r of run.results.slice(1, 5)) assert.equal(r.model, 'mnist-8');
});
