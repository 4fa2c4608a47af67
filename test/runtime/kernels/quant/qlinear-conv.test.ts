import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError, UnsupportedOpError } from '../../../../src/errors.ts';
import type { DType } from '../../../../src/ir/dtype.ts';
import type { Tensor } from '../../../../src/ir/tensor.ts';
import { Rng, make, size } from '../float/kernel-test-utils.ts';
import { convAttributes, convShapes, plainConv, randomConvCase, randomInts, type ConvCase } from './conv-test-utils.ts';
import { assertNodeError, clampTo, rint, run, runInOrt, unravel } from './quant-test-utils.ts';

const EIGHT: readonly DType[] = ['int8', 'uint8'];

interface Quantized {
  readonly c: ConvCase;
  readonly inputs: (Tensor | undefined)[];
  /** acc (with bias) and M per output element, and the reference's y. */
  readonly acc: number[];
  readonly multiplier: number[];
  readonly y: number[];
}

/**
 * A random QLinearConv and its definition: acc = Σ (x − z_x)(w − z_w[m]) + B[m];
 * M[m] = fl32(fl32(s_x·s_w[m]) / s_y); y = clamp(rint(acc·M[m] + z_y)).
 */
function randomQuantized(rng: Rng, xType: DType, wType: DType, yType: DType, perChannel: boolean, withBias: boolean): Quantized {
  const c = randomConvCase(rng);
  const shapes = convShapes(c);
  const featureMaps = shapes.w[0];
  const channels = perChannel ? featureMaps : 1;
  const x = randomInts(rng, xType, size(shapes.x));
  const w = randomInts(rng, wType, size(shapes.w));
  const xZero = randomInts(rng, xType, 1)[0];
  const wZero = randomInts(rng, wType, channels);
  const yZero = randomInts(rng, yType, 1)[0];
  const xScale = Math.fround(0.002 + rng.uniform() * 0.02);
  const wScale = Array.from({ length: channels }, () => Math.fround(0.002 + rng.uniform() * 0.02));
  const taps = c.inPerGroup * size(c.kernel);
  const yScale = Math.fround(Math.sqrt(taps) * 4e-4 * (80 + 40 * rng.uniform()));
  const bias = Array.from({ length: featureMaps }, () => rng.int(-3000, 3000));
  const channelShape = (values: number[]): number[] => (values.length === 1 ? [] : [values.length]);
  const inputs: (Tensor | undefined)[] = [
    make(xType, shapes.x, x),
    make('float32', [], [xScale]),
    make(xType, [], [xZero]),
    make(wType, shapes.w, w),
    make('float32', channelShape(wScale), wScale),
    make(wType, channelShape(wZero), wZero),
    make('float32', [], [yScale]),
    make(yType, [], [yZero]),
  ];
  if (withBias) inputs.push(make('int32', [featureMaps], bias));
  const sums = plainConv(c, x, xZero, w, (m) => wZero[perChannel ? m : 0]);
  const acc: number[] = [];
  const multiplier: number[] = [];
  const y: number[] = [];
  sums.forEach((sum, i) => {
    const m = unravel(i, shapes.y)[1];
    const a = sum + (withBias ? bias[m] : 0);
    const mult = Math.fround(Math.fround(xScale * wScale[perChannel ? m : 0]) / yScale);
    acc.push(a);
    multiplier.push(mult);
    y.push(clampTo(yType, rint(a * mult + yZero)));
  });
  return { c, inputs, acc, multiplier, y };
}

test('QLinearConv equals the reference formula exactly on random geometry, per-channel weights and bias', () => {
  const rng = new Rng(0xa1);
  for (let trial = 0; trial < 40; trial++) {
    const [xType, wType, yType] = [EIGHT[rng.int(0, 1)], EIGHT[rng.int(0, 1)], EIGHT[rng.int(0, 1)]];
    const q = randomQuantized(rng, xType, wType, yType, rng.int(0, 1) === 0, rng.int(0, 1) === 0);
    const [y] = run('QLinearConv', q.inputs, convAttributes(q.c));
    assert.equal(y.dtype, yType);
    assert.deepEqual([...y.shape], convShapes(q.c).y);
    assert.deepEqual(Array.from(y.data), q.y, `trial ${trial}: ${JSON.stringify(q.c)}`);
  }
});

// The type combinations onnxruntime implements (y has x's type).
const ORT_TYPES: readonly (readonly [DType, DType])[] = [['uint8', 'uint8'], ['uint8', 'int8'], ['int8', 'int8']];

test('QLinearConv against onnxruntime-node: equal except at near-ties, where onnxruntime rounds in float32', async () => {
  const rng = new Rng(0xa2);
  let elements = 0;
  let differences = 0;
  for (let trial = 0; trial < 15; trial++) {
    const [xType, wType] = ORT_TYPES[trial % 3];
    const q = randomQuantized(rng, xType, wType, xType, trial % 2 === 0, trial % 4 !== 3);
    const [y] = run('QLinearConv', q.inputs, convAttributes(q.c));
    const attributes = { group: q.c.group, strides: q.c.strides, dilations: q.c.dilations, pads: q.c.pads, kernel_shape: q.c.kernel };
    const [ort] = await runInOrt('QLinearConv', q.inputs, attributes, [xType]);
    assert.deepEqual([...y.shape], [...ort.dims]);
    for (let i = 0; i < y.data.length; i++) {
      elements++;
      assert.equal(y.data[i], q.y[i], `trial ${trial} element ${i}: the definition`);
      if (y.data[i] === ort.data[i]) continue;
      differences++;
      // onnxruntime: rint(fl32(fl32(acc)·M)); the reference: rint(acc·M) in float64 — one step
      // apart at most, and only where acc·M is within float32 rounding (2^−23 relative) of a tie.
      const v = q.acc[i] * q.multiplier[i];
      assert.equal(Math.abs(y.data[i] - ort.data[i]), 1, `trial ${trial} element ${i}`);
      assert.ok(Math.abs(v - Math.floor(v) - 0.5) <= Math.abs(v) * 2 ** -22, `trial ${trial} element ${i}: acc·M = ${v} is not a near-tie`);
    }
  }
  assert.ok(elements > 200, `${elements} elements compared`);
  assert.ok(differences <= elements / 100, `${differences} of ${elements} elements differ`);
});

test('bad inputs are typed errors naming the node and the value', () => {
  const q = randomQuantized(new Rng(0xa4), 'uint8', 'int8', 'uint8', false, false);
  const attributes = convAttributes(q.c);
  const featureMaps = convShapes(q.c).w[0];
  const withInput = (index: number, t: Tensor | undefined): (Tensor | undefined)[] => q.inputs.map((v, i) => (i === index ? t : v));
  assertNodeError(() => run('QLinearConv', withInput(1, make('float32', [2], [1, 1])), attributes), ShapeError, /x_scale has shape \[2\]; it must hold one value/);
  assertNodeError(() => run('QLinearConv', withInput(4, make('float32', [featureMaps + 1], new Array(featureMaps + 1).fill(1))), attributes), ShapeError, /w_scale has shape/);
  assertNodeError(() => run('QLinearConv', withInput(2, make('int8', [], [0])), attributes), ShapeError, /x_zero_point is int8 but x is uint8/);
  assertNodeError(() => run('QLinearConv', [...q.inputs, make('int32', [featureMaps + 1], new Array(featureMaps + 1).fill(0))], attributes), ShapeError, /bias B has shape/);
  assertNodeError(() => run('QLinearConv', [...q.inputs, make('float32', [featureMaps], new Array(featureMaps).fill(0))], attributes), UnsupportedOpError, /B of type float32/);
  assertNodeError(() => run('QLinearConv', withInput(6, make('float16', [], [1])), attributes), UnsupportedOpError, /y_scale of type float16/);
});
