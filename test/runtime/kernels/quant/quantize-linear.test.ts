import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RangeArgumentError, ShapeError, UnsupportedOpError } from '../../../../src/errors.ts';
import { DTYPES, type DType } from '../../../../src/ir/dtype.ts';
import type { Attribute } from '../../../../src/ir/graph.ts';
import { tensor, type Tensor } from '../../../../src/ir/tensor.ts';
import { Rng, int, make, size } from '../float/kernel-test-utils.ts';
import { assertNodeError, clampTo, ravel, rint, run, toBfloat16, toFloat16, unravel } from './quant-test-utils.ts';

const INTEGER_OUTPUTS: readonly DType[] = ['uint2', 'int2', 'uint4', 'int4', 'uint8', 'int8', 'uint16', 'int16'];

interface Layout {
  readonly scaleShape: number[];
  readonly attributes: Record<string, Attribute>;
  /** The scale index of the element at a multi-index. */
  readonly scaleIndex: (index: readonly number[]) => number;
}

/** A random granularity for x of `shape`: per tensor, per axis (axis given negative half the time) or blocked. */
function randomLayout(rng: Rng, shape: readonly number[]): Layout {
  const kind = shape.length === 0 ? 0 : rng.int(0, 2);
  if (kind === 0) return { scaleShape: rng.int(0, 1) === 0 ? [] : [1], attributes: {}, scaleIndex: () => 0 };
  const axis = rng.int(0, shape.length - 1);
  const axisAttribute = rng.int(0, 1) === 0 ? axis : axis - shape.length;
  if (kind === 1) return { scaleShape: [shape[axis]], attributes: { axis: int(axisAttribute) }, scaleIndex: (index) => index[axis] };
  const block = rng.int(1, shape[axis] + 1);
  const scaleShape = shape.map((d, a) => (a === axis ? Math.ceil(d / block) : d));
  return {
    scaleShape,
    attributes: { axis: int(axisAttribute), block_size: int(block) },
    scaleIndex: (index) => ravel(index.map((i, a) => (a === axis ? Math.floor(i / block) : i)), scaleShape),
  };
}

function randomScales(rng: Rng, n: number): Float32Array {
  // Half the cases use powers of two, so that x = (k + ½)·s are exact ties of the quotient.
  const powers = rng.int(0, 1) === 0;
  return Float32Array.from({ length: n }, () => (powers ? 2 ** rng.int(-3, 2) : Math.fround(0.01 + rng.uniform() * 2)));
}

function randomInputs(rng: Rng, shape: readonly number[], reach: number, scale: Float32Array, layout: Layout): Float32Array {
  return Float32Array.from({ length: size(shape) }, (_, i) => {
    const s = scale[layout.scaleIndex(unravel(i, shape))];
    // a third exact ties, a third ordinary values, a third far beyond the range (saturation)
    const pick = rng.int(0, 2);
    if (pick === 0) return (rng.int(-reach, reach) + 0.5) * s;
    return (rng.uniform() * 2 - 1) * reach * s * (pick === 1 ? 1 : 3);
  });
}

test('QuantizeLinear matches y = clamp(rint(fl32(x / s)) + z) on random shapes, axes, blocks and types', () => {
  const rng = new Rng(0x51);
  for (let trial = 0; trial < 60; trial++) {
    const shape = rng.shape(rng.int(0, 4), 1, 5);
    const dtype = INTEGER_OUTPUTS[rng.int(0, INTEGER_OUTPUTS.length - 1)];
    const layout = randomLayout(rng, shape);
    const count = size(layout.scaleShape);
    const scale = randomScales(rng, count);
    const range = (DTYPES[dtype].max as number) - (DTYPES[dtype].min as number);
    const x = randomInputs(rng, shape, Math.ceil(range / 2), scale, layout);
    const withZeroPoint = rng.int(0, 2) > 0;
    const zeroPoint = Array.from({ length: count }, () => rng.int(DTYPES[dtype].min as number, DTYPES[dtype].max as number));
    const inputs: (Tensor | undefined)[] = [tensor('float32', shape, x), tensor('float32', layout.scaleShape, scale)];
    const attributes = { ...layout.attributes };
    if (withZeroPoint) inputs.push(make(dtype, layout.scaleShape, zeroPoint));
    else attributes.output_dtype = int(DTYPES[dtype].onnx);
    const [y] = run('QuantizeLinear', inputs, attributes);
    const expected = Array.from(x, (v, i) => {
      const j = layout.scaleIndex(unravel(i, shape));
      return clampTo(dtype, rint(Math.fround(v / scale[j])) + (withZeroPoint ? zeroPoint[j] : 0));
    });
    assert.equal(y.dtype, dtype, `trial ${trial}`);
    assert.deepEqual([...y.shape], shape);
    assert.deepEqual(Array.from(y.data), expected, `trial ${trial}: ${dtype} ${JSON.stringify(layout.attributes)} shape [${shape}]`);
  }
});

test('without zero point or output_dtype QuantizeLinear gives uint8 with zero point 0', () => {
  const [y] = run('QuantizeLinear', [make('float32', [4], [-1, 0.6, 254.5, 300]), make('float32', [], [1])]);
  assert.equal(y.dtype, 'uint8');
  assert.deepEqual(Array.from(y.data), [0, 1, 254, 255]);
});

test('a float16 scale divides in float16: x, the scale and the quotient are rounded to float16', () => {
  const rng = new Rng(0x16);
  for (let trial = 0; trial < 20; trial++) {
    const shape = [rng.int(1, 6), rng.int(1, 6)];
    const scale = make('float16', [shape[1]], Array.from({ length: shape[1] }, () => toFloat16(0.001 + rng.uniform() * 0.5)));
    const x = make('float32', shape, Array.from({ length: size(shape) }, () => (rng.uniform() * 2 - 1) * 200));
    const [y] = run('QuantizeLinear', [x, scale, make('int16', [shape[1]], new Array(shape[1]).fill(3))], { axis: int(1) });
    const expected = Array.from(x.data, (v, i) => clampTo('int16', rint(toFloat16(toFloat16(v) / scale.data[i % shape[1]])) + 3));
    assert.deepEqual(Array.from(y.data), expected, `trial ${trial}`);
  }
});

test('a bfloat16 scale divides in bfloat16; bfloat16 x', () => {
  const rng = new Rng(0xbf);
  const x = make('bfloat16', [50], Array.from({ length: 50 }, () => toBfloat16((rng.uniform() * 2 - 1) * 300)));
  const s = toBfloat16(0.7);
  const [y] = run('QuantizeLinear', [x, make('bfloat16', [], [s]), make('uint16', [], [1000])]);
  assert.deepEqual(Array.from(y.data), Array.from(x.data, (v) => clampTo('uint16', rint(toBfloat16(v / s)) + 1000)));
});

test('precision float32 overrides a float16 scale: 1000.6 / 1 is 1000.6, not float16 1000.5 (which rounds to even 1000)', () => {
  const inputs = [make('float32', [2], [1000.6, -3.3]), make('float16', [], [1]), make('int16', [], [0])];
  assert.deepEqual(Array.from(run('QuantizeLinear', inputs)[0].data), [1000, -3]);
  assert.deepEqual(Array.from(run('QuantizeLinear', inputs, { precision: int(1) })[0].data), [1001, -3]);
});

test('a finite x whose float16 quotient overflows saturates; float16 x is accepted', () => {
  const [y] = run('QuantizeLinear', [make('float16', [3], [60000, -60000, 0.5]), make('float16', [], [toFloat16(0.01)]), make('int8', [], [1])]);
  assert.deepEqual(Array.from(y.data), [127, -128, 1 + rint(toFloat16(0.5 / toFloat16(0.01)))]);
});

test('int32 x is quantized like its float32 value', () => {
  const [y] = run('QuantizeLinear', [make('int32', [4], [-7, 0, 5, 1000]), make('float32', [], [2]), make('int8', [], [0])]);
  assert.deepEqual(Array.from(y.data), [-4, 0, 2, 127]);
});

test('float8 outputs: x / s + z cast with saturation (the spec tables)', () => {
  const x = make('float32', [7], [0, 1, 2, 1000, -1000, NaN, 0.3]);
  const two = make('float32', [], [2]);
  // 0.15 lies between the e4m3fn values 0.140625 and 0.15625, above their midpoint 0.1484375.
  const [e4m3] = run('QuantizeLinear', [x, two, make('float8e4m3fn', [], [0])]);
  assert.equal(e4m3.dtype, 'float8e4m3fn');
  assert.deepEqual(Array.from(e4m3.data), [0, 0.5, 1, 448, -448, NaN, 0.15625]);
  const [noSaturate] = run('QuantizeLinear', [x, two, make('float8e4m3fn', [], [0])], { saturate: int(0) });
  assert.deepEqual(Array.from(noSaturate.data).slice(3, 5), [NaN, NaN]);
  const [e5m2] = run('QuantizeLinear', [make('float32', [2], [1e6, -1e6]), make('float32', [], [1])], { output_dtype: int(DTYPES.float8e5m2.onnx), saturate: int(0) });
  assert.deepEqual(Array.from(e5m2.data), [Infinity, -Infinity]);
  const [fnuz] = run('QuantizeLinear', [make('float32', [2], [1000, -1000]), two], { output_dtype: int(DTYPES.float8e4m3fnuz.onnx) });
  assert.deepEqual(Array.from(fnuz.data), [240, -240]);
  // A nonzero float8 zero point is added before the cast (the spec's formula).
  const [shifted] = run('QuantizeLinear', [make('float32', [2], [2, 13]), two, make('float8e4m3fn', [], [1])]);
  assert.deepEqual(Array.from(shifted.data), [2, 7.5]);
});

test('per-axis and blocked float8 quantization use each element its own scale', () => {
  const x = make('float32', [2, 4], [1, 2, 3, 4, 5, 6, 7, 8]);
  const [perAxis] = run('QuantizeLinear', [x, make('float32', [2], [1, 4]), make('float8e4m3fn', [2], [0, 0])], { axis: int(0) });
  assert.deepEqual(Array.from(perAxis.data), [1, 2, 3, 4, 1.25, 1.5, 1.75, 2]);
  const [blocked] = run('QuantizeLinear', [x, make('float32', [2, 2], [1, 2, 4, 8]), make('float8e4m3fn', [2, 2], [0, 0, 0, 0])], { axis: int(1), block_size: int(2) });
  assert.deepEqual(Array.from(blocked.data), [1, 2, 1.5, 2, 1.25, 1.5, 0.875, 1]);
});

test('bad inputs are typed errors naming the node and the value', () => {
  const x = make('float32', [2, 3], [1, 2, 3, 4, 5, 6]);
  // per-axis scale of the wrong length
  assertNodeError(() => run('QuantizeLinear', [x, make('float32', [2], [1, 1])]), ShapeError, /y_scale has shape \[2\].*axis 1.*\[3\]/);
  // zero point type against output_dtype
  assertNodeError(() => run('QuantizeLinear', [x, make('float32', [], [1]), make('int8', [], [0])], { output_dtype: int(DTYPES.uint8.onnx) }), ShapeError, /output_dtype uint8 .* int8/);
  // zero point shape against scale shape
  assertNodeError(() => run('QuantizeLinear', [x, make('float32', [3], [1, 1, 1]), make('uint8', [2], [0, 0])]), ShapeError, /y_zero_point has shape \[2\]/);
  // a block size outside [ceil(D/S), ceil(D/(S−1)) − 1]: 3 elements in 2 blocks allow only 2
  assertNodeError(() => run('QuantizeLinear', [x, make('float32', [2, 2], [1, 1, 1, 1])], { axis: int(1), block_size: int(3) }), ShapeError, /block_size 3 .*\[2, 2\]/);
  assertNodeError(() => run('QuantizeLinear', [x, make('float32', [2, 3], [1, 1, 1, 1, 1, 1])], { axis: int(1), block_size: int(-1) }), RangeArgumentError, /block_size -1/);
  assertNodeError(() => run('QuantizeLinear', [x, make('float32', [], [0])]), RangeArgumentError, /y_scale element 0 is 0/);
  assertNodeError(() => run('QuantizeLinear', [make('float32', [2], [1, NaN]), make('float32', [], [1])]), RangeArgumentError, /element 1 is NaN/);
  assertNodeError(() => run('QuantizeLinear', [x, make('float32', [], [1])], { output_dtype: int(DTYPES.int32.onnx) }), UnsupportedOpError, /int32/);
  assertNodeError(() => run('QuantizeLinear', [make('float64', [1], [1]), make('float32', [], [1])]), UnsupportedOpError, /x of type float64/);
  assertNodeError(() => run('QuantizeLinear', [x, make('float32', [], [1])], { precision: int(DTYPES.float64.onnx) }), UnsupportedOpError, /precision float64/);
});
