import { test } from 'node:test';
import assert from 'node:assert/strict';
import { convDirect } from '../../../../src/runtime/kernels/float/conv-direct.ts';
import { convReference } from '../../../../src/runtime/kernels/float/conv-reference.ts';
import type { ConvDims } from '../../../../src/runtime/kernels/float/conv.ts';
import type { FloatArray } from '../../../../src/runtime/kernels/float/float-io.ts';
import { convWindow, type Window } from '../../../../src/runtime/kernels/float/window.ts';
import { assertClose, makeNode, randomArray, randomInt, rng } from '../../helpers.ts';

interface Case {
  batch: number;
  group: number;
  inPerGroup: number;
  outPerGroup: number;
  spatial: number[];
  kernel: number[];
  attrs: Record<string, number | string | number[]>;
  bias: boolean;
}

function sizes(c: Case, window: Window): { dims: ConvDims; x: number; w: number; y: number; depth: number } {
  const dims = { batch: c.batch, channels: c.group * c.inPerGroup, featureMaps: c.group * c.outPerGroup, group: c.group };
  const prod = (v: readonly number[]): number => v.reduce((p, q) => p * q, 1);
  return {
    dims,
    x: c.batch * dims.channels * prod(c.spatial),
    w: dims.featureMaps * c.inPerGroup * prod(c.kernel),
    y: c.batch * dims.featureMaps * prod(window.output),
    depth: c.inPerGroup * prod(c.kernel),
  };
}

/** convDirect against the plain-loop reference; y starts as NaN so every element must be written. */
function check(c: Case, seed: number, float64 = false): void {
  const random = rng(seed);
  const window = convWindow(makeNode('Conv', ['X', 'W'], ['Y'], c.attrs), c.spatial, c.kernel);
  const n = sizes(c, window);
  const make = (length: number): FloatArray => (float64 ? Float64Array.from(randomArray(length, random)) : Float32Array.from(randomArray(length, random)));
  const x = make(n.x);
  const w = make(n.w);
  const bias = c.bias ? make(n.dims.featureMaps) : undefined;
  const expected = new Float64Array(n.y);
  convReference(x, w, bias, n.dims, window, expected);
  const actual = float64 ? new Float64Array(n.y).fill(NaN) : new Float32Array(n.y).fill(NaN);
  convDirect(x, w, bias, n.dims, window, actual);
  // float64 accumulation in both; float32 output rounds once (or once per 256-tap slice).
  const tolerance = float64 ? 1e-12 : 1e-6;
  assertClose(actual, expected, `convDirect ${float64 ? 'float64' : 'float32'} ${JSON.stringify(c)}`, tolerance, tolerance * Math.sqrt(n.depth));
}

function randomCase(random: () => number): Case {
  const rank = randomInt(random, 1, 3);
  const kernel = Array.from({ length: rank }, () => randomInt(random, 1, rank === 3 ? 3 : 5));
  const dilations = kernel.map(() => randomInt(random, 1, 3));
  const strides = kernel.map(() => randomInt(random, 1, 3));
  const pads = [...kernel, ...kernel].map(() => randomInt(random, 0, 3));
  // Inputs at least as large as the dilated kernel, so every case has an output.
  const spatial = kernel.map((k, i) => (k - 1) * dilations[i] + 1 + randomInt(random, 0, rank === 3 ? 4 : 9));
  const autoPad = ['NOTSET', 'NOTSET', 'SAME_UPPER', 'SAME_LOWER', 'VALID'][randomInt(random, 0, 4)];
  const attrs: Record<string, number | string | number[]> = { strides, dilations };
  if (autoPad === 'NOTSET') attrs.pads = pads;
  else attrs.auto_pad = autoPad;
  return {
    batch: randomInt(random, 1, 2),
    group: randomInt(random, 1, 3),
    inPerGroup: randomInt(random, 1, 5),
    // 1..21 output channels per group: full 8-row panels, 4-row last panels and 5..7-row remainders.
    outPerGroup: randomInt(random, 1, 21),
    spatial,
    kernel,
    attrs,
    bias: random() < 0.5,
  };
}

test('convDirect matches the plain-loop reference on 300 seeded random odd shapes (1-D to 3-D, groups, strides, dilations, pads)', () => {
  const random = rng(20240611);
  for (let i = 0; i < 300; i++) check(randomCase(random), 1000 + i);
});

test('convDirect in float64 computes in float64', () => {
  const random = rng(77);
  for (let i = 0; i < 40; i++) check(randomCase(random), 5000 + i, true);
});

test('convDirect crosses its tap slices (depth > 256) and column blocks (> 512 outputs)', () => {
  // 30 channels × 3×3 = 270 taps (two slices); 31×29 = 899 outputs (two blocks, ragged last tile).
  check({ batch: 1, group: 1, inPerGroup: 30, outPerGroup: 13, spatial: [31, 29], kernel: [3, 3], attrs: { pads: [1, 1, 1, 1] }, bias: true }, 1);
  check({ batch: 2, group: 2, inPerGroup: 11, outPerGroup: 9, spatial: [24, 25], kernel: [5, 5], attrs: { pads: [2, 1, 0, 2], strides: [1, 1] }, bias: false }, 2);
  // mnist-8's two convolutions.
  check({ batch: 1, group: 1, inPerGroup: 1, outPerGroup: 8, spatial: [28, 28], kernel: [5, 5], attrs: { auto_pad: 'SAME_UPPER' }, bias: false }, 3);
  check({ batch: 1, group: 1, inPerGroup: 8, outPerGroup: 16, spatial: [14, 14], kernel: [5, 5], attrs: { auto_pad: 'SAME_UPPER' }, bias: true }, 4);
});

test('convDirect: NaN and infinities propagate like the reference', () => {
  const c: Case = { batch: 1, group: 1, inPerGroup: 2, outPerGroup: 9, spatial: [6, 7], kernel: [3, 3], attrs: { pads: [1, 1, 1, 1] }, bias: true };
  const window = convWindow(makeNode('Conv', ['X', 'W'], ['Y'], c.attrs), c.spatial, c.kernel);
  const n = sizes(c, window);
  const random = rng(9);
  const x = Float32Array.from(randomArray(n.x, random));
  x[5] = NaN;
  x[50] = Infinity;
  const w = Float32Array.from(randomArray(n.w, random));
  const bias = Float32Array.from(randomArray(n.dims.featureMaps, random));
  const expected = new Float64Array(n.y);
  convReference(x, w, bias, n.dims, window, expected);
  const actual = new Float32Array(n.y);
  convDirect(x, w, bias, n.dims, window, actual);
  let nans = 0;
  for (let i = 0; i < n.y; i++) {
    assert.equal(Number.isNaN(actual[i]), Number.isNaN(expected[i]), `element ${i}: ${actual[i]} vs ${expected[i]}`);
    if (Number.isNaN(expected[i])) nans++;
    else if (!Number.isFinite(expected[i])) assert.equal(actual[i], expected[i]);
  }
  assert.ok(nans > 0, 'the case produces NaN outputs');
});
