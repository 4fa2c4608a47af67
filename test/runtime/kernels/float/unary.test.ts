import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UnsupportedOpError } from '../../../../src/errors.ts';
import { unaryImpl, unaryKernels } from '../../../../src/runtime/kernels/float/unary.ts';
import { assertTensor, make, Rng, runKernel } from './kernel-test-utils.ts';

test('float32 math functions equal Math.* in float64, rounded once', () => {
  const rng = new Rng(4);
  const x = rng.floats([50], 3);
  const positive = make('float32', [50], Array.from(x.data, Math.abs));
  const cases: [string, (v: number) => number, typeof x][] = [
    ['Sqrt', Math.sqrt, positive],
    ['Exp', Math.exp, x],
    ['Log', Math.log, positive],
    ['Tanh', Math.tanh, x],
    ['Sin', Math.sin, x],
    ['Cos', Math.cos, x],
    ['Reciprocal', (v) => 1 / v, x],
    ['Floor', Math.floor, x],
    ['Ceil', Math.ceil, x],
    ['Neg', (v) => -v, x],
    ['Abs', Math.abs, x],
    ['Sign', Math.sign, x],
  ];
  for (const [op, f, input] of cases) {
    const [out] = runKernel(unaryKernels, op, [input]);
    assert.equal(out.dtype, 'float32');
    for (let i = 0; i < 50; i++) assert.equal(out.data[i], Math.fround(f(input.data[i])), `${op}(${input.data[i]})`);
  }
});

test('edge values: Sqrt/Log of negatives are NaN, Log 0 is −inf, Reciprocal 0 is inf', () => {
  const [s] = runKernel(unaryKernels, 'Sqrt', [make('float32', [2], [-1, 4])]);
  assert.ok(Number.isNaN(s.data[0]));
  assert.equal(s.data[1], 2);
  assertTensor(runKernel(unaryKernels, 'Log', [make('float32', [2], [0, 1])])[0], 'float32', [2], [-Infinity, 0]);
  assertTensor(runKernel(unaryKernels, 'Reciprocal', [make('float32', [1], [0])])[0], 'float32', [1], [Infinity]);
});

test('Round rounds halves to even', () => {
  const values = [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.4, 0.6, 2.3, -2.7];
  assertTensor(runKernel(unaryKernels, 'Round', [make('float32', [10], values)])[0], 'float32', [10], [0, 2, 2, -0, -2, -2, 0, 1, 2, -3]);
});

test('Erf on float32', () => {
  const [out] = runKernel(unaryKernels, 'Erf', [make('float32', [3], [0, 1, -2])]);
  assertTensor(out, 'float32', [3], [0, 0.8427007929497149, -0.9953222650189527].map(Math.fround));
});

test('Neg, Abs and Sign on integers wrap like two\'s complement', () => {
  assertTensor(unaryImpl('Neg', make('int8', [3], [-128, 5, 0])), 'int8', [3], [-128, -5, 0]);
  assertTensor(unaryImpl('Abs', make('int8', [3], [-128, -5, 7])), 'int8', [3], [-128, 5, 7]);
  assertTensor(unaryImpl('Sign', make('int64', [3], [-(2 ** 40), 0, 3])), 'int64', [3], [-1, 0, 1]);
  assertTensor(unaryImpl('Abs', make('uint16', [2], [65535, 1])), 'uint16', [2], [65535, 1]);
});

test('float16 outputs are rounded to float16', () => {
  // exp(1) = 2.71828…; the fp16 grid near e has spacing 2^-9: nearest is 2.71875.
  assertTensor(unaryImpl('Exp', make('float16', [1], [1])), 'float16', [1], [2.71875]);
  // sqrt(2) = 1.41421…; fp16 grid spacing 2^-10: 1448/1024 = 1.4140625.
  assertTensor(unaryImpl('Sqrt', make('float16', [1], [2])), 'float16', [1], [1.4140625]);
});

test('integer inputs to float-only ops are rejected, naming the node', () => {
  assert.throws(() => runKernel(unaryKernels, 'Sqrt', [make('int32', [1], [4])]), (e: unknown) => e instanceof UnsupportedOpError && /test_Sqrt/.test(e.message));
  assert.throws(() => runKernel(unaryKernels, 'Neg', [make('uint8', [1], [4])]), UnsupportedOpError);
});
