/**
 * `npm run fuzz`: a fuzz campaign over the corpus (src/fuzz/), in child processes with a time
 * bound and a memory cap per case, written to docs/RELIABILITY.md.
 *
 *   npm run fuzz                              # 10,000 cases, seed 1
 *   npm run fuzz -- --cases 2000 --seed 42    # another campaign
 *   npm run fuzz -- --seed 42 --only 1234     # replay one case here, with its full error
 *
 * Exits 1 when any case crashed, hung or ran out of memory.
 */
import { execSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { FUZZ_LIMITS, prepareCase, runCase } from '../src/fuzz/campaign.ts';
import { loadCorpus } from '../src/fuzz/corpus.ts';
import { failures, renderReport } from '../src/fuzz/report.ts';
import { runCampaign } from './fuzz-pool.ts';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`--${name} needs a non-negative integer, got ${process.argv[at + 1]}`);
  return value;
}

const seed = option('seed', 1);
const corpus = await loadCorpus((path) => readFileSync(new URL(`../${path}`, import.meta.url)));

if (process.argv.includes('--only')) {
  const index = option('only', 0);
  const { spec, bytes } = prepareCase(seed, index, corpus);
  writeFileSync(`fuzz-case-${seed}-${index}.onnx`, bytes);
  console.log(`case ${index} of seed ${seed}: ${spec.kind} on ${spec.model}; the mutated file is fuzz-case-${seed}-${index}.onnx`);
  console.log(await runCase(seed, index, corpus));
  process.exit(0);
}

const cases = option('cases', 10_000);
const processes = option('processes', Math.min(2, availableParallelism()));
const timeoutMs = option('timeout', 30) * 1000;
const memoryCapBytes = 2 ** 31;
const run = await runCampaign({
  corpus,
  seed,
  cases,
  processes,
  timeoutMs,
  memoryCapBytes,
  onResult: (result, done) => {
    if (result.outcome !== 'ok' && result.outcome !== 'error') process.stderr.write(`\ncase ${result.index}: ${result.outcome} (${result.kind} on ${result.model}): ${result.message}\n`);
    if (done % 100 === 0 || done === cases) process.stderr.write(`\r${done}/${cases} cases`);
  },
});
process.stderr.write('\n');

const commit = (() => {
  try {
    return execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
})();
const report = renderReport({
  results: run.results,
  seed,
  seconds: run.seconds,
  peakRssBytes: run.peakRssBytes,
  limits: FUZZ_LIMITS,
  timeoutMs,
  memoryCapBytes,
  processes,
  corpus: corpus.map((c) => c.name),
  environment: `${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, commit ${commit}`,
});
writeFileSync(new URL('../docs/RELIABILITY.md', import.meta.url), report);
const bad = failures(run.results);
console.log(`${run.results.length} cases in ${run.seconds.toFixed(0)} s, ${bad.length} failures; docs/RELIABILITY.md written`);
process.exit(bad.length > 0 ? 1 : 0);
