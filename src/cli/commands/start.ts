/**
 * `quantkit start` (`npm start`): the main job on the bundled default — quantize mnist-8 with the
 * default settings on the bundled calibration digits (MNIST training distribution), evaluate FP32
 * and the quantized model on the official t10k set, and write the results (model, summary, HTML
 * report) under out/.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { runQuantizationJob } from '../../ptq/job.ts';
import { openCommandDataset } from '../dataset.ts';
import { loadModel, sidecarPath, writeOutput } from '../files.ts';
import { printJson } from '../format.ts';
import { progressBar } from '../progress.ts';
import { threadsOption } from '../threads.ts';
import { wasmStatus } from '../../runtime/wasm/index.ts';
import { jsonSummary, printSummary } from './quantize.ts';
import { reportFromSummary, writeReport } from './report.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export const DEFAULT_JOB = {
  model: join(ROOT, 'models/mnist-8.onnx'),
  calibration: join(ROOT, 'data/mnist/calib-images-idx3-ubyte.gz'),
  evaluation: join(ROOT, 'data/mnist/t10k-images-idx3-ubyte.gz'),
  output: join(ROOT, 'out/mnist-8.int8.onnx'),
  summary: join(ROOT, 'out/mnist-8.int8.summary.json'),
  report: join(ROOT, 'out/report.html'),
};

export function startCommand(program: Command): void {
  threadsOption(program.command('start'), 'auto')
    .description('the main job on the bundled default: quantize mnist-8 (W8A8), evaluate FP32 vs quantized on the official t10k, write out/')
    .option('--json', 'print one JSON object')
    .action(async (options: { json?: boolean }) => {
      const started = performance.now();
      const loaded = loadModel(DEFAULT_JOB.model);
      const calibration = await openCommandDataset(DEFAULT_JOB.calibration, loaded.sidecar, undefined);
      const evaluation = await openCommandDataset(DEFAULT_JOB.evaluation, loaded.sidecar, undefined);
      let bar = progressBar('', false);
      let current = '';
      const job = await runQuantizationJob({
        model: loaded.model,
        modelBytes: loaded.bytes,
        calibration,
        evaluation,
        onProgress: (stage, done, total) => {
          if (stage !== current) {
            bar.stop();
            bar = progressBar(stage, !options.json);
            current = stage;
          }
          bar.update(done, total);
        },
      });
      bar.stop();
      mkdirSync(dirname(DEFAULT_JOB.output), { recursive: true });
      // out/ holds this command's own results: each run replaces them (atomically).
      writeOutput(DEFAULT_JOB.output, job.onnx, { force: true, inputs: [DEFAULT_JOB.model] });
      if (loaded.sidecar) writeOutput(sidecarPath(DEFAULT_JOB.output), `${JSON.stringify(loaded.sidecar, null, 2)}\n`, { force: true });
      const json = jsonSummary({ model: DEFAULT_JOB.model, output: DEFAULT_JOB.output }, job.summary);
      writeOutput(DEFAULT_JOB.summary, `${JSON.stringify(json, null, 2)}\n`, { force: true });
      writeReport(DEFAULT_JOB.report, reportFromSummary(json), { force: true });
      if (options.json) return printJson(json);
      printSummary('models/mnist-8.onnx', 'out/mnist-8.int8.onnx', job.summary);
      const wasm = wasmStatus();
      const kernels = wasm.active ? `WebAssembly SIMD${wasm.relaxed ? ' (relaxed)' : ''} on ${wasm.threads} thread${wasm.threads > 1 ? 's' : ''}` : `TypeScript (${wasm.notes.join('; ')})`;
      console.log(`summary: out/mnist-8.int8.summary.json; report: out/report.html; kernels: ${kernels}; total ${((performance.now() - started) / 1000).toFixed(1)} s`);
    });
}
