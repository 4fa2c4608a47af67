import { test } from 'node:test';
import assert from 'node:assert/strict';
import { batchNormConfig } from '../../../../src/runtime/kernels/float/batch-norm.ts';
import { tensor, type Tensor } from '../../../../src/ir/tensor.ts';
import { ShapeError } from '../../../../src/errors.ts';
import { assertClose, makeNode, randomArray, rng } from '../../helpers.ts';

const shape = [2, 3, 4, 5];
const random = rng(8);
const x = Float32Array.from(randomArray(120, random).map((v) => v * 3 + 1));
const scale = Float32Array.from([0.5, -1, 2]);
const bias = Float32Array.from([0.1, 0, -0.3]);
const mean = Float32Array.from([0.2, -0.1, 1]);
const variance = Float32Array.from([1.5, 0.25, 4]);

function inputs(): Tensor[] {
  return [tensor('float32', shape, x), ...[scale, bias, mean, variance].map((v) => tensor('float32', [3], v))];
}

/** Channel of flat index i in N × C × 20. */
const channelOf = (i: number): number => Math.floor(i / 20) % 3;

test('BatchNormalization (inference) applies (x − mean) / sqrt(var + eps) · scale + B per channel', () => {
  const epsilon = 1e-3;
  const [y] = batchNormConfig.impl(inputs(), makeNode('BatchNormalization', ['X', 's', 'b', 'm', 'v'], ['Y'], {}, { epsilon }));
  const expected = Array.from(x, (v, i) => {
    const c = channelOf(i);
    return ((v - mean[c]) / Math.sqrt(variance[c] + epsilon)) * scale[c] + bias[c];
  });
  assert.deepEqual(y.shape, shape);
  assertClose(y.data, expected, 'BatchNormalization', 1e-6, 1e-6);
});

test('BatchNormalization training mode uses batch statistics and updates the running ones', () => {
  const momentum = 0.8;
  const [y, runningMean, runningVar] = batchNormConfig.impl(inputs(), makeNode('BatchNormalization', ['X', 's', 'b', 'm', 'v'], ['Y', 'rm', 'rv'], { training_mode: 1 }, { momentum }));
  const batchMean = [0, 1, 2].map((c) => {
    const values = Array.from(x).filter((_, i) => channelOf(i) === c);
    return values.reduce((p, q) => p + q, 0) / values.length;
  });
  const batchVar = [0, 1, 2].map((c) => {
    const values = Array.from(x).filter((_, i) => channelOf(i) === c);
    return values.reduce((p, q) => p + (q - batchMean[c]) ** 2, 0) / values.length;
  });
  const expected = Array.from(x, (v, i) => {
    const c = channelOf(i);
    return ((v - batchMean[c]) / Math.sqrt(batchVar[c] + 1e-5)) * scale[c] + bias[c];
  });
  assertClose(y.data, expected, 'training Y', 1e-6, 1e-6);
  assertClose(runningMean.data, [0, 1, 2].map((c) => mean[c] * momentum + batchMean[c] * (1 - momentum)), 'running_mean', 1e-6, 1e-7);
  assertClose(runningVar.data, [0, 1, 2].map((c) => variance[c] * momentum + batchVar[c] * (1 - momentum)), 'running_var', 1e-6, 1e-7);
});

test('BatchNormalization rejects per-channel inputs of the wrong size', () => {
  const bad = inputs();
  bad[3] = tensor('float32', [4]);
  assert.throws(() => batchNormConfig.impl(bad, makeNode('BatchNormalization', [], ['Y'])), (e: unknown) => e instanceof ShapeError && /batchnormalization_under_test/.test(e.message) && /\[4\], expected \[3\]/.test(e.message));
});
