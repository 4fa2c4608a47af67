import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RangeArgumentError, ShapeError, UnsupportedOpError } from '../../../../src/errors.ts';
import type { DType } from '../../../../src/ir/dtype.ts';
import { tensor } from '../../../../src/ir/tensor.ts';
import { arithmeticImpl, binaryKernels, variadicImpl } from '../../../../src/runtime/kernels/float/binary.ts';
import { assertTensor, int, make, Rng, runKernel } from './kernel-test-utils.ts';

test('float32 arithmetic equals the float64 result rounded once', () => {
  const rng = new Rng(11);
  const a = rng.floats([3, 4, 5]);
  const b = rng.floats([3, 4, 5]);
  const cases: [string, (x: number, y: number) => number][] = [
    ['Add', (x, y) => x + y],
    ['Sub', (x, y) => x - y],
    ['Mul', (x, y) => x * y],
    ['Div', (x, y) => x / y],
  ];
  for (const [op, f] of cases) {
    const [out] = runKernel(binaryKernels, op, [a, b]);
    assert.equal(out.dtype, 'float32');
    for (let i = 0; i < out.data.length; i++) assert.equal(out.data[i], Math.fround(f(a.data[i], b.data[i])), `${op} [${i}]`);
  }
});

test('float64 arithmetic keeps float64 precision', () => {
  const out = arithmeticImpl('Add', make('float64', [1], [0.1]), make('float64', [1], [0.2]));
  assert.ok(out.data instanceof Float64Array);
  assert.equal(out.data[0], 0.1 + 0.2);
});

test('spec examples: Add with broadcast, Div, Pow', () => {
  const x = make('float32', [2, 3], [1, 2, 3, 4, 5, 6]);
  const y = make('float32', [3], [10, 20, 30]);
  assertTensor(runKernel(binaryKernels, 'Add', [x, y])[0], 'float32', [2, 3], [11, 22, 33, 14, 25, 36]);
  assertTensor(runKernel(binaryKernels, 'Div', [make('float32', [2], [3, 4]), make('float32', [2], [1, 2])])[0], 'float32', [2], [3, 2]);
  assertTensor(runKernel(binaryKernels, 'Pow', [make('float32', [3], [1, 2, 3]), make('float32', [3], [4, 5, 6])])[0], 'float32', [3], [1, 32, 729]);
  // Pow's exponent may have another type; the result keeps the base's.
  assertTensor(runKernel(binaryKernels, 'Pow', [make('int32', [3], [1, 2, 3]), make('float32', [3], [4, 5, 0.5])])[0], 'int32', [3], [1, 32, 1]);
  assertTensor(runKernel(binaryKernels, 'Pow', [make('int64', [2], [3, 2]), make('int64', [], [3])])[0], 'int64', [2], [27, 8]);
  assertTensor(runKernel(binaryKernels, 'Pow', [make('int64', [1], [2]), make('float32', [], [0.5])])[0], 'int64', [1], [1]);
});

test('integer arithmetic wraps to the type width', () => {
  assertTensor(arithmeticImpl('Add', make('int8', [2], [127, -128]), make('int8', [2], [1, -1])), 'int8', [2], [-128, 127]);
  assertTensor(arithmeticImpl('Sub', make('uint8', [1], [0]), make('uint8', [1], [1])), 'uint8', [1], [255]);
  assertTensor(arithmeticImpl('Mul', make('int16', [1], [300]), make('int16', [1], [300])), 'int16', [1], [90000 - 65536]);
  // int32 products beyond 2^53 must still wrap exactly: compare with BigInt.
  const rng = new Rng(3);
  const xs = Array.from({ length: 50 }, () => rng.int(-(2 ** 31), 2 ** 31 - 1));
  const ys = Array.from({ length: 50 }, () => rng.int(-(2 ** 31), 2 ** 31 - 1));
  const out = arithmeticImpl('Mul', make('int32', [50], xs), make('int32', [50], ys));
  xs.forEach((x, i) => assert.equal(out.data[i], Number(BigInt.asIntN(32, BigInt(x) * BigInt(ys[i])))));
  const u = arithmeticImpl('Mul', make('uint32', [1], [4294967295]), make('uint32', [1], [4294967295]));
  assert.equal(u.data[0], Number(BigInt.asUintN(32, 4294967295n * 4294967295n)));
});

test('integer Div truncates toward zero; division by zero is an error', () => {
  assertTensor(runKernel(binaryKernels, 'Div', [make('int32', [4], [-3, 3, -3, 3]), make('int32', [4], [2, 2, -2, -2])])[0], 'int32', [4], [-1, 1, 1, -1]);
  assertTensor(arithmeticImpl('Div', make('int64', [2], [-7, 2 ** 40 + 1]), make('int64', [2], [2, 2])), 'int64', [2], [-3, 2 ** 39]);
  assertTensor(arithmeticImpl('Div', make('uint8', [1], [255]), make('uint8', [1], [16])), 'uint8', [1], [15]);
  assert.throws(() => runKernel(binaryKernels, 'Div', [make('int32', [2], [1, 2]), make('int32', [2], [1, 0])]), (e: unknown) => e instanceof RangeArgumentError && /test_Div/.test(e.message));
  // Float division by zero is IEEE: ±inf.
  assertTensor(arithmeticImpl('Div', make('float32', [2], [1, -1]), make('float32', [], [0])), 'float32', [2], [Infinity, -Infinity]);
});

test('Mod follows the divisor\'s sign, or the dividend\'s with fmod = 1', () => {
  const a = make('int32', [6], [-4, 7, 5, 4, -7, 8]);
  const b = make('int32', [6], [2, -3, 8, -2, 3, 5]);
  assertTensor(runKernel(binaryKernels, 'Mod', [a, b])[0], 'int32', [6], [0, -2, 5, 0, 2, 3]);
  const fa = make('float32', [6], [-4.25, 7, 5.5, 4, -7, 8]);
  const fb = make('float32', [6], [2, -3, 8, -2, 3, 5]);
  assertTensor(runKernel(binaryKernels, 'Mod', [fa, fb], { fmod: int(1) })[0], 'float32', [6], [-0.25, 1, 5.5, 0, -1, 3]);
});

test('float16 and bfloat16 results are rounded to their formats', () => {
  // 1 + 2^-11 is halfway between fp16 neighbours 1 and 1 + 2^-10: ties go to even (1).
  assertTensor(arithmeticImpl('Add', make('float16', [2], [1, 1]), make('float16', [2], [2 ** -11, 3 * 2 ** -11])), 'float16', [2], [1, 1 + 2 ** -9]);
  // bfloat16 keeps 8 significant bits: 1 + 2^-8 is a tie → 1; 1 + 3·2^-8 → 1 + 2^-6.
  assertTensor(arithmeticImpl('Add', make('bfloat16', [2], [1, 1]), make('bfloat16', [2], [2 ** -8, 3 * 2 ** -8])), 'bfloat16', [2], [1, 1 + 2 ** -6]);
  // fp16 overflow is +inf.
  assertTensor(arithmeticImpl('Mul', make('float16', [1], [60000]), make('float16', [1], [2])), 'float16', [1], [Infinity]);
});

test('variadic Max, Min, Sum, Mean broadcast over all inputs and propagate NaN', () => {
  const a = make('float32', [3], [3, 2, 1]);
  const b = make('float32', [3], [1, 4, 4]);
  const c = make('float32', [3], [2, 5, 3]);
  assertTensor(runKernel(binaryKernels, 'Max', [a, b, c])[0], 'float32', [3], [3, 5, 4]);
  assertTensor(runKernel(binaryKernels, 'Min', [a, b, c])[0], 'float32', [3], [1, 2, 1]);
  assertTensor(runKernel(binaryKernels, 'Sum', [a, b, c])[0], 'float32', [3], [6, 11, 8]);
  assertTensor(runKernel(binaryKernels, 'Mean', [a, b, c])[0], 'float32', [3], [2, 11 / 3, 8 / 3].map(Math.fround));
  assertTensor(variadicImpl('Max', [make('float32', [2, 1], [1, 5]), make('float32', [3], [0, 2, 9])]), 'float32', [2, 3], [1, 2, 9, 5, 5, 9]);
  const single = variadicImpl('Max', [a]);
  assert.notEqual(single.data, a.data);
  assert.deepEqual(Array.from(single.data), [3, 2, 1]);
  const withNaN = variadicImpl('Min', [make('float32', [2], [NaN, 1]), make('float32', [2], [0, NaN])]);
  assert.ok(Number.isNaN(withNaN.data[0]) && Number.isNaN(withNaN.data[1]));
  assertTensor(variadicImpl('Max', [make('uint8', [2], [200, 3]), make('uint8', [2], [100, 250])]), 'uint8', [2], [200, 250]);
  assertTensor(variadicImpl('Sum', [make('int8', [2], [100, -100]), make('int8', [2], [100, -100]), make('int8', [], [1])]), 'int8', [2], [201 - 256, -199 + 256]);
  // fp16: 1 + 2^-11 + 2^-11 is exactly 1 + 2^-10, which an fp16 running sum would lose.
  assertTensor(variadicImpl('Sum', [make('float16', [1], [1]), make('float16', [1], [2 ** -11]), make('float16', [1], [2 ** -11])]), 'float16', [1], [1 + 2 ** -10]);
  assert.throws(() => variadicImpl('Mean', [make('int32', [1], [1]), make('int32', [1], [2])]), UnsupportedOpError);
});

test('every integer dtype adds and subtracts like BigInt arithmetic modulo 2^bits', () => {
  const widths: [DType, number, boolean][] = [
    ['int8', 8, true], ['uint8', 8, false], ['int16', 16, true], ['uint16', 16, false], ['int32', 32, true], ['uint32', 32, false],
  ];
  const rng = new Rng(5);
  for (const [dtype, bits, signed] of widths) {
    const lo = signed ? -(2 ** (bits - 1)) : 0;
    const hi = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
    const xs = Array.from({ length: 20 }, () => rng.int(lo, hi));
    const ys = Array.from({ length: 20 }, () => rng.int(lo, hi));
    const wrap = (v: bigint) => Number(signed ? BigInt.asIntN(bits, v) : BigInt.asUintN(bits, v));
    const sum = arithmeticImpl('Add', make(dtype, [20], xs), make(dtype, [20], ys));
    const diff = arithmeticImpl('Sub', make(dtype, [20], xs), make(dtype, [20], ys));
    xs.forEach((x, i) => {
      assert.equal(sum.data[i], wrap(BigInt(x) + BigInt(ys[i])), `${dtype} ${x} + ${ys[i]}`);
      assert.equal(diff.data[i], wrap(BigInt(x) - BigInt(ys[i])), `${dtype} ${x} - ${ys[i]}`);
    });
  }
});

test('bad inputs: mismatched dtypes, unbroadcastable shapes, unsupported types, missing inputs', () => {
  const f = make('float32', [2], [1, 2]);
  assert.throws(() => runKernel(binaryKernels, 'Add', [f, make('int32', [2], [1, 2])]), (e: unknown) => e instanceof ShapeError && /test_Add/.test(e.message));
  assert.throws(() => runKernel(binaryKernels, 'Mul', [f, make('float32', [3], [1, 2, 3])]), (e: unknown) => e instanceof ShapeError && /test_Mul/.test(e.message));
  assert.throws(() => runKernel(binaryKernels, 'Add', [tensor('bool', [1]), tensor('bool', [1])]), UnsupportedOpError);
  assert.throws(() => runKernel(binaryKernels, 'Sub', [f, undefined]), ShapeError);
  assert.throws(() => variadicImpl('Sum', []), RangeArgumentError);
});
