import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError, UnsupportedOpError } from '../../../../src/errors.ts';
import type { DType } from '../../../../src/ir/dtype.ts';
import type { Tensor } from '../../../../src/ir/tensor.ts';
import { planMatMul } from '../../../../src/runtime/kernels/float/matmul.ts';
import { integerMatMul, type Centered } from '../../../../src/runtime/kernels/quant/integer-operands.ts';
import { integerMatMulReference } from '../../../../src/runtime/kernels/quant/integer-reference.ts';
import { Rng, make, size } from '../float/kernel-test-utils.ts';
import { assertNodeError, ravel, run, runInOrt, unravel } from './quant-test-utils.ts';

const EIGHT: readonly DType[] = ['int8', 'uint8'];

function randomInts(rng: Rng, dtype: DType, n: number): number[] {
  return Array.from({ length: n }, () => (dtype === 'int8' ? rng.int(-128, 127) : rng.int(0, 255)));
}

/** The element of a tensor of `shape` that broadcasts (numpy, right-aligned) to `index` of a larger shape. */
function broadcastAt(data: ArrayLike<number>, shape: readonly number[], index: readonly number[]): number {
  const shift = index.length - shape.length;
  return data[ravel(shape.map((d, a) => (d === 1 ? 0 : index[a + shift])), shape)];
}

/**
 * numpy.matmul of (A − a_zp)·(B − b_zp) by definition: 1-D operands promoted, batch axes
 * broadcast, one multi-index per output element; the sum wrapped to int32 at the end.
 */
function plainMatMul(a: Tensor, azShape: number[], az: ArrayLike<number>, b: Tensor, bzShape: number[], bz: ArrayLike<number>): { shape: number[]; data: number[] } {
  const aShape = a.shape.length === 1 ? [1, a.shape[0]] : [...a.shape];
  const bShape = b.shape.length === 1 ? [b.shape[0], 1] : [...b.shape];
  const [m, k] = aShape.slice(-2);
  const n = bShape[bShape.length - 1];
  const aBatch = aShape.slice(0, -2);
  const bBatch = bShape.slice(0, -2);
  const rank = Math.max(aBatch.length, bBatch.length);
  const batch = Array.from({ length: rank }, (_, i) => Math.max(aBatch[i - rank + aBatch.length] ?? 1, bBatch[i - rank + bBatch.length] ?? 1));
  const full = [...batch, m, n];
  const data: number[] = [];
  for (let flat = 0; flat < size(full); flat++) {
    const index = unravel(flat, full);
    const lead = index.slice(0, -2);
    const [i, j] = index.slice(-2);
    let sum = 0;
    for (let p = 0; p < k; p++) {
      const ai = [...lead, i, p];
      const bi = [...lead, p, j];
      const av = broadcastAt(a.data, aShape, ai) - (az.length === 0 ? 0 : broadcastAt(az, azShape, ai));
      const bv = broadcastAt(b.data, bShape, bi) - (bz.length === 0 ? 0 : broadcastAt(bz, bzShape, bi));
      sum += av * bv;
    }
    data.push(sum | 0);
  }
  const shape = [...batch, ...(a.shape.length === 1 ? [] : [m]), ...(b.shape.length === 1 ? [] : [n])];
  return { shape, data };
}

test('MatMulInteger equals the definition on random shapes, batch broadcasting and per-row/per-column zero points', () => {
  const rng = new Rng(0x3a);
  for (let trial = 0; trial < 40; trial++) {
    const [m, k, n] = [rng.int(1, 5), rng.int(1, 7), rng.int(1, 5)];
    const batchRank = rng.int(0, 2);
    const batch = rng.shape(batchRank, 1, 3);
    const aShape = rng.int(0, 5) === 0 ? [k] : [...batch.map((d) => (rng.int(0, 2) === 0 ? 1 : d)), m, k];
    const bShape = rng.int(0, 5) === 0 ? [k] : [...batch.slice(rng.int(0, batchRank)), k, n];
    const aType = EIGHT[rng.int(0, 1)];
    const bType = EIGHT[rng.int(0, 1)];
    const a = make(aType, aShape, randomInts(rng, aType, size(aShape)));
    const b = make(bType, bShape, randomInts(rng, bType, size(bShape)));
    // zero points: none, per tensor, 1-D per row / column, or N-D [..., M, 1] / [..., 1, N]
    const rowsOf = aShape.length === 1 ? 1 : m;
    const colsOf = bShape.length === 1 ? 1 : n;
    const kindA = rng.int(0, 3);
    const kindB = rng.int(0, 3);
    const azShape = kindA === 1 ? [] : kindA === 2 ? [rowsOf] : [...aShape.slice(0, -1), 1];
    const bzShape = kindB === 1 ? [] : kindB === 2 ? [colsOf] : [...bShape.slice(0, -2), 1, bShape[bShape.length - 1]];
    const az = kindA === 0 ? [] : randomInts(rng, aType, size(azShape));
    const bz = kindB === 0 || bShape.length === 1 && kindB === 3 ? [] : randomInts(rng, bType, size(bzShape));
    const inputs: (Tensor | undefined)[] = [a, b, az.length === 0 ? undefined : make(aType, azShape, az), bz.length === 0 ? undefined : make(bType, bzShape, bz)];
    const [y] = run('MatMulInteger', inputs);
    // The definition reads a 1-D per-row zero point as a column [M, 1].
    const expected = plainMatMul(a, kindA === 2 ? [rowsOf, 1] : azShape, az, b, bzShape, bz);
    assert.equal(y.dtype, 'int32');
    assert.deepEqual([...y.shape], expected.shape, `trial ${trial}`);
    assert.deepEqual(Array.from(y.data), expected.data, `trial ${trial}: A [${aShape}] B [${bShape}] az [${azShape}] bz [${bzShape}]`);
  }
});

test('MatMulInteger agrees exactly with onnxruntime-node (per-tensor a_zero_point, per-column b_zero_point)', async () => {
  const rng = new Rng(0x3b);
  for (const [aType, bType] of [['uint8', 'int8'], ['uint8', 'uint8'], ['int8', 'int8'], ['int8', 'uint8']] as const) {
    const [m, k, n] = [rng.int(2, 9), rng.int(20, 300), rng.int(2, 9)];
    const a = make(aType, [2, m, k], randomInts(rng, aType, 2 * m * k));
    const b = make(bType, [k, n], randomInts(rng, bType, k * n));
    const az = make(aType, [], randomInts(rng, aType, 1));
    const bz = make(bType, [n], randomInts(rng, bType, n));
    const [y] = run('MatMulInteger', [a, b, az, bz]);
    const [ort] = await runInOrt('MatMulInteger', [a, b, az, bz], {}, ['int32']);
    assert.deepEqual([...y.shape], [...ort.dims]);
    assert.deepEqual(Array.from(y.data), ort.data, `${aType} × ${bType}`);
  }
});

function centeredOf(values: number[]): Centered {
  return { data: Float64Array.from(values), maxAbs: Math.max(0, ...values.map(Math.abs)) };
}

test('the float GEMM core equals the int32 reference loops: float32 and float64 paths, batch broadcasting', () => {
  const rng = new Rng(0x3c);
  for (let trial = 0; trial < 30; trial++) {
    const [m, k, n] = [rng.int(1, 6), rng.int(1, 400), rng.int(1, 6)];
    const aShape = [rng.int(1, 2), 1, m, k];
    const bShape = [rng.int(1, 3), k, n];
    // small magnitudes keep K·max|a|·max|b| below 2^24 (float32 sgemm); large ones exceed it
    // (float64), and large positive ones make sums beyond 2^24, inexact in float32
    const [lo, hi] = [[-3, 3], [-510, 510], [400, 510]][trial % 3];
    const a = Array.from({ length: size(aShape) }, () => rng.int(lo, hi));
    const b = Array.from({ length: size(bShape) }, () => rng.int(lo, hi));
    const plan = planMatMul(aShape, bShape, 'test');
    assert.deepEqual(Array.from(integerMatMul(centeredOf(a), centeredOf(b), plan)), Array.from(integerMatMulReference(centeredOf(a), centeredOf(b), plan)), `trial ${trial}`);
  }
});

test('accumulation wraps modulo 2^32 exactly like an int32 accumulator', () => {
  const k = 70000; // 70000 · 255 · 128 > 2^31
  const a = make('uint8', [1, k], new Array(k).fill(255));
  const b = make('int8', [k, 1], new Array(k).fill(-128));
  const [y] = run('MatMulInteger', [a, b]);
  const exact = BigInt(k) * 255n * -128n;
  assert.equal(y.data[0], Number(BigInt.asIntN(32, exact)));
  assert.notEqual(y.data[0], Number(exact));
});

test('bad inputs are typed errors naming the node and the value', () => {
  const a = make('uint8', [2, 3], [1, 2, 3, 4, 5, 6]);
  const b = make('int8', [3, 2], [1, 2, 3, 4, 5, 6]);
  assertNodeError(() => run('MatMulInteger', [a, b, make('int8', [], [0])]), ShapeError, /a_zero_point is int8 but A is uint8/);
  assertNodeError(() => run('MatMulInteger', [a, b, undefined, make('int8', [3], [0, 0, 0])]), ShapeError, /b_zero_point has shape \[3\].*per column/);
  assertNodeError(() => run('MatMulInteger', [a, b, make('uint8', [3], [0, 0, 0])]), ShapeError, /a_zero_point has shape \[3\].*per row/);
  assertNodeError(() => run('MatMulInteger', [a, make('int8', [2, 2], [1, 2, 3, 4])]), ShapeError, /inner dimensions differ/);
  assertNodeError(() => run('MatMulInteger', [make('float32', [1, 3], [1, 2, 3]), b]), UnsupportedOpError, /A of type float32/);
});
