/** `quantkit quantize <model.onnx> --calib <data> -o <out.onnx>`: post-training quantization to a QDQ model. */
import type { Command } from 'commander';
import { RANGE_METHODS, rangeMethod } from '../../calib/methods/registry.ts';
import type { PtqConfig } from '../../ptq/config.ts';
import { runQuantizationJob, summaryToJSON, type JobSummary, type JobSummaryJSON } from '../../ptq/job.ts';
import type { Granularity } from '../../quant/granularity.ts';
import type { QuantScheme } from '../../quant/params.ts';
import { openCommandDataset } from '../dataset.ts';
import { UsageError } from '../errors.ts';
import { loadModel, refuseStdoutTarget, sidecarPath, writeOutput } from '../files.ts';
import { formatBytes, percent, printJson, table } from '../format.ts';
import { intInRange, numberIn, oneOf, positiveInt } from '../options.ts';
import { progressBar } from '../progress.ts';
import { threadsOption } from '../threads.ts';
import { readStatistics } from './calibrate.ts';
import { reportFromSummary, writeReport } from './report.ts';

interface QuantizeOptions {
  calib?: string;
  ranges?: string;
  report?: string;
  calibLimit: number;
  method: string;
  percentile: number;
  granularity: Granularity;
  groupSize: number;
  wbits: number;
  abits: number;
  weightScheme: QuantScheme;
  activationScheme: QuantScheme;
  signedActivations?: boolean;
  exclude: string[];
  output: string;
  plan?: string;
  eval?: string;
  evalLimit?: number;
  skipNonfinite?: boolean;
  reduceRange?: boolean;
  format: 'qdq' | 'qoperator';
  force?: boolean;
  json?: boolean;
}

const SCHEMES: QuantScheme[] = ['symmetric', 'symmetric-full', 'asymmetric', 'unsigned'];

export function quantizeCommand(program: Command): void {
  threadsOption(program.command('quantize'), '1')
    .description('post-training quantization: calibrate, choose ranges, write a standard QDQ ONNX model')
    .argument('<model>', 'float ONNX model (preprocessing from <model>.json beside it, if present)')
    .option('--calib <path>', 'calibration data: IDX images, .npy samples or an image folder (never your test set)')
    .option('--ranges <stats.json>', 'use calibration statistics saved by quantkit calibrate instead of calibrating (methods max, percentile, mse, entropy)')
    .requiredOption('-o, --output <path>', 'where to write the quantized (QDQ) ONNX model')
    .option('--calib-limit <n>', 'calibration samples used at most', positiveInt('--calib-limit'), 1000)
    .option('--method <name>', `activation range method: ${[...RANGE_METHODS.keys()].join(', ')}`, oneOf('--method', [...RANGE_METHODS.keys()]), 'entropy')
    .option('--percentile <p>', 'percentile for --method percentile', numberIn('--percentile', (p) => p > 0 && p <= 100, 'in (0, 100]'), 99.99)
    .option('--granularity <g>', 'weight granularity: tensor, channel or group', oneOf<Granularity>('--granularity', ['tensor', 'channel', 'group']), 'channel')
    .option('--group-size <n>', 'elements per group along the reduction axis (--granularity group)', positiveInt('--group-size'), 32)
    .option('--wbits <n>', 'weight bits (2–16)', intInRange('--wbits', 2, 16), 8)
    .option('--abits <n>', 'activation bits (2–16)', intInRange('--abits', 2, 16), 8)
    .option('--weight-scheme <s>', `weight scheme: ${SCHEMES.join(', ')}`, oneOf('--weight-scheme', SCHEMES), 'symmetric')
    .option('--activation-scheme <s>', `activation scheme: ${SCHEMES.join(', ')}`, oneOf('--activation-scheme', SCHEMES), 'asymmetric')
    .option('--signed-activations', 'store activations as int instead of uint (needed by symmetric activation schemes)')
    .option('--exclude <names...>', 'node names or op types to keep in float', [])
    .option('--format <form>', 'qdq (QuantizeLinear/DequantizeLinear around float ops) or qoperator (QLinearConv, QGemm, ...)', oneOf('--format', ['qdq', 'qoperator'] as const), 'qdq')
    .option('--plan <path>', 'also write the quantization plan (scales, zero points, ranges) as JSON')
    .option('--report <out.html>', 'also write the HTML report (charts and tables, one self-contained file)')
    .option('--eval <path>', 'labelled data to report float vs simulated top-1 on')
    .option('--eval-limit <n>', 'evaluate only the first n samples', positiveInt('--eval-limit'))
    .option('--skip-nonfinite', 'drop calibration samples with NaN/±∞ activations (counted) instead of failing')
    .option('--reduce-range', 'quantize weights with one bit less (7-bit values in int8) when the int32 accumulator could overflow')
    .option('--force', 'overwrite existing output files')
    .option('--json', 'print one JSON object (output, eval, layers, sizes, plan, ...)')
    .addHelpText(
      'after',
      `
Examples:
  quantkit quantize models/mnist-8.onnx --calib data/mnist/calib-images-idx3-ubyte.gz -o out/mnist-8.int8.onnx
  quantkit quantize models/mnist-8.onnx --calib data/mnist/calib-images-idx3-ubyte.gz --method mse --wbits 4 \\
      --granularity channel -o out/mnist-8.w4a8.onnx --eval data/mnist/t10k-images-idx3-ubyte.gz --json
  quantkit quantize models/mnist-8.onnx --calib data/mnist/calib-images-idx3-ubyte.gz --method dfp --wbits 8 --abits 8 -o out/dfp8.onnx
  quantkit quantize models/mnist-8.onnx --calib data/mnist/calib-images-idx3-ubyte.gz -o out/q.onnx --report out/report.html
  quantkit calibrate models/mnist-8.onnx --calib data/mnist/calib-images-idx3-ubyte.gz -o out/stats.json
  quantkit quantize models/mnist-8.onnx --ranges out/stats.json --calib data/mnist/calib-images-idx3-ubyte.gz --method percentile -o out/p.onnx

With --ranges, --calib is read only for the per-tensor diagnostics (SQNR, integer vs simulated); without it they
run on the --eval data.`,
    )
    .action(async (path: string, options: QuantizeOptions) => {
      if (options.calib === undefined && options.ranges === undefined) throw new UsageError('quantize needs calibration data (--calib <path>) or saved statistics (--ranges <stats.json> from quantkit calibrate)');
      if (options.ranges !== undefined && rangeMethod(options.method).level !== 'tensor') {
        throw new UsageError(`--ranges serves the methods that pick a range per tensor (max, percentile, mse, entropy); ${options.method} runs the network to search`);
      }
      const diagnosticData = options.calib ?? options.eval;
      if (diagnosticData === undefined) throw new UsageError('--ranges without --calib needs --eval data: the per-tensor diagnostics run on a few samples');
      const loaded = loadModel(path);
      // before any work: an output the shell has redirected standard output to (see refuseStdoutTarget)
      refuseStdoutTarget([options.output, ...(loaded.sidecar ? [sidecarPath(options.output)] : []), ...(options.plan ? [options.plan] : []), ...(options.report ? [options.report] : [])]);
      const statistics = options.ranges === undefined ? undefined : readStatistics(options.ranges);
      const calibration = await openCommandDataset(diagnosticData, loaded.sidecar, undefined);
      const evaluation = options.eval === undefined ? undefined : await openCommandDataset(options.eval, loaded.sidecar, options.evalLimit);
      const config: Partial<PtqConfig> = {
        weightBits: options.wbits,
        activationBits: options.abits,
        method: options.method,
        percentile: options.percentile,
        granularity: options.granularity,
        groupSize: options.groupSize,
        weightScheme: options.weightScheme,
        activationScheme: options.activationScheme,
        activationSigned: options.signedActivations === true || options.activationScheme.startsWith('symmetric'),
        calibrationLimit: options.calibLimit,
        exclude: options.exclude,
        skipNonFinite: options.skipNonfinite === true,
        reduceRange: options.reduceRange === true,
      };
      const bars = new Map<string, ReturnType<typeof progressBar>>();
      const job = await runQuantizationJob({
        model: loaded.model,
        modelBytes: loaded.bytes,
        calibration,
        ...(statistics ? { statistics } : {}),
        ...(evaluation ? { evaluation } : {}),
        config,
        format: options.format,
        onProgress: (stage, done, total) => {
          let bar = bars.get(stage);
          if (bar === undefined) {
            for (const b of bars.values()) b.stop();
            bar = progressBar(stage, !options.json);
            bars.set(stage, bar);
          }
          bar.update(done, total);
        },
      });
      for (const b of bars.values()) b.stop();
      writeOutput(options.output, job.onnx, { force: options.force === true, inputs: [path] });
      // The quantized model takes the same input: its sidecar goes with it.
      if (loaded.sidecar) writeOutput(sidecarPath(options.output), `${JSON.stringify(loaded.sidecar, null, 2)}\n`, { force: options.force === true, inputs: [path, sidecarPath(path)] });
      if (options.plan) writeOutput(options.plan, `${JSON.stringify(job.summary.plan, null, 2)}\n`, { force: options.force === true, inputs: [path] });
      const json = jsonSummary({ model: path, output: options.output }, job.summary);
      if (options.report) writeReport(options.report, reportFromSummary(json), { force: options.force === true, inputs: [path] });
      if (options.json) return printJson(json);
      printSummary(path, options.output, job.summary);
    });
}

/**
 * The --json object (also the results file `quantkit report` reads): the model and output paths,
 * then the summary's JSON form (ptq/job.ts summaryToJSON: eval and layers first).
 */
export function jsonSummary(paths: { model: string; output: string }, s: JobSummary): JobSummaryJSON & { model: string; output: string } {
  return { model: paths.model, output: paths.output, ...summaryToJSON(s) };
}

export function printSummary(input: string, output: string, s: JobSummary): void {
  const c = s.config;
  console.log(`${input} → ${output}`);
  console.log(`W${c.weightBits}A${c.activationBits}, ${c.method} ranges, ${c.granularity} weights; calibrated on ${s.calibration.samples} samples${s.calibration.skipped ? ` (${s.calibration.skipped} skipped: non-finite)` : ''}`);
  if (s.eval) {
    console.log('');
    console.log(table(['', 'top-1', 'Δ vs float'], [
      ['float (FP32)', percent(s.eval.float), ''],
      ['simulated (fake-quant)', percent(s.eval.simulated), `${((s.eval.simulated - s.eval.float) * 100).toFixed(2)} pts`],
      ['integer-only', percent(s.eval.integer), `${((s.eval.integer - s.eval.float) * 100).toFixed(2)} pts`],
    ]));
    console.log(`(${s.eval.samples} samples)`);
  }
  console.log('');
  console.log(table(['tensor', 'bits', 'range', 'SQNR dB', 'clipped'], s.layers.map((l) => [l.tensor, String(l.bits), `[${l.range[0].toPrecision(4)}, ${l.range[1].toPrecision(4)}]`, l.sqnrDb.toFixed(1), percent(l.clippedFraction, 3)])));
  console.log(`\nsize: ${formatBytes(s.sizes.float)} float → ${formatBytes(s.sizes.quantized)} quantized (weights ${formatBytes(s.sizes.weights.float)} → ${formatBytes(s.sizes.weights.quantized)}); ${s.seconds.quantize.toFixed(1)} s to quantize, ${s.seconds.evaluate.toFixed(1)} s to evaluate`);
  if (s.plan.floatNodes.length > 0) console.log(`not quantized: ${s.plan.floatNodes.join(', ')}`);
  for (const f of s.integer.fallbacks) console.log(`integer execution runs ${f.node} (${f.opType}) in float: ${f.reason}`);
  for (const r of s.accumulatorRisks) {
    console.log(`warning: ${r.node} sums ${r.k} products; its int32 accumulator could reach ${r.bound.toExponential(2)} > 2^31 in integer execution (try --reduce-range or fewer bits)`);
  }
}
