/** `quantkit report <results.json> -o <out.html>`: the HTML report of a quantization job. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import type { Command } from 'commander';
import { DataError } from '../../errors.ts';
import type { Calibration } from '../../ptq/calibrate.ts';
import type { JobSummaryJSON } from '../../ptq/job.ts';
import { renderReportHtml } from '../../report/html.ts';
import { buildReport, type ReportData } from '../../report/model.ts';
import { parseSummaryJSON } from '../../report/parse.ts';
import { SECTIONS } from '../../report/sections/index.ts';
import { writeOutput } from '../files.ts';
import { printJson } from '../format.ts';
import { readJson, readStatistics } from './calibrate.ts';

interface ReportOptions {
  output: string;
  stats?: string;
  title?: string;
  force?: boolean;
  json?: boolean;
}

let chartLibrary: string | undefined;

/** The Chart.js UMD bundle the page embeds, read once from the installed chart.js package. */
export function chartLibrarySource(): string {
  if (chartLibrary === undefined) {
    // The package's entry is dist/chart.cjs; the self-contained browser bundle sits beside it.
    const entry = createRequire(import.meta.url).resolve('chart.js');
    chartLibrary = readFileSync(join(dirname(entry), 'chart.umd.min.js'), 'utf8');
  }
  return chartLibrary;
}

/** The report model of a summary written by `quantize --json` / `npm start` (their `model` and `output` paths name it). */
export function reportFromSummary(summary: JobSummaryJSON & { model?: unknown; output?: unknown }, statistics?: Calibration, title?: string): ReportData {
  const model = typeof summary.model === 'string' ? summary.model : undefined;
  const output = typeof summary.output === 'string' ? summary.output : undefined;
  return buildReport(summary, {
    ...(model ? { model: basename(model) } : {}),
    ...(output ? { output: basename(output) } : {}),
    ...(statistics ? { statistics } : {}),
    ...(title ? { title } : {}),
  });
}

/** Renders `data` and writes the page atomically; returns its size in bytes. */
export function writeReport(path: string, data: ReportData, options: { force?: boolean; inputs?: readonly string[] }): number {
  const html = renderReportHtml(data, { chartLibrary: chartLibrarySource() });
  writeOutput(path, html, options);
  return Buffer.byteLength(html);
}

export function reportCommand(program: Command): void {
  program
    .command('report')
    .description('render the HTML report of a quantization job: one self-contained page of charts and tables (accuracy, SQNR, histograms and thresholds, KL curves, weight ranges, ...)')
    .argument('<results>', 'the job summary JSON: `quantkit quantize ... --json > results.json`, or out/mnist-8.int8.summary.json of npm start')
    .requiredOption('-o, --output <path>', 'where to write the HTML report')
    .option('--stats <path>', 'calibration statistics of the same model (quantkit calibrate): draw histograms and method thresholds from them')
    .option('--title <text>', 'the page title')
    .option('--force', 'overwrite an existing output file')
    .option('--json', 'print {output, bytes, sections} as JSON')
    .addHelpText(
      'after',
      `
Examples:
  quantkit quantize models/mnist-8.onnx --calib data/mnist/calib-images-idx3-ubyte.gz -o out/q.onnx --json > out/results.json
  quantkit report out/results.json -o out/report.html
  quantkit report out/mnist-8.int8.summary.json -o out/report.html --force          # after npm start
  quantkit report out/results.json --stats out/mnist-8.stats.json -o out/report.html  # histograms from saved statistics`,
    )
    .action((path: string, options: ReportOptions) => {
      const summary = parseSummaryJSON(readJson(path, 'results'), path);
      const statistics = options.stats === undefined ? undefined : readStatistics(options.stats);
      const missing = statistics ? Object.values(summary.plan.activations).find((a) => !statistics.stats.has(a.group)) : undefined;
      if (missing) throw new DataError(`${options.stats} has no statistics for tensor ${missing.group} of this summary's model; calibrate that model`);
      const data = reportFromSummary(summary, statistics, options.title);
      const bytes = writeReport(options.output, data, { force: options.force === true, inputs: [path, ...(options.stats ? [options.stats] : [])] });
      if (options.json) return printJson({ output: options.output, bytes, sections: SECTIONS.map((s) => s.id) });
      console.log(`report: ${options.output} (${(bytes / 1024).toFixed(0)} KiB, ${SECTIONS.length} sections)`);
    });
}
