import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layerNormConfig } from '../../../../src/runtime/kernels/float/layer-norm.ts';
import { tensor } from '../../../../src/ir/tensor.ts';
import { ShapeError } from '../../../../src/errors.ts';
import { assertClose, makeNode, randomArray, rng } from '../../helpers.ts';

const shape = [2, 3, 4];
const x = Float32Array.from(randomArray(24, rng(4)).map((v) => v * 5 - 1));

/** Per group of trailing elements: mean, biased variance, then the affine map (scale/bias given per element). */
function reference(axis: number, epsilon: number, scale: (i: number) => number, bias: (i: number) => number) {
  const size = shape.slice(axis).reduce((p, q) => p * q, 1);
  const y: number[] = [];
  const means: number[] = [];
  const invs: number[] = [];
  for (let start = 0; start < x.length; start += size) {
    const group = Array.from(x.subarray(start, start + size));
    const mu = group.reduce((p, q) => p + q, 0) / size;
    const variance = group.reduce((p, q) => p + (q - mu) ** 2, 0) / size;
    const inv = 1 / Math.sqrt(variance + epsilon);
    group.forEach((v, i) => y.push((v - mu) * inv * scale(i) + bias(i)));
    means.push(mu);
    invs.push(inv);
  }
  return { y, means, invs };
}

test('LayerNormalization over the last axis and over the last two, with Mean and InvStdDev outputs', () => {
  const scale = Float32Array.from([0.5, 2, -1, 1.5]);
  const bias = Float32Array.from([0, 0.1, 0.2, -0.3]);
  const [y, mean, inv] = layerNormConfig.impl([tensor('float32', shape, x), tensor('float32', [4], scale), tensor('float32', [4], bias)], makeNode('LayerNormalization', ['X', 'S', 'B'], ['Y', 'M', 'I']));
  const expected = reference(2, 1e-5, (i) => scale[i], (i) => bias[i]);
  assertClose(y.data, expected.y, 'Y (axis -1)', 1e-5, 1e-6);
  assert.deepEqual(mean.shape, [2, 3, 1]);
  assert.equal(mean.dtype, 'float32');
  assertClose(mean.data, expected.means, 'Mean', 1e-6, 1e-7);
  assertClose(inv.data, expected.invs, 'InvStdDev', 1e-6, 1e-7);

  // axis 1: Scale [3, 4] without bias; Scale [4] broadcast over the normalised [3, 4] shape.
  const wide = Float32Array.from(randomArray(12, rng(2)));
  const [y2, mean2] = layerNormConfig.impl([tensor('float32', shape, x), tensor('float32', [3, 4], wide)], makeNode('LayerNormalization', ['X', 'S'], ['Y', 'M'], { axis: 1 }, { epsilon: 0.1 }));
  const expected2 = reference(1, 0.1, (i) => wide[i], () => 0);
  assertClose(y2.data, expected2.y, 'Y (axis 1)', 1e-5, 1e-6);
  assert.deepEqual(mean2.shape, [2, 1, 1]);
  const [y3] = layerNormConfig.impl([tensor('float32', shape, x), tensor('float32', [4], scale)], makeNode('LayerNormalization', ['X', 'S'], ['Y'], { axis: -2 }));
  assertClose(y3.data, reference(1, 1e-5, (i) => scale[i % 4], () => 0).y, 'Y (broadcast scale)', 1e-5, 1e-6);
});

test('LayerNormalization rejects a Scale that does not broadcast to the normalised shape', () => {
  assert.throws(
    () => layerNormConfig.impl([tensor('float32', shape, x), tensor('float32', [3])], makeNode('LayerNormalization', ['X', 'S'], ['Y'])),
    (e: unknown) => e instanceof ShapeError && /layernormalization_under_test/.test(e.message) && /Scale/.test(e.message),
  );
});
