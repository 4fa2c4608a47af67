import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError, UnsupportedOpError } from '../../../../src/errors.ts';
import { tensor } from '../../../../src/ir/tensor.ts';
import { reduceImpl, reduceKernels, type ReduceOp } from '../../../../src/runtime/kernels/float/reduce.ts';
import { assertClose, assertTensor, i64, int, make, Rng, runKernel, size, unravel } from './kernel-test-utils.ts';

/** What each op computes from the list of reduced values (float64). */
const REFERENCE: Record<ReduceOp, (v: number[]) => number> = {
  ReduceSum: (v) => v.reduce((a, b) => a + b, 0),
  ReduceMean: (v) => v.reduce((a, b) => a + b, 0) / v.length,
  ReduceMax: (v) => (v.length ? Math.max(...v) : -Infinity),
  ReduceMin: (v) => (v.length ? Math.min(...v) : Infinity),
  ReduceProd: (v) => v.reduce((a, b) => a * b, 1),
  ReduceL1: (v) => v.reduce((a, b) => a + Math.abs(b), 0),
  ReduceL2: (v) => Math.sqrt(v.reduce((a, b) => a + b * b, 0)),
  ReduceSumSquare: (v) => v.reduce((a, b) => a + b * b, 0),
  ReduceLogSum: (v) => Math.log(v.reduce((a, b) => a + b, 0)),
  ReduceLogSumExp: (v) => Math.log(v.reduce((a, b) => a + Math.exp(b), 0)),
};

test('every reduction over random axes matches gathering the reduced values by brute force', () => {
  const rng = new Rng(51);
  for (const op of Object.keys(REFERENCE) as ReduceOp[]) {
    for (let trial = 0; trial < 12; trial++) {
      const rank = rng.int(1, 4);
      const shape = rng.shape(rank, 1, 4);
      const picked = rng.permutation(rank).slice(0, rng.int(0, rank));
      const axes = picked.map((a) => (rng.uniform() < 0.5 ? a - rank : a));
      const keep = rng.uniform() < 0.5;
      const positive = op === 'ReduceLogSum';
      const x = make('float32', shape, Array.from({ length: size(shape) }, () => (positive ? rng.uniform() + 0.1 : rng.uniform() * 4 - 2)));
      const reduced = new Set(picked.length ? picked : shape.map((_, i) => i));
      const keptShape = shape.map((d, i) => (reduced.has(i) ? 1 : d));
      const expected: number[] = [];
      for (let o = 0; o < size(keptShape); o++) {
        const oi = unravel(o, keptShape);
        const values: number[] = [];
        for (let flat = 0; flat < x.data.length; flat++) {
          const xi = unravel(flat, shape);
          if (xi.every((v, a) => reduced.has(a) || v === oi[a])) values.push(x.data[flat]);
        }
        expected.push(REFERENCE[op](values));
      }
      const outShape = keep ? keptShape : shape.filter((_, i) => !reduced.has(i));
      const [out] = runKernel(reduceKernels, op, picked.length || rng.uniform() < 0.5 ? [x, i64(axes)] : [x], { keepdims: int(keep ? 1 : 0) });
      assertClose(out, { shape: outShape, data: expected.map(Math.fround) }, 1e-6, 1e-6, `${op} [${shape}] axes ${axes}`);
    }
  }
});

test('spec example: ReduceMean keepdims over axis 1', () => {
  const x = make('float32', [3, 2, 2], [5, 1, 20, 2, 30, 1, 40, 2, 55, 1, 60, 2]);
  assertTensor(runKernel(reduceKernels, 'ReduceMean', [x, i64([1])])[0], 'float32', [3, 1, 2], [12.5, 1.5, 35, 1.5, 57.5, 1.5]);
  assertTensor(runKernel(reduceKernels, 'ReduceMean', [x, i64([-2])], { keepdims: int(0) })[0], 'float32', [3, 2], [12.5, 1.5, 35, 1.5, 57.5, 1.5]);
  assertTensor(runKernel(reduceKernels, 'ReduceMean', [x])[0], 'float32', [1, 1, 1], [18.25]);
});

test('noop_with_empty_axes returns the input; empty axes otherwise reduce everything', () => {
  const x = make('float32', [2, 2], [1, 2, 3, 4]);
  assertTensor(runKernel(reduceKernels, 'ReduceSum', [x, i64([])], { noop_with_empty_axes: int(1) })[0], 'float32', [2, 2], [1, 2, 3, 4]);
  assertTensor(runKernel(reduceKernels, 'ReduceSum', [x, i64([])])[0], 'float32', [1, 1], [10]);
  assertTensor(runKernel(reduceKernels, 'ReduceSum', [x], { keepdims: int(0) })[0], 'float32', [], [10]);
});

test('reductions over an empty set give the identities of their ops', () => {
  const empty = tensor('float32', [2, 0]);
  const over = (op: ReduceOp) => Array.from(runKernel(reduceKernels, op, [empty, i64([1])], { keepdims: int(0) })[0].data);
  assert.deepEqual(over('ReduceSum'), [0, 0]);
  assert.deepEqual(over('ReduceProd'), [1, 1]);
  assert.deepEqual(over('ReduceMax'), [-Infinity, -Infinity]);
  assert.deepEqual(over('ReduceMin'), [Infinity, Infinity]);
  assert.deepEqual(over('ReduceLogSumExp'), [-Infinity, -Infinity]);
  assert.deepEqual(over('ReduceL2'), [0, 0]);
  // Integers have no infinities: the type's extremes instead.
  assertTensor(reduceImpl('ReduceMax', tensor('int8', [0, 2]), [0], false), 'int8', [2], [-128, -128]);
  assertTensor(reduceImpl('ReduceMin', tensor('uint8', [0]), [0], false), 'uint8', [], [255]);
});

test('integer reductions: wrap like the type, Mean truncates', () => {
  assertTensor(reduceImpl('ReduceSum', make('int8', [3], [100, 100, -50]), [0], false), 'int8', [], [150 - 256]);
  assertTensor(reduceImpl('ReduceMean', make('int32', [2, 3], [1, 2, 4, -1, -2, -4]), [1], false), 'int32', [2], [2, -2]);
  assertTensor(reduceImpl('ReduceMax', make('int64', [2, 2], [2 ** 40, -3, 5, 2 ** 41]), [0], false), 'int64', [2], [2 ** 40, 2 ** 41]);
});

test('LogSumExp does not overflow; NaN propagates through Max', () => {
  assertClose(reduceImpl('ReduceLogSumExp', make('float32', [2], [1000, 1000]), [0], false), { shape: [], data: [Math.fround(1000 + Math.log(2))] });
  assert.ok(Number.isNaN(reduceImpl('ReduceMax', make('float32', [3], [1, NaN, 3])).data[0]));
});

test('bad axes and types are errors naming the node', () => {
  const x = make('float32', [2, 2], [1, 2, 3, 4]);
  assert.throws(() => runKernel(reduceKernels, 'ReduceSum', [x, i64([2])]), (e: unknown) => e instanceof ShapeError && /test_ReduceSum/.test(e.message));
  assert.throws(() => runKernel(reduceKernels, 'ReduceSum', [x, i64([0, -2])]), ShapeError);
  assert.throws(() => runKernel(reduceKernels, 'ReduceMax', [make('bool', [1], [1])]), UnsupportedOpError);
});
