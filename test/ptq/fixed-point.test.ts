import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor } from '../../src/ir/tensor.ts';
import { quantizeModel } from '../../src/ptq/quantize-model.ts';
import { createExecutor } from '../../src/runtime/executor.ts';
import { floatKernels } from '../../src/runtime/kernels/float/register.ts';
import { simulatedKernels } from '../../src/runtime/kernels/simulated/register.ts';
import type { Model } from '../../src/ir/graph.ts';
import { mnistData, mnistModel } from './mnist.ts';

/** Σ|logits − float logits| over test images. */
function outputError(quantized: Model, images: Float32Array, count: number): number {
  const float = createExecutor(mnistModel(), floatKernels());
  const q = createExecutor(quantized, simulatedKernels());
  let error = 0;
  for (let i = 0; i < count; i++) {
    const feed = { Input3: tensor('float32', [1, 1, 28, 28], images.slice(i * 784, (i + 1) * 784)) };
    const a = float.runSync(feed).Plus214_Output_0.data;
    const b = q.runSync(feed).Plus214_Output_0.data;
    for (let c = 0; c < a.length; c++) error += Math.abs(a[c] - b[c]);
  }
  return error;
}

const isPowerOfTwo = (x: number) => Number.isInteger(Math.log2(x));

test('sfp: one power-of-two scale for every activation and one for every weight (the lecture baseline)', async () => {
  const calib = mnistData('calib', 50).dataset;
  const { plan } = await quantizeModel(mnistModel(), calib, { method: 'sfp', calibrationLimit: 50, weightBits: 8, activationBits: 8 });
  const activationScales = new Set([...plan.activations.values()].map((a) => a.params.scale[0]));
  const weightScales = new Set([...plan.weights.values()].flatMap((w) => [...w.params.scale]));
  assert.equal(activationScales.size, 1);
  assert.equal(weightScales.size, 1);
  for (const s of [...activationScales, ...weightScales]) assert.ok(isPowerOfTwo(s));
  // The activation scale covers the network's largest |x| without overflow: 127·s ≥ max|x| > 127·s/2.
  const s = [...activationScales][0];
  const largest = Math.max(...[...plan.activations.values()].map((a) => Math.max(-a.range.min, a.range.max)));
  assert.equal(largest, 128 * s); // two's complement range [−128·s, 127·s]
});

test('dfp: per-tensor power-of-two scales, chosen greedily; lower output error than sfp at 6 bits', async () => {
  const calib = mnistData('calib', 64).dataset;
  const config = { calibrationLimit: 64, fixedPointSamples: 16, weightBits: 6, activationBits: 6 };
  const dfp = await quantizeModel(mnistModel(), calib, { ...config, method: 'dfp' });
  const scales = [...dfp.plan.activations.values()].map((a) => a.params.scale[0]);
  for (const s of scales) assert.ok(isPowerOfTwo(s));
  assert.ok(new Set(scales).size > 1, 'layers get different fractional lengths');
  for (const a of dfp.plan.activations.values()) {
    assert.equal(a.params.zeroPoint[0], 0);
    assert.ok(a.curve !== undefined && a.curve.x.length === a.curve.y.length);
    // The chosen fractional length is the curve's argmin.
    const k = a.curve.y.indexOf(Math.min(...a.curve.y));
    assert.equal(2 ** -a.curve.x[k], a.params.scale[0]);
  }
  for (const w of dfp.plan.weights.values()) assert.ok(isPowerOfTwo(w.params.scale[0]));
  const sfp = await quantizeModel(mnistModel(), calib, { ...config, method: 'sfp' });
  const { images } = mnistData('t10k', 32);
  const dfpError = outputError(dfp.quantized, images, 32);
  const sfpError = outputError(sfp.quantized, images, 32);
  assert.ok(dfpError < sfpError, `dfp ${dfpError} vs sfp ${sfpError}`);
});
