import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError, UnsupportedOpError } from '../../../../src/errors.ts';
import { DTYPES, type DType } from '../../../../src/ir/dtype.ts';
import type { Attribute } from '../../../../src/ir/graph.ts';
import type { Tensor } from '../../../../src/ir/tensor.ts';
import { Rng, int, make, size } from '../float/kernel-test-utils.ts';
import { assertNodeError, ravel, run, toFloat16, unravel } from './quant-test-utils.ts';

const INPUTS: readonly DType[] = ['uint2', 'int2', 'uint4', 'int4', 'uint8', 'int8', 'uint16', 'int16', 'int32'];

test('DequantizeLinear matches y = fl32((q − z)·s) on random shapes, axes, blocks and types', () => {
  const rng = new Rng(0xd0);
  for (let trial = 0; trial < 60; trial++) {
    const dtype = INPUTS[rng.int(0, INPUTS.length - 1)];
    const shape = rng.shape(rng.int(0, 4), 1, 5);
    const lo = dtype === 'int32' ? -(2 ** 20) : (DTYPES[dtype].min as number);
    const hi = dtype === 'int32' ? 2 ** 20 : (DTYPES[dtype].max as number);
    // granularity: per tensor, per axis, blocked
    const kind = shape.length === 0 ? 0 : rng.int(0, 2);
    const axis = shape.length === 0 ? 0 : rng.int(0, shape.length - 1);
    const block = kind === 2 ? rng.int(1, shape[axis] + 1) : 1;
    const scaleShape = kind === 0 ? [] : kind === 1 ? [shape[axis]] : shape.map((d, a) => (a === axis ? Math.ceil(d / block) : d));
    const attributes: Record<string, Attribute> = kind === 0 ? {} : { axis: int(axis - (rng.int(0, 1) === 0 ? 0 : shape.length)) };
    if (kind === 2) attributes.block_size = int(block);
    const scaleIndex = (index: number[]): number => (kind === 0 ? 0 : kind === 1 ? index[axis] : ravel(index.map((i, a) => (a === axis ? Math.floor(i / block) : i)), scaleShape));
    const scale = Array.from({ length: size(scaleShape) }, () => Math.fround(rng.uniform() * 3 + 1e-3));
    const zeroPoint = Array.from({ length: scale.length }, () => rng.int(lo, hi));
    const q = Array.from({ length: size(shape) }, () => rng.int(lo, hi));
    const withZeroPoint = rng.int(0, 2) > 0;
    const inputs: Tensor[] = [make(dtype, shape, q), make('float32', scaleShape, scale)];
    if (withZeroPoint) inputs.push(make(dtype, scaleShape, zeroPoint));
    const [y] = run('DequantizeLinear', inputs, attributes);
    assert.equal(y.dtype, 'float32');
    // |q − z| < 2^24: the product of two float32 values is exact in float64, so one fround is fl32.
    const expected = q.map((v, i) => {
      const j = scaleIndex(unravel(i, shape));
      return Math.fround((v - (withZeroPoint ? zeroPoint[j] : 0)) * scale[j]);
    });
    assert.deepEqual(Array.from(y.data), expected, `trial ${trial}: ${dtype} ${JSON.stringify(attributes)} [${shape}]`);
  }
});

test('int32 beyond 2^24: q − z is rounded to float32 before the product (as onnxruntime)', () => {
  const [y] = run('DequantizeLinear', [make('int32', [2], [2 ** 24 + 1, -(2 ** 31)]), make('float32', [], [1]), make('int32', [], [0])]);
  assert.deepEqual(Array.from(y.data), [2 ** 24, -(2 ** 31)]);
});

test('a float16 scale (or output_dtype float16) rounds the float32 product to float16', () => {
  const rng = new Rng(0xf16);
  const q = Array.from({ length: 40 }, () => rng.int(-128, 127));
  const s = toFloat16(0.0123);
  const [y] = run('DequantizeLinear', [make('int8', [40], q), make('float16', [], [s]), make('int8', [], [-3])]);
  assert.equal(y.dtype, 'float16');
  assert.deepEqual(Array.from(y.data), q.map((v) => toFloat16(Math.fround((v + 3) * s))));
  const [z] = run('DequantizeLinear', [make('int8', [40], q), make('float32', [], [0.0123])], { output_dtype: int(DTYPES.float16.onnx) });
  assert.equal(z.dtype, 'float16');
  assert.deepEqual(Array.from(z.data), q.map((v) => toFloat16(Math.fround(v * Math.fround(0.0123)))));
});

test('float8 inputs: their value minus the float8 zero point, times the scale', () => {
  const [y] = run('DequantizeLinear', [make('float8e4m3fn', [5], [0, 0.5, 1, 448, -104]), make('float32', [], [2])]);
  assert.deepEqual(Array.from(y.data), [0, 1, 2, 896, -208]);
  const [shifted] = run('DequantizeLinear', [make('float8e5m2', [3], [1, 49152, NaN]), make('float32', [3], [1, 2, 3]), make('float8e5m2', [3], [0.5, 0, 0])], { axis: int(0) });
  assert.deepEqual(Array.from(shifted.data), [0.5, 98304, NaN]);
});

test('bad inputs are typed errors naming the node and the value', () => {
  const x = make('uint8', [2, 3], [1, 2, 3, 4, 5, 6]);
  assertNodeError(() => run('DequantizeLinear', [x, make('float32', [], [1]), make('int8', [], [0])]), ShapeError, /x_zero_point is int8 but x is uint8/);
  assertNodeError(() => run('DequantizeLinear', [x, make('float32', [2], [1, 1])]), ShapeError, /x_scale has shape \[2\]/);
  assertNodeError(() => run('DequantizeLinear', [x, make('float32', [1, 3], [1, 1, 1])], { axis: int(0), block_size: int(1) }), ShapeError, /block_size 1 does not fit: 2 elements along axis 0 make 2 blocks, but x_scale has 1/);
  assertNodeError(() => run('DequantizeLinear', [make('float32', [1], [1]), make('float32', [], [1])]), UnsupportedOpError, /x of type float32/);
  assertNodeError(() => run('DequantizeLinear', [x, make('float32', [], [1])], { output_dtype: int(DTYPES.int8.onnx) }), UnsupportedOpError, /output_dtype int8/);
  assertNodeError(() => run('DequantizeLinear', [x, make('int32', [], [1])]), UnsupportedOpError, /x_scale of type int32/);
});
