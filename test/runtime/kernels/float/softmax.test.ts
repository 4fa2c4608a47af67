import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logSoftmaxConfig, softmaxConfig } from '../../../../src/runtime/kernels/float/softmax.ts';
import { tensor } from '../../../../src/ir/tensor.ts';
import { roundToMinifloat } from '../../../../src/numeric/minifloat.ts';
import { ShapeError } from '../../../../src/errors.ts';
import { assertClose, makeNode, randomArray, rng } from '../../helpers.ts';

/** softmax along `axis` by gathering each lane into a plain array. */
function reference(x: ArrayLike<number>, shape: number[], axis: number, log: boolean): number[] {
  const out = new Array<number>(x.length);
  const inner = shape.slice(axis + 1).reduce((p, q) => p * q, 1);
  const len = shape[axis];
  for (let start = 0; start < x.length; start++) {
    if (Math.floor(start / inner) % len !== 0) continue; // first element of a lane
    const lane = Array.from({ length: len }, (_, j) => x[start + j * inner]);
    const max = Math.max(...lane);
    const exps = lane.map((v) => Math.exp(v - max));
    const total = exps.reduce((p, q) => p + q, 0);
    lane.forEach((v, j) => {
      out[start + j * inner] = log ? v - max - Math.log(total) : exps[j] / total;
    });
  }
  return out;
}

test('Softmax and LogSoftmax along every axis (negative too) of a 3-D tensor', () => {
  const shape = [3, 4, 5];
  const x = Float32Array.from(randomArray(60, rng(1)).map((v) => v * 10));
  for (const axis of [0, 1, 2, -1, -3]) {
    for (const [config, log] of [[softmaxConfig, false], [logSoftmaxConfig, true]] as const) {
      const [y] = config.impl([tensor('float32', shape, x)], makeNode(config.op, ['X'], ['Y'], { axis }));
      assert.deepEqual(y.shape, shape);
      assertClose(y.data, reference(x, shape, axis < 0 ? axis + 3 : axis, log), `${config.op} axis ${axis}`, 1e-6, 1e-7);
    }
  }
});

test('Softmax defaults to the last axis, stays finite on large logits and rounds float16 outputs', () => {
  const x = [1000, 1001, 1002, -1000, 0, 1000];
  const [y] = softmaxConfig.impl([tensor('float32', [2, 3], Float32Array.from(x))], makeNode('Softmax', ['X'], ['Y']));
  assertClose(y.data, reference(x, [2, 3], 1, false), 'large logits', 1e-6, 1e-7);
  const [h] = softmaxConfig.impl([tensor('float16', [2, 3], Float32Array.from([0.5, 1, 2, 3, 0.25, -1]))], makeNode('Softmax', ['X'], ['Y']));
  assert.equal(h.dtype, 'float16');
  for (const v of h.data) assert.equal(roundToMinifloat('float16', v), v);
  assertClose(h.data, reference([0.5, 1, 2, 3, 0.25, -1], [2, 3], 1, false), 'float16', 1e-3, 1e-4);
});

test('Softmax rejects an axis outside the rank, naming the node', () => {
  assert.throws(() => softmaxConfig.impl([tensor('float32', [2, 3])], makeNode('Softmax', ['X'], ['Y'], { axis: 2 })), (e: unknown) => e instanceof ShapeError && /softmax_under_test/.test(e.message));
});
