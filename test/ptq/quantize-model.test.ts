import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { evaluate } from '../../src/eval/evaluate.ts';
import { exportModel } from '../../src/onnx/export.ts';
import { runQuantizationJob } from '../../src/ptq/job.ts';
import { quantizeModel } from '../../src/ptq/quantize-model.ts';
import { createExecutor } from '../../src/runtime/executor.ts';
import { simulatedKernels } from '../../src/runtime/kernels/simulated/register.ts';
import { mnistData, mnistModel } from './mnist.ts';

const EVAL = 300;

/** onnxruntime-node's predictions (default graph optimizations: its own QDQ fusions) on the first images. */
async function ortPredictions(bytes: Uint8Array, images: Float32Array, count: number): Promise<number[]> {
  const session = await ort.InferenceSession.create(bytes, { logSeverityLevel: 3 });
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const r = await session.run({ Input3: new ort.Tensor('float32', images.slice(i * 784, (i + 1) * 784), [1, 1, 28, 28]) });
    const d = r[session.outputNames[0]].data as Float32Array;
    let best = 0;
    for (let c = 1; c < 10; c++) if (d[c] > d[best]) best = c;
    out.push(best);
  }
  await session.release();
  return out;
}

test('mnist-8 W8A8 (entropy, per channel): quantkit simulated and onnxruntime on the exported QDQ model agree', async () => {
  const calib = mnistData('calib', 200).dataset;
  const { dataset, images, labels } = mnistData('t10k', EVAL);
  const result = await quantizeModel(mnistModel(), calib, { calibrationLimit: 200 });
  const ours = await evaluate(createExecutor(result.quantized, simulatedKernels()), dataset);
  const theirs = await ortPredictions(exportModel(result.quantized), images, EVAL);
  const same = theirs.filter((p, i) => p === ours.predictions[i]).length;
  assert.ok(same >= EVAL - 1, `${same}/${EVAL} identical predictions`);
  const ortTop1 = theirs.filter((p, i) => p === labels[i]).length / EVAL;
  assert.ok(Math.abs(ortTop1 - ours.top1) <= 1 / EVAL, `onnxruntime ${ortTop1} vs quantkit ${ours.top1}`);
});

test('the job summary: float vs simulated top-1, per-tensor SQNR, sizes, and a plan naming every scale', async () => {
  const calibration = mnistData('calib', 100).dataset;
  const evaluation = mnistData('t10k', EVAL).dataset;
  const { summary, onnx } = await runQuantizationJob({ model: mnistModel(), modelBytes: 26454, calibration, evaluation, config: { calibrationLimit: 100, method: 'mse' }, diagnosticSamples: 20 });
  assert.ok(summary.eval !== undefined && summary.eval.samples === EVAL);
  assert.ok(Math.abs(summary.eval.float - summary.eval.simulated) <= 0.01, JSON.stringify(summary.eval));
  assert.equal(summary.sizes.quantized, onnx.length);
  assert.ok(summary.sizes.quantized < summary.sizes.float / 1.5);
  // Weight tensors: 5,994 float32 parameters (4 bytes) + the int64 shape → int8 values, with their
  // float32 scales, int32 biases and zero points: about a quarter.
  assert.equal(summary.sizes.weights.float, 5994 * 4 + 4 * 8);
  const ratio = summary.sizes.weights.quantized / summary.sizes.weights.float;
  assert.ok(ratio > 0.25 && ratio < 0.3, `weights ${ratio}`);
  assert.deepEqual(summary.layers.map((l) => l.tensor), Object.keys(summary.plan.activations));
  for (const l of summary.layers) {
    assert.ok(l.sqnrDb > 25, `${l.tensor}: ${l.sqnrDb} dB`); // 8-bit: tens of dB
    assert.ok(l.range[0] <= 0 && l.range[1] > 0);
  }
  assert.deepEqual(Object.keys(summary.plan.weights).sort(), ['Parameter193_reshape1', 'Parameter5', 'Parameter87']);
  assert.deepEqual(summary.plan.fused, { Convolution28: 'ReLU32', Convolution110: 'ReLU114' });
  assert.equal(summary.calibration.samples, 100);
});
