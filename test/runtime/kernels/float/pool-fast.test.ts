import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isMaxPool2d, maxPool2d, maxPoolConfig, maxPoolImpl } from '../../../../src/runtime/kernels/float/pool.ts';
import { poolWindow, type Window } from '../../../../src/runtime/kernels/float/window.ts';
import { allocate, type DType } from '../../../../src/ir/dtype.ts';
import { tensor } from '../../../../src/ir/tensor.ts';
import { makeNode, randomInt, rng } from '../../helpers.ts';

function windowOf(spatial: number[], attrs: Record<string, number | string | number[]>): Window {
  return poolWindow(makeNode('MaxPool', ['X'], ['Y'], attrs), spatial);
}

/** Fills x with random values of `dtype`, and for floats sprinkles NaN and ±∞. */
function randomInput(dtype: DType, length: number, random: () => number): ReturnType<typeof allocate> {
  const x = allocate(dtype, length);
  for (let i = 0; i < length; i++) {
    const r = random();
    if (dtype === 'int8') x[i] = randomInt(random, -128, 127);
    else if (dtype === 'uint8') x[i] = randomInt(random, 0, 255);
    else x[i] = r < 0.05 ? NaN : r < 0.07 ? -Infinity : r < 0.08 ? Infinity : random() * 200 - 100;
  }
  // A whole window of NaN somewhere (its max is −∞ in both loops).
  if (dtype === 'float32' && length >= 4) x.fill(NaN, 0, 4);
  return x;
}

/** maxPool2d against maxPoolImpl (the general loop): exactly equal, including NaN positions. */
function check(dtype: DType, planes: number, spatial: number[], attrs: Record<string, number | string | number[]>, seed: number): void {
  const window = windowOf(spatial, attrs);
  assert.ok(isMaxPool2d(window), `fast path applies to ${JSON.stringify({ spatial, attrs })}`);
  const random = rng(seed);
  const x = randomInput(dtype, planes * spatial.reduce((p, q) => p * q, 1), random);
  const outSize = planes * window.output.reduce((p, q) => p * q, 1);
  const expected = allocate(dtype, outSize);
  maxPoolImpl(x, planes, window, expected);
  const actual = allocate(dtype, outSize);
  maxPool2d(x, planes, window, actual);
  assert.deepEqual(Array.from(actual), Array.from(expected), `maxPool2d ${dtype} ${JSON.stringify({ planes, spatial, attrs })}`);
}

test('maxPool2d equals the general MaxPool loop on 300 seeded random 1-D and 2-D windows (pads, strides, ceil_mode, auto_pad)', () => {
  const random = rng(4242);
  const types: DType[] = ['float32', 'float64', 'int8', 'uint8'];
  for (let i = 0; i < 300; i++) {
    const rank = randomInt(random, 1, 2);
    const kernel = Array.from({ length: rank }, () => randomInt(random, 1, 5));
    const strides = kernel.map(() => randomInt(random, 1, 3));
    // Pads smaller than the kernel, as ONNX requires for pooling.
    const pads = [...kernel, ...kernel].map((k) => randomInt(random, 0, k - 1));
    const spatial = kernel.map((k) => k + randomInt(random, 0, 12));
    const autoPad = ['NOTSET', 'NOTSET', 'SAME_UPPER', 'SAME_LOWER', 'VALID'][randomInt(random, 0, 4)];
    const attrs: Record<string, number | string | number[]> = { kernel_shape: kernel, strides, ceil_mode: randomInt(random, 0, 1) };
    if (autoPad === 'NOTSET') attrs.pads = pads;
    else attrs.auto_pad = autoPad;
    check(types[i % types.length], randomInt(random, 1, 5), spatial, attrs, 100 + i);
  }
});

test('maxPool2d: the unrolled 2×2 stride-2 case on even and odd sizes', () => {
  let seed = 1;
  for (const spatial of [[28, 28], [14, 14], [7, 9], [2, 2], [3, 2], [5, 8]]) {
    for (const dtype of ['float32', 'float64', 'int8'] as const) check(dtype, 3, spatial, { kernel_shape: [2, 2], strides: [2, 2] }, seed++);
  }
  // ceil_mode adds a clipped last window: the general 2-D loop takes it.
  check('float32', 2, [7, 7], { kernel_shape: [2, 2], strides: [2, 2], ceil_mode: 1 }, 99);
});

test('the fast path is not taken with dilations, 3-D windows or the Indices output', () => {
  assert.equal(isMaxPool2d(windowOf([9, 9], { kernel_shape: [2, 2], dilations: [2, 1] })), false);
  assert.equal(isMaxPool2d(windowOf([4, 9, 9], { kernel_shape: [2, 2, 2] })), false);
  // With Indices requested the kernel still gives the general loop's indices. x is
  //    0  7 14  5
  //   12  3 10  1
  //    8 15  6 13
  //    4 11  2  9
  const x = tensor('float32', [1, 1, 4, 4], Float32Array.from({ length: 16 }, (_, i) => (i * 7) % 16));
  const node = makeNode('MaxPool', ['X'], ['Y', 'I'], { kernel_shape: [2, 2], strides: [2, 2] });
  const [y, indices] = maxPoolConfig.impl([x], node);
  assert.deepEqual(Array.from(y.data), [12, 14, 15, 13]);
  assert.deepEqual(Array.from(indices.data), [4, 2, 9, 11]);
});
