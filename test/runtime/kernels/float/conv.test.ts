import { test } from 'node:test';
import assert from 'node:assert/strict';
import { convConfig, convImpl } from '../../../../src/runtime/kernels/float/conv.ts';
import { convReference } from '../../../../src/runtime/kernels/float/conv-reference.ts';
import { convWindow } from '../../../../src/runtime/kernels/float/window.ts';
import { tensor, type Tensor } from '../../../../src/ir/tensor.ts';
import type { DType } from '../../../../src/ir/dtype.ts';
import { roundToMinifloat } from '../../../../src/numeric/minifloat.ts';
import { ShapeError, UnsupportedOpError } from '../../../../src/errors.ts';
import { assertClose, makeNode, randomArray, randomInt, rng } from '../../helpers.ts';

interface ConvCase {
  batch: number;
  group: number;
  inPerGroup: number;
  outPerGroup: number;
  spatial: number[];
  kernel: number[];
  strides: number[];
  dilations: number[];
  pads: number[]; // [begins..., ends...]
  autoPad: 'NOTSET' | 'SAME_UPPER' | 'SAME_LOWER' | 'VALID';
  bias: boolean;
}

/** Pads and output size of one axis, from the Conv operator doc. */
function axisGeometry(c: ConvCase, axis: number): { begin: number; out: number } {
  const rank = c.spatial.length;
  const size = c.spatial[axis];
  const span = c.dilations[axis] * (c.kernel[axis] - 1) + 1;
  const stride = c.strides[axis];
  if (c.autoPad === 'VALID') return { begin: 0, out: Math.floor((size - span) / stride) + 1 };
  if (c.autoPad === 'NOTSET') {
    const begin = c.pads[axis];
    return { begin, out: Math.floor((size + begin + c.pads[axis + rank] - span) / stride + 1) };
  }
  const out = Math.ceil(size / stride);
  const total = Math.max(0, (out - 1) * stride + span - size);
  return { begin: c.autoPad === 'SAME_UPPER' ? Math.floor(total / 2) : Math.ceil(total / 2), out };
}

/**
 * The Conv formula as a 9-deep loop over (n, m, od, oh, ow, c, kd, kh, kw) on 3-D volumes
 * (1-D and 2-D cases are volumes with unit leading axes), in float64.
 */
function referenceConv(c: ConvCase, x: Float64Array, w: Float64Array, b: Float64Array | undefined): { shape: number[]; data: Float64Array } {
  const lift = (v: number[], fill: number): number[] => [...new Array(3 - v.length).fill(fill), ...v];
  const geo = c.spatial.map((_, axis) => axisGeometry(c, axis));
  const [ID, IH, IW] = lift(c.spatial, 1);
  const [KD, KH, KW] = lift(c.kernel, 1);
  const [SD, SH, SW] = lift(c.strides, 1);
  const [DD, DH, DW] = lift(c.dilations, 1);
  const [PD, PH, PW] = lift(geo.map((g) => g.begin), 0);
  const [OD, OH, OW] = lift(geo.map((g) => g.out), 1);
  const C = c.group * c.inPerGroup;
  const M = c.group * c.outPerGroup;
  const y = new Float64Array(c.batch * M * OD * OH * OW);
  for (let n = 0; n < c.batch; n++)
    for (let m = 0; m < M; m++)
      for (let od = 0; od < OD; od++)
        for (let oh = 0; oh < OH; oh++)
          for (let ow = 0; ow < OW; ow++) {
            const g = Math.floor(m / c.outPerGroup);
            let acc = b ? b[m] : 0;
            for (let ci = 0; ci < c.inPerGroup; ci++)
              for (let kd = 0; kd < KD; kd++)
                for (let kh = 0; kh < KH; kh++)
                  for (let kw = 0; kw < KW; kw++) {
                    const d = od * SD - PD + kd * DD;
                    const h = oh * SH - PH + kh * DH;
                    const wi = ow * SW - PW + kw * DW;
                    if (d < 0 || h < 0 || wi < 0 || d >= ID || h >= IH || wi >= IW) continue;
                    const channel = g * c.inPerGroup + ci;
                    acc += x[(((n * C + channel) * ID + d) * IH + h) * IW + wi] * w[(((m * c.inPerGroup + ci) * KD + kd) * KH + kh) * KW + kw];
                  }
            y[(((n * M + m) * OD + od) * OH + oh) * OW + ow] = acc;
          }
  return { shape: [c.batch, M, ...geo.map((g) => g.out)], data: y };
}

function makeInputs(c: ConvCase, seed: number, dtype: DType): { inputs: Tensor[]; x: Float64Array; w: Float64Array; b?: Float64Array } {
  const random = rng(seed);
  const C = c.group * c.inPerGroup;
  const M = c.group * c.outPerGroup;
  const round = (v: Float64Array): Float64Array => (dtype === 'float16' ? v.map((e) => roundToMinifloat('float16', e)) : dtype === 'float32' ? Float64Array.from(Float32Array.from(v)) : v);
  const x = round(randomArray(c.batch * C * c.spatial.reduce((p, q) => p * q, 1), random));
  const w = round(randomArray(M * c.inPerGroup * c.kernel.reduce((p, q) => p * q, 1), random));
  const b = c.bias ? round(randomArray(M, random)) : undefined;
  const make = (shape: number[], v: Float64Array): Tensor => tensor(dtype, shape, dtype === 'float64' ? Float64Array.from(v) : Float32Array.from(v));
  const inputs = [make([c.batch, C, ...c.spatial], x), make([M, c.inPerGroup, ...c.kernel], w)];
  if (b) inputs.push(make([M], b));
  return { inputs, x, w, b };
}

function convNode(c: ConvCase, withKernelShape: boolean) {
  const attrs: Record<string, number | string | number[]> = { group: c.group, strides: c.strides, dilations: c.dilations };
  if (c.autoPad === 'NOTSET') attrs.pads = c.pads;
  else attrs.auto_pad = c.autoPad;
  if (withKernelShape) attrs.kernel_shape = c.kernel;
  return makeNode('Conv', c.bias ? ['X', 'W', 'B'] : ['X', 'W'], ['Y'], attrs);
}

function check(c: ConvCase, seed: number, dtype: DType = 'float32'): void {
  const { inputs, x, w, b } = makeInputs(c, seed, dtype);
  const expected = referenceConv(c, x, w, b);
  const node = convNode(c, seed % 2 === 0);
  const [y] = convConfig.impl(inputs, node);
  const what = `Conv ${dtype} ${JSON.stringify(c)}`;
  assert.deepEqual(y.shape, expected.shape, `${what}: shape`);
  assert.equal(y.dtype, dtype);
  if (dtype === 'float16') {
    assertClose(y.data, expected.data, what, 2e-3, 2e-3);
    for (const v of y.data) assert.equal(roundToMinifloat('float16', v), v, `${what}: ${v} is not a float16 value`);
  } else {
    assertClose(y.data, expected.data, what, dtype === 'float64' ? 1e-12 : 1e-5, dtype === 'float64' ? 1e-12 : 1e-5);
  }
  // The plain-loop reference in src must agree too.
  const window = convWindow(node, inputs[0].shape.slice(2), inputs[1].shape.slice(2));
  const dims = { batch: c.batch, channels: c.group * c.inPerGroup, featureMaps: c.group * c.outPerGroup, group: c.group };
  const viaReference = new Float64Array(expected.data.length);
  convReference(Float64Array.from(x), Float64Array.from(w), b && Float64Array.from(b), dims, window, viaReference);
  assertClose(viaReference, expected.data, `convReference ${JSON.stringify(c)}`, 1e-12, 1e-12);
}

function randomCase(random: () => number): ConvCase {
  const rank = randomInt(random, 1, 3);
  const kernel = Array.from({ length: rank }, () => randomInt(random, 1, rank === 3 ? 2 : 3));
  const strides = Array.from({ length: rank }, () => randomInt(random, 1, 3));
  const dilations = Array.from({ length: rank }, () => randomInt(random, 1, 2));
  const pads = Array.from({ length: 2 * rank }, () => randomInt(random, 0, 2));
  const autoPad = (['NOTSET', 'NOTSET', 'SAME_UPPER', 'SAME_LOWER', 'VALID'] as const)[randomInt(random, 0, 4)];
  // Inputs at least as large as the dilated kernel, odd sizes included.
  const spatial = kernel.map((k, i) => dilations[i] * (k - 1) + 1 + randomInt(random, 0, rank === 3 ? 3 : 6));
  return {
    batch: randomInt(random, 1, 2),
    group: randomInt(random, 1, 3),
    inPerGroup: randomInt(random, 1, 3),
    outPerGroup: randomInt(random, 1, 3),
    spatial,
    kernel,
    strides,
    dilations,
    pads,
    autoPad,
    bias: random() < 0.6,
  };
}

test('Conv matches the direct loop on 150 seeded random 1-D/2-D/3-D cases', () => {
  const random = rng(7);
  for (let i = 0; i < 150; i++) check(randomCase(random), 1000 + i);
});

const base: ConvCase = {
  batch: 2,
  group: 1,
  inPerGroup: 3,
  outPerGroup: 4,
  spatial: [7, 9],
  kernel: [3, 3],
  strides: [1, 1],
  dilations: [1, 1],
  pads: [1, 1, 1, 1],
  autoPad: 'NOTSET',
  bias: true,
};

test('Conv: depthwise (direct path) with channel multiplier 1 and 2, strided, dilated, padded', () => {
  check({ ...base, group: 5, inPerGroup: 1, outPerGroup: 1 }, 1);
  check({ ...base, group: 4, inPerGroup: 1, outPerGroup: 2, strides: [2, 1], dilations: [1, 2], pads: [0, 2, 1, 0] }, 2);
  check({ ...base, group: 3, inPerGroup: 1, outPerGroup: 1, autoPad: 'SAME_LOWER', strides: [2, 2], bias: false }, 3);
  check({ ...base, group: 2, inPerGroup: 1, outPerGroup: 3, spatial: [11], kernel: [4], strides: [3], dilations: [2], pads: [3, 1] }, 4);
});

test('Conv: pointwise 1×1 uses the input as the column matrix', () => {
  check({ ...base, kernel: [1, 1], pads: [0, 0, 0, 0] }, 5);
  check({ ...base, kernel: [1, 1], pads: [0, 0, 0, 0], group: 2, bias: false }, 6);
  check({ ...base, kernel: [1, 1], pads: [1, 0, 0, 1] }, 7);
});

test('Conv: asymmetric pads, large strides and a kernel wider than the padded input edge', () => {
  check({ ...base, pads: [0, 2, 2, 0], strides: [3, 2] }, 8);
  check({ ...base, spatial: [5, 5], kernel: [5, 5], pads: [0, 0, 0, 0] }, 9);
  check({ ...base, spatial: [3, 3, 3], kernel: [2, 2, 2], strides: [1, 2, 1], dilations: [2, 1, 1], pads: [1, 0, 1, 0, 1, 1] }, 10);
});

test('Conv computes float64 in float64 and float16 in float32 rounded to float16', () => {
  check(base, 11, 'float64');
  check({ ...base, group: 3, inPerGroup: 1, outPerGroup: 1 }, 12, 'float64');
  check(base, 13, 'float16');
});

test('Conv errors name the node and the offending input', () => {
  const { inputs } = makeInputs(base, 1, 'float32');
  const node = convNode(base, false);
  assert.throws(() => convConfig.impl([inputs[0], tensor('float32', [4, 2, 3, 3])], node), (e: unknown) => e instanceof ShapeError && /conv_under_test/.test(e.message) && /2 channels per group/.test(e.message));
  assert.throws(() => convConfig.impl([inputs[0]], node), (e: unknown) => e instanceof ShapeError && /W/.test(e.message));
  assert.throws(() => convConfig.impl([inputs[0], inputs[1], tensor('float32', [3])], node), /bias B has shape \[3\], expected \[4\]/);
  assert.throws(() => convConfig.impl([tensor('int8', [1, 3, 4, 4]), inputs[1]], node), UnsupportedOpError);
  assert.throws(() => convConfig.impl([tensor('float32', [1, 3, 2, 2]), inputs[1]], makeNode('Conv', ['X', 'W'], ['Y'])), /smaller than the \(dilated\) kernel/);
  assert.throws(() => convConfig.impl(inputs, makeNode('Conv', ['X', 'W'], ['Y'], { kernel_shape: [2, 2] })), /kernel_shape/);
  assert.throws(() => convConfig.impl(inputs, makeNode('Conv', ['X', 'W'], ['Y'], { strides: [0, 1] })), /strides/);
});

test('convImpl and convReference agree on a batch of grouped cases (fast path vs plain loops)', () => {
  const random = rng(99);
  for (let i = 0; i < 20; i++) {
    const c = randomCase(random);
    const { inputs } = makeInputs(c, i, 'float32');
    const node = convNode(c, false);
    const window = convWindow(node, inputs[0].shape.slice(2), inputs[1].shape.slice(2));
    const dims = { batch: c.batch, channels: c.group * c.inPerGroup, featureMaps: c.group * c.outPerGroup, group: c.group };
    const size = referenceConv(c, new Float64Array(inputs[0].data), new Float64Array(inputs[1].data), undefined).data.length;
    const fast = new Float32Array(size);
    const slow = new Float32Array(size);
    convImpl(inputs[0].data as Float32Array, inputs[1].data as Float32Array, undefined, dims, window, fast);
    convReference(inputs[0].data as Float32Array, inputs[1].data as Float32Array, undefined, dims, window, slow);
    assertClose(fast, slow, `case ${i}`, 1e-5, 1e-6);
  }
});
