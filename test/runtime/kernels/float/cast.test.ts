import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UnsupportedOpError } from '../../../../src/errors.ts';
import type { DType } from '../../../../src/ir/dtype.ts';
import { castImpl, castKernels } from '../../../../src/runtime/kernels/float/cast.ts';
import { assertTensor, int, make, runKernel } from './kernel-test-utils.ts';

// TensorProto.DataType codes.
const CODE: Partial<Record<DType, number>> = { float32: 1, uint8: 2, int8: 3, int32: 6, int64: 7, bool: 9, float16: 10, float64: 11, bfloat16: 16, float8e4m3fn: 17, float8e5m2: 19, int4: 22 };

function cast(x: ReturnType<typeof make>, to: DType, saturate?: number) {
  const attrs = { to: int(CODE[to] as number), ...(saturate === undefined ? {} : { saturate: int(saturate) }) };
  return runKernel(castKernels, 'Cast', [x], attrs)[0];
}

test('float → integer truncates toward zero; out of range saturates; NaN → 0', () => {
  const x = make('float32', [8], [2.7, -2.7, 0.5, -0.5, 300, -300, NaN, Infinity]);
  assertTensor(cast(x, 'int8'), 'int8', [8], [2, -2, 0, 0, 127, -128, 0, 127]);
  assertTensor(cast(x, 'uint8'), 'uint8', [8], [2, 0, 0, 0, 255, 0, 0, 255]);
  assertTensor(cast(make('float64', [2], [2 ** 40 + 0.5, -1e30]), 'int64'), 'int64', [2], [2 ** 40, -(2 ** 63)]);
  assertTensor(cast(make('float32', [3], [7.9, -8.5, 100]), 'int4'), 'int4', [3], [7, -8, 7]);
});

test('integer → integer keeps the low bits (two\'s complement)', () => {
  assertTensor(castImpl(make('int16', [3], [200, -129, 65535]), 'int8'), 'int8', [3], [-56, 127, -1]);
  assertTensor(castImpl(make('int32', [2], [-1, 256]), 'uint8'), 'uint8', [2], [255, 0]);
  assertTensor(castImpl(make('int32', [4], [8, -9, 15, 16]), 'int4'), 'int4', [4], [-8, 7, -1, 0]);
  assertTensor(castImpl(make('int8', [3], [-1, 17, 3]), 'uint4'), 'uint4', [3], [15, 1, 3]);
  assertTensor(castImpl(make('int64', [2], [2 ** 32 + 5, -1]), 'int32'), 'int32', [2], [5, -1]);
  assertTensor(castImpl(make('int32', [2], [-5, 7]), 'int64'), 'int64', [2], [-5, 7]);
  assertTensor(castImpl(make('int8', [1], [-1]), 'uint32'), 'uint32', [1], [4294967295]);
});

test('bool conversions: zero is false, everything else (NaN too) is true', () => {
  assertTensor(cast(make('float32', [5], [0, -0, 0.1, NaN, -3]), 'bool'), 'bool', [5], [0, 0, 1, 1, 1]);
  assertTensor(castImpl(make('bool', [2], [1, 0]), 'float32'), 'float32', [2], [1, 0]);
  assertTensor(castImpl(make('bool', [2], [1, 0]), 'int64'), 'int64', [2], [1, 0]);
  assertTensor(castImpl(make('int32', [3], [0, 36, -1]), 'bool'), 'bool', [3], [0, 1, 1]);
});

test('float → float rounds to nearest; fp16/bf16 overflow to inf', () => {
  assertTensor(cast(make('float64', [2], [0.1, 1e40]), 'float32'), 'float32', [2], [Math.fround(0.1), Infinity]);
  // 0.1 in fp16 is 1638·2^-14; 65520 is halfway past the largest fp16 (65504) and rounds to inf.
  assertTensor(cast(make('float32', [5], [0.1, 65504, 65520, 1e-8, -70000]), 'float16'), 'float16', [5], [0.0999755859375, 65504, Infinity, 0, -Infinity]);
  // 1/3 in bfloat16: 0x3EAB = 0.333984375.
  assertTensor(cast(make('float32', [1], [1 / 3]), 'bfloat16'), 'bfloat16', [1], [0.333984375]);
  assertTensor(cast(make('float16', [1], [0.0999755859375]), 'float64'), 'float64', [1], [0.0999755859375]);
  assertTensor(cast(make('int32', [2], [2049, 100000]), 'float16'), 'float16', [2], [2048, Infinity]);
});

test('float8 casts saturate by default and overflow with saturate = 0', () => {
  // e4m3fn: largest 448, no infinities; 0.3 lies between 0.28125 and 0.3125 (nearer the latter).
  assertTensor(cast(make('float32', [3], [500, -1e9, 0.3]), 'float8e4m3fn'), 'float8e4m3fn', [3], [448, -448, 0.3125]);
  const unsat = cast(make('float32', [2], [500, 1]), 'float8e4m3fn', 0);
  assert.ok(Number.isNaN(unsat.data[0]));
  assert.equal(unsat.data[1], 1);
  assertTensor(cast(make('float32', [2], [1e6, -Infinity]), 'float8e5m2'), 'float8e5m2', [2], [57344, -57344]);
  assertTensor(cast(make('float32', [1], [1e6]), 'float8e5m2', 0), 'float8e5m2', [1], [Infinity]);
});

test('CastLike takes the dtype of its second input; unknown targets are rejected', () => {
  const [out] = runKernel(castKernels, 'CastLike', [make('float32', [2], [1.5, -2.5]), make('int32', [0], [])]);
  assertTensor(out, 'int32', [2], [1, -2]);
  assert.throws(() => runKernel(castKernels, 'Cast', [make('float32', [1], [1])], { to: int(8) }), (e: unknown) => e instanceof UnsupportedOpError && /test_Cast/.test(e.message));
});
