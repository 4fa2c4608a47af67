import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Step } from '../../src/fuzz/pipeline.ts';
import { loadCorpus } from '../../src/fuzz/corpus.ts';
import { MUTATIONS } from '../../src/fuzz/mutations.ts';
import { failures } from '../../src/fuzz/report.ts';
import { runCampaign } from '../../scripts/fuzz-pool.ts';

// A fixed seed, so a failure here replays with `npm run fuzz -- --seed 20261127 --only <case>`.
const SEED = 20261127;

test('1,000 fuzz cases over real models end ok or in a typed error: no crash, hang or out-of-memory', async () => {
  const corpus = await loadCorpus((path) => readFileSync(new URL(`../../${path}`, import.meta.url)));
  const { results } = await runCampaign({ corpus, seed: SEED, cases: 1000 });
  assert.equal(results.length, 1000);
  assert.deepEqual(failures(results).map((r) => `case ${r.index} (${r.kind} on ${r.model}): ${r.outcome} at ${r.step}: ${r.message}`), []);
  // The damage reaches every stage, not only the protobuf decoder.
  const passed = (step: Step) => results.filter((r) => r.passed?.includes(step)).length;
  for (const [step, least] of [['import', 250], ['run', 100], ['quantize', 25], ['run-quantized', 25]] as const) {
    assert.ok(passed(step) >= least, `only ${passed(step)} cases got past ${step}`);
  }
  for (const kind of Object.keys(MUTATIONS)) assert.ok(results.some((r) => r.kind === kind), `no ${kind} case`);
  // Undamaged mnist-8 models, float and quantized, pass the whole pipeline.
  const clean = results.filter((r) => r.kind === 'none' && r.model.startsWith('mnist-8'));
  assert.ok(clean.length > 0);
  for (const r of clean) assert.equal(r.outcome, 'ok', `${r.model}: ${r.message}`);
});
