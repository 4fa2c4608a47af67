// Prints the Markdown tables of docs/BENCHMARKS.md from `npm run -s bench -- --json` output, so
// that the file's numbers are copied by a program, not by hand.
//
//   npx tsx scripts/bench-tables.ts run.json              the tables of one full run
//   npx tsx scripts/bench-tables.ts --ratios a.json b.json …  one line per run: the target ratios
import { readFileSync } from 'node:fs';

interface Row {
  readonly workload: string;
  readonly engine: string;
  readonly value: number;
  readonly unit: string;
  readonly note?: string;
}
interface Run {
  readonly date: string;
  readonly machine: { readonly loadBefore: number; readonly loadAfter: number };
  readonly sections: readonly { readonly name: string; readonly seconds: number; readonly rows: readonly Row[] }[];
  readonly gemm: readonly { readonly m: number; readonly type: string; readonly threads: number; readonly quantkit_gops: number; readonly ort_web_gops: number; readonly ort_node_gops: number }[];
  readonly models: readonly { readonly name: string; readonly threads: number; readonly quantkit_fp32_ms: number; readonly quantkit_int8_ms: number; readonly ort_web_int8_ms: number }[];
}

const read = (file: string): Run => JSON.parse(readFileSync(file, 'utf8')) as Run;
const fixed = (value: number, digits: number): string => value.toFixed(digits);
const times = (ratio: number): string => `×${fixed(ratio, 2)}`;
const rows = (run: Run, section: string): readonly Row[] => run.sections.find((s) => s.name === section)?.rows ?? [];

function tables(run: Run): string[] {
  const out = [`Run ${run.date.slice(0, 10)} ${run.date.slice(11, 16)} UTC; load ${run.machine.loadBefore} → ${run.machine.loadAfter}; sections ${run.sections.map((s) => `${s.name} ${Math.round(s.seconds)} s`).join(', ')}.`, ''];
  out.push('| type | size | threads | quantkit | onnxruntime-web | quantkit / web | onnxruntime-node | quantkit / node |', '|---|---|---|---:|---:|---:|---:|---:|');
  for (const g of run.gemm) {
    const unit = g.type === 'fp32' ? 'GFLOP/s' : 'GOP/s';
    out.push(`| ${g.type} | ${g.m}³ | ${g.threads} | ${fixed(g.quantkit_gops, 1)} ${unit} | ${fixed(g.ort_web_gops, 1)} | ${times(g.quantkit_gops / g.ort_web_gops)} | ${fixed(g.ort_node_gops, 1)} | ${times(g.quantkit_gops / g.ort_node_gops)} |`);
  }
  out.push('', '| model | threads | quantkit fp32 | quantkit int8 (integer-only) | int8 vs fp32 | onnxruntime-web, same QDQ model | quantkit int8 vs web |', '|---|---|---:|---:|---:|---:|---:|');
  for (const m of run.models) {
    out.push(`| ${m.name} | ${m.threads} | ${fixed(m.quantkit_fp32_ms, 3)} | ${fixed(m.quantkit_int8_ms, 3)} | ${times(m.quantkit_fp32_ms / m.quantkit_int8_ms)} faster | ${fixed(m.ort_web_int8_ms, 3)} | ${times(m.ort_web_int8_ms / m.quantkit_int8_ms)} |`);
  }
  // mnist-8 over t10k: seconds for 10,000 images as µs per image; top-1 from the note
  out.push('', '| engine | µs per image | top-1 |', '|---|---:|---:|');
  for (const row of [...rows(run, 'float'), ...rows(run, 'quantized')].filter((r) => r.workload.startsWith('mnist-8 t10k'))) {
    out.push(`| ${row.engine} | ${fixed((row.value * 1e6) / 10_000, 0)} | ${row.note?.match(/top-1 ([\d.]+)/)?.[1] ?? ''} |`);
  }
  out.push('', '| workload | engine | value |', '|---|---|---:|');
  for (const row of [...rows(run, 'float'), ...rows(run, 'calibration')].filter((r) => !r.workload.startsWith('mnist-8 t10k') && !r.workload.includes('per node'))) {
    out.push(`| ${row.workload} | ${row.engine} | ${fixed(row.value, 2)} ${row.unit}${row.note === undefined ? '' : ` (${row.note})`} |`);
  }
  return out;
}

function ratios(run: Run): string {
  const gemm = (threads: number) => run.gemm.find((g) => g.type === 'u8s8' && g.m === 512 && g.threads === threads)!;
  const model = (name: string, threads: number) => run.models.find((m) => m.name.startsWith(name) && m.threads === threads)!;
  const pair = (f: (threads: number) => number): string => `${times(f(1))} / ${times(f(2))}`;
  const calibration = rows(run, 'calibration');
  const forward = calibration.find((r) => r.engine.startsWith('float forward'))!;
  const entropy = calibration.find((r) => r.engine.startsWith('entropy calibration'))!;
  return [
    run.date.slice(11, 16),
    `${pair((t) => gemm(t).quantkit_gops / gemm(t).ort_web_gops)} (${fixed(gemm(2).quantkit_gops, 0)} vs ${fixed(gemm(2).ort_web_gops, 0)} GOP/s)`,
    pair((t) => model('mnist', t).quantkit_fp32_ms / model('mnist', t).quantkit_int8_ms),
    pair((t) => model('mnist', t).ort_web_int8_ms / model('mnist', t).quantkit_int8_ms),
    pair((t) => model('mobilenet', t).quantkit_fp32_ms / model('mobilenet', t).quantkit_int8_ms),
    pair((t) => model('mobilenet', t).ort_web_int8_ms / model('mobilenet', t).quantkit_int8_ms),
    fixed(entropy.value / forward.value, 2),
  ].join(' | ');
}

const args = process.argv.slice(2);
if (args[0] === '--ratios') for (const file of args.slice(1)) console.log(`| ${ratios(read(file))} |`);
else if (args.length === 1) console.log(tables(read(args[0])).join('\n'));
else {
  console.error('usage: npx tsx scripts/bench-tables.ts run.json | --ratios run.json…');
  process.exit(2);
}
