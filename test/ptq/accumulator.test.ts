import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accumulatorRisks } from '../../src/ptq/accumulator.ts';
import { quantizeModel } from '../../src/ptq/quantize-model.ts';
import { mnistData, mnistModel } from './mnist.ts';

test('int32 accumulator bound: W8A8 mnist-8 is safe; 16-bit activations with 16-bit weights are flagged; reduceRange halves weights', async () => {
  const calib = mnistData('calib', 30).dataset;
  const safe = await quantizeModel(mnistModel(), calib, { calibrationLimit: 30, method: 'max' });
  assert.deepEqual(accumulatorRisks(safe.prepared, safe.plan), []);
  const wide = await quantizeModel(mnistModel(), calib, { calibrationLimit: 30, method: 'max', weightBits: 16, activationBits: 16 });
  const risks = accumulatorRisks(wide.prepared, wide.plan);
  // conv2 sums 8·5·5 = 200 products of up to 65535 · 32767 (restricted 16-bit weights): far beyond 2^31.
  const conv2 = risks.find((r) => r.node === 'Convolution110');
  assert.ok(conv2 !== undefined && conv2.k === 200, JSON.stringify(risks));
  assert.ok(conv2.bound > 2 ** 31);
  const reduced = await quantizeModel(mnistModel(), calib, { calibrationLimit: 30, method: 'max', reduceRange: true });
  for (const w of reduced.plan.weights.values()) assert.deepEqual([w.params.bits, w.params.qmin, w.params.qmax], [7, -63, 63]);
});
