/**
 * `npm run bench`: runs the benchmark sections and prints one table per section, or with
 * `--json` one JSON object (machine, date, load, rows). `--only <name>[,<name>]` runs some
 * sections. Sections are a registry: adding one is a file in bench/sections/ and a line below.
 * Timing lives here, never in `npm test`; numbers and how they were taken: docs/BENCHMARKS.md.
 */
import { renderRows, speedRatio, type BenchSection } from './lib/report.ts';
import { currentLoad, machineInfo } from './lib/timing.ts';
import { calibrationSection } from './sections/calibration.ts';
import { floatSection } from './sections/float.ts';
import { gemmRecords, gemmSection } from './sections/gemm.ts';
import { modelRecords, modelsSection } from './sections/models.ts';
import { quantizedSection } from './sections/quantized.ts';

const SECTIONS: readonly BenchSection[] = [floatSection, quantizedSection, calibrationSection, gemmSection, modelsSection];

interface Options {
  json: boolean;
  only: string[] | undefined;
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = { json: false, only: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') options.json = true;
    else if (arg === '--only' && i + 1 < argv.length) options.only = argv[++i].split(',');
    else if (arg.startsWith('--only=')) options.only = arg.slice('--only='.length).split(',');
    else if (arg === '--help' || arg === '-h') {
      console.log(`usage: npm run bench [-- --json] [-- --only ${SECTIONS.map((s) => s.name).join(',')}]`);
      process.exit(0);
    } else {
      console.error(`bench: unknown argument ${JSON.stringify(arg)} (try --help)`);
      process.exit(2);
    }
  }
  for (const name of options.only ?? []) {
    if (!SECTIONS.some((s) => s.name === name)) {
      console.error(`bench: no section ${JSON.stringify(name)} (sections: ${SECTIONS.map((s) => s.name).join(', ')})`);
      process.exit(2);
    }
  }
  return options;
}

const options = parseArgs(process.argv.slice(2));
const selected = SECTIONS.filter((s) => options.only === undefined || options.only.includes(s.name));
const machine = machineInfo();
const started = new Date();
const log = (line: string): void => {
  if (!options.json) console.log(line);
};
log(`quantkit bench, ${started.toISOString()}`);
log(`${machine.cpu} (${machine.logicalCpus} logical CPUs), ${machine.platform}, node ${machine.node} (V8 ${machine.v8}), onnxruntime-node ${machine.onnxruntimeNode}, onnxruntime-web ${machine.onnxruntimeWeb}`);
log(`load average (1 min) at start: ${machine.loadBefore.toFixed(2)}`);

const results = [];
for (const section of selected) {
  const start = performance.now();
  const rows = await section.run();
  const seconds = (performance.now() - start) / 1000;
  results.push({ name: section.name, description: section.description, seconds, rows: rows.map((row) => ({ ...row, speedVsBaseline: speedRatio(row, rows) ?? null })) });
  log(`\n== ${section.name}: ${section.description} (${seconds.toFixed(0)} s)\n`);
  log(renderRows(rows));
}
const loadAfter = currentLoad();
log(`\nload average (1 min) at the end: ${loadAfter.toFixed(2)}`);
if (options.json) {
  console.log(JSON.stringify({ date: started.toISOString(), machine: { ...machine, loadAfter }, gemm: gemmRecords, models: modelRecords, sections: results }, null, 2));
}
