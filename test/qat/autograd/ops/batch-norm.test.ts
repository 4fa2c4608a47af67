import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor, type Tensor } from '../../../../src/ir/tensor.ts';
import { forward } from '../../../../src/qat/autograd/tape.ts';
import { checkGradients, oneNodeModel, random64, registry } from '../grad-check.ts';

const x = random64([3, 4, 5, 2], 70);
const scale = random64([4], 71, 0.5, 1.5);
const bias = random64([4], 72);
const mean = random64([4], 73);
const variance = random64([4], 74, 0.5, 2);
const inputs: [string, Tensor][] = [['x', x], ['scale', scale], ['B', bias], ['mean', mean], ['var', variance]];

test('BatchNormalization in training: batch statistics, ∂X (through μ and σ of the batch), ∂γ, ∂β', () => {
  checkGradients('BatchNormalization', [...inputs], { training: true, wrt: ['x', 'scale', 'B'], attributes: { epsilon: 1e-3 } });
});

test('BatchNormalization in evaluation: frozen statistics', () => {
  checkGradients('BatchNormalization', [...inputs], { training: false, wrt: ['x', 'scale', 'B'] });
});

test('BatchNormalization in training updates the running statistics as ONNX defines them', () => {
  const { model } = oneNodeModel('BatchNormalization', [...inputs], { attributes: { momentum: 0.8 } });
  const run = forward(model, registry, {}, { training: true });
  // Batch mean and population variance of channel c over N and the spatial axes, in plain loops.
  for (let c = 0; c < 4; c++) {
    const values: number[] = [];
    for (let n = 0; n < 3; n++) for (let i = 0; i < 10; i++) values.push(x.data[(n * 4 + c) * 10 + i]);
    const mu = values.reduce((a, b) => a + b) / values.length;
    const v = values.reduce((a, b) => a + (b - mu) ** 2, 0) / values.length;
    assert.ok(Math.abs(run.updates.get('mean')!.data[c] - (0.8 * mean.data[c] + 0.2 * mu)) < 1e-12);
    assert.ok(Math.abs(run.updates.get('var')!.data[c] - (0.8 * variance.data[c] + 0.2 * v)) < 1e-12);
  }
  assert.equal(forward(model, registry, {}, { training: false }).updates.size, 0);
  assert.deepEqual(tensor('float64', [4]).shape, run.updates.get('mean')!.shape);
});
