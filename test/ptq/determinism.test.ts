import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonSummary } from '../../src/cli/commands/quantize.ts';
import { limitDataset } from '../../src/data/dataset.ts';
import { openDataset } from '../../src/data/node/open-dataset.ts';
import { loadModelFile } from '../../src/node/load-model.ts';
import { startKernelThreads, stopKernelThreads } from '../../src/node/threads/pool.ts';
import type { PtqConfig } from '../../src/ptq/config.ts';
import { runQuantizationJob } from '../../src/ptq/job.ts';

// Loaded once: models and datasets are values (datasets can be iterated again).
const model = loadModelFile('models/mnist-8.onnx');
const digits = await openDataset('data/mnist/calib-images-idx3-ubyte.gz');
const calibration = limitDataset(digits, 64);
const evaluation = limitDataset(digits, 32);

/** One quantization of mnist-8 on `threads` kernel threads: the ONNX bytes, the `quantize --json` text and the whole summary, without timings. */
async function quantize(config: Partial<PtqConfig>, format: 'qdq' | 'qoperator', threads: number) {
  await startKernelThreads(threads);
  try {
    const { onnx, summary } = await runQuantizationJob({ model, modelBytes: 0, calibration, evaluation, config, format, diagnosticSamples: 8 });
    const { seconds, ...rest } = summary;
    const { seconds: printed, ...cli } = jsonSummary({ model: 'models/mnist-8.onnx', output: 'out.onnx' }, summary);
    assert.equal(printed, seconds);
    return { onnx: Buffer.from(onnx), summary: rest, cli: JSON.stringify(cli) };
  } finally {
    await stopKernelThreads();
  }
}

// Thread counts are those of the wasm kernels' worker threads (src/node/threads/pool.ts).
for (const [what, config, format, threads] of [
  ['entropy ranges, per-channel weights, QDQ', { method: 'entropy', granularity: 'channel' }, 'qdq', [1, 2]],
  ['greedy dynamic fixed point, QOperator', { method: 'dfp', weightBits: 6, fixedPointSamples: 8 }, 'qoperator', [2]],
] as const) {
  test(`the same model, data and options give byte-identical ONNX and summary JSON, on 1 or 2 threads: ${what}`, async () => {
    const first = await quantize(config, format, 1);
    for (const n of threads) {
      const again = await quantize(config, format, n);
      assert.ok(again.onnx.equals(first.onnx), `ONNX bytes differ on ${n} thread(s)`);
      assert.equal(again.cli, first.cli, `quantize --json differs on ${n} thread(s)`);
      assert.deepEqual(again.summary, first.summary, `summary differs on ${n} thread(s)`);
    }
  });
}
