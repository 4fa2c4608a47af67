import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError, UnsupportedOpError } from '../../../../src/errors.ts';
import type { DType } from '../../../../src/ir/dtype.ts';
import type { Tensor } from '../../../../src/ir/tensor.ts';
import { convDims } from '../../../../src/runtime/kernels/float/conv.ts';
import { convWindow } from '../../../../src/runtime/kernels/float/window.ts';
import { integerConv, type Centered } from '../../../../src/runtime/kernels/quant/integer-operands.ts';
import { integerConvReference } from '../../../../src/runtime/kernels/quant/integer-reference.ts';
import { Rng, ints, make, size } from '../float/kernel-test-utils.ts';
import { convAttributes, convShapes, plainConv, randomConvCase, randomInts } from './conv-test-utils.ts';
import { assertNodeError, node, run, runInOrt } from './quant-test-utils.ts';

const EIGHT: readonly DType[] = ['int8', 'uint8'];

test('ConvInteger equals the definition on random geometry, groups and per-channel w_zero_point', () => {
  const rng = new Rng(0xc1);
  for (let trial = 0; trial < 40; trial++) {
    const c = randomConvCase(rng);
    const shapes = convShapes(c);
    const xType = EIGHT[rng.int(0, 1)];
    const wType = EIGHT[rng.int(0, 1)];
    const x = randomInts(rng, xType, size(shapes.x));
    const w = randomInts(rng, wType, size(shapes.w));
    const xZero = randomInts(rng, xType, 1)[0];
    const featureMaps = shapes.w[0];
    const perChannel = rng.int(0, 1) === 0;
    const wZero = randomInts(rng, wType, perChannel ? featureMaps : 1);
    const inputs: Tensor[] = [make(xType, shapes.x, x), make(wType, shapes.w, w), make(xType, [], [xZero]), make(wType, perChannel ? [featureMaps] : [], wZero)];
    const [y] = run('ConvInteger', inputs, convAttributes(c));
    assert.equal(y.dtype, 'int32');
    assert.deepEqual([...y.shape], shapes.y, `trial ${trial}`);
    assert.deepEqual(Array.from(y.data), plainConv(c, x, xZero, w, (m) => wZero[perChannel ? m : 0]), `trial ${trial}: ${JSON.stringify(c)}`);
  }
});

test('ConvInteger without zero points, and with auto_pad SAME_UPPER', () => {
  const x = make('uint8', [1, 1, 3], [1, 2, 3]);
  const w = make('uint8', [1, 1, 2], [1, 1]);
  assert.deepEqual(Array.from(run('ConvInteger', [x, w])[0].data), [3, 5]);
  // SAME_UPPER: output 3, total padding 1, at the end: windows [1,2], [2,3], [3, pad]
  assert.deepEqual(Array.from(run('ConvInteger', [x, w, make('uint8', [], [1])], { auto_pad: { type: 'string', value: 'SAME_UPPER' } })[0].data), [1, 3, 2]);
});

test('ConvInteger agrees exactly with onnxruntime-node (per-tensor zero points: onnxruntime rejects per-channel ones)', async () => {
  const rng = new Rng(0xc2);
  for (let trial = 0; trial < 6; trial++) {
    const c = randomConvCase(rng);
    const shapes = convShapes(c);
    const xType = EIGHT[trial % 2];
    const wType = EIGHT[Math.floor(trial / 2) % 2];
    const inputs: Tensor[] = [
      make(xType, shapes.x, randomInts(rng, xType, size(shapes.x))),
      make(wType, shapes.w, randomInts(rng, wType, size(shapes.w))),
      make(xType, [], randomInts(rng, xType, 1)),
      make(wType, [], randomInts(rng, wType, 1)),
    ];
    const [y] = run('ConvInteger', inputs, convAttributes(c));
    const attributes = { group: c.group, strides: c.strides, dilations: c.dilations, pads: c.pads, kernel_shape: c.kernel };
    const [ort] = await runInOrt('ConvInteger', inputs, attributes, ['int32']);
    assert.deepEqual([...y.shape], [...ort.dims]);
    assert.deepEqual(Array.from(y.data), ort.data, `trial ${trial}: ${JSON.stringify(c)}`);
  }
});

function centeredOf(values: number[]): Centered {
  return { data: Float64Array.from(values), maxAbs: Math.max(0, ...values.map(Math.abs)) };
}

test('the float convolution core equals the int32 reference loops on both float paths (depthwise included)', () => {
  const rng = new Rng(0xc3);
  for (let trial = 0; trial < 30; trial++) {
    // every third case has K = 9·C/G ≥ 72 taps of large positive values: sums beyond 2^24
    const wide = trial % 3 === 2;
    const c = wide ? { ...randomConvCase(rng), group: 1, inPerGroup: rng.int(8, 12), kernel: [3, 3], spatial: [4, 5], strides: [1, 1], dilations: [1, 1], pads: [1, 1, 1, 1] } : randomConvCase(rng);
    const shapes = convShapes(c);
    // K·max|x|·max|w| below 2^24 (float32 sgemm) or not (float64)
    const [lo, hi] = wide ? [400, 510] : trial % 3 === 0 ? [-2, 2] : [-510, 510];
    const x = Array.from({ length: size(shapes.x) }, () => rng.int(lo, hi));
    const w = Array.from({ length: size(shapes.w) }, () => rng.int(lo, hi));
    const n = node('ConvInteger', convAttributes(c));
    const dims = convDims(n, make('int32', shapes.x, x), make('int32', shapes.w, w), undefined);
    const window = convWindow(n, c.spatial, c.kernel);
    assert.deepEqual(Array.from(integerConv(centeredOf(x), centeredOf(w), dims, window)), Array.from(integerConvReference(centeredOf(x), centeredOf(w), dims, window)), `trial ${trial}`);
  }
});

test('bad inputs are typed errors naming the node and the value', () => {
  const x = make('uint8', [1, 2, 3, 3], new Array(18).fill(1));
  const w = make('int8', [4, 2, 2, 2], new Array(32).fill(1));
  assertNodeError(() => run('ConvInteger', [x, w, make('uint8', [2], [1, 1])]), ShapeError, /x_zero_point has shape \[2\]; it must hold one value/);
  assertNodeError(() => run('ConvInteger', [x, w, undefined, make('int8', [3], [0, 0, 0])]), ShapeError, /w_zero_point has shape \[3\].*\[4\]/);
  assertNodeError(() => run('ConvInteger', [x, w, undefined, make('uint8', [], [0])]), ShapeError, /w_zero_point is uint8 but w is int8/);
  assertNodeError(() => run('ConvInteger', [x, make('int8', [4, 3, 2, 2], new Array(48).fill(1))]), ShapeError, /weight W has shape \[4, 3, 2, 2\]/);
  assertNodeError(() => run('ConvInteger', [x, w], { kernel_shape: ints([3, 3]) }), ShapeError, /kernel_shape/);
  assertNodeError(() => run('ConvInteger', [make('int16', [1, 2, 3, 3], new Array(18).fill(1)), w]), UnsupportedOpError, /x of type int16/);
});
