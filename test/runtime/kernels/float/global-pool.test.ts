import { test } from 'node:test';
import assert from 'node:assert/strict';
import { globalAveragePoolConfig, globalMaxPoolConfig } from '../../../../src/runtime/kernels/float/global-pool.ts';
import { tensor } from '../../../../src/ir/tensor.ts';
import { assertClose, makeNode, randomArray, rng } from '../../helpers.ts';

test('GlobalAveragePool and GlobalMaxPool reduce every spatial axis of each plane, keeping the rank', () => {
  for (const shape of [[2, 3, 5], [2, 3, 4, 5], [1, 2, 2, 3, 4]]) {
    const x = Float32Array.from(randomArray(shape.reduce((p, q) => p * q, 1), rng(shape.length)));
    const plane = shape.slice(2).reduce((p, q) => p * q, 1);
    const planes = Array.from({ length: shape[0] * shape[1] }, (_, p) => Array.from(x.subarray(p * plane, (p + 1) * plane)));
    const outShape = [shape[0], shape[1], ...shape.slice(2).map(() => 1)];
    const [avg] = globalAveragePoolConfig.impl([tensor('float32', shape, x)], makeNode('GlobalAveragePool', ['X'], ['Y']));
    assert.deepEqual(avg.shape, outShape);
    assertClose(avg.data, planes.map((v) => v.reduce((p, q) => p + q, 0) / v.length), `GlobalAveragePool ${shape}`, 1e-6, 1e-7);
    const [max] = globalMaxPoolConfig.impl([tensor('float32', shape, x)], makeNode('GlobalMaxPool', ['X'], ['Y']));
    assert.deepEqual(max.shape, outShape);
    assertClose(max.data, planes.map((v) => Math.max(...v)), `GlobalMaxPool ${shape}`, 0, 0);
  }
});
