import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError, UnsupportedOpError } from '../../../../src/errors.ts';
import type { DType } from '../../../../src/ir/dtype.ts';
import type { Tensor } from '../../../../src/ir/tensor.ts';
import { Rng, make } from '../float/kernel-test-utils.ts';
import { assertNodeError, clampTo, rint, run, runInOrt, toFloat16 } from './quant-test-utils.ts';

const EIGHT: readonly DType[] = ['int8', 'uint8'];

function randomInts(rng: Rng, dtype: DType, n: number): number[] {
  return Array.from({ length: n }, () => (dtype === 'int8' ? rng.int(-128, 127) : rng.int(0, 255)));
}

interface Case {
  m: number;
  k: number;
  n: number;
  a: number[];
  b: number[];
  aScale: number[];
  aZero: number[];
  bScale: number[];
  bZero: number[];
  yScale: number[];
  yZero: number[];
}

/**
 * The ONNX reference's formula for 2-D operands, by definition: acc = Σ (a − z_a)(b − z_b);
 * M = round_T(round_T(s_a·s_b) / s_y); y = clamp(rint(acc·M + z_y)) with acc·M + z_y in float64.
 * Parameters with one element are per tensor, others per row (a, y) or per column (b).
 */
function reference(c: Case, yType: DType, round: (v: number) => number): { acc: number[]; multiplier: number[]; y: number[] } {
  const at = (v: number[], i: number): number => v[v.length === 1 ? 0 : i];
  const acc: number[] = [];
  const multiplier: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < c.m; i++) {
    for (let j = 0; j < c.n; j++) {
      let sum = 0;
      for (let p = 0; p < c.k; p++) sum += (c.a[i * c.k + p] - at(c.aZero, i)) * (c.b[p * c.n + j] - at(c.bZero, j));
      const mult = round(round(at(c.aScale, i) * at(c.bScale, j)) / at(c.yScale, i));
      acc.push(sum);
      multiplier.push(mult);
      y.push(clampTo(yType, rint(sum * mult + at(c.yZero, i))));
    }
  }
  return { acc, multiplier, y };
}

function randomCase(rng: Rng, aType: DType, bType: DType, yType: DType, perRow: boolean, perColumn: boolean, round: (v: number) => number, big = false): Case {
  const [m, k, n] = big ? [rng.int(10, 30), rng.int(1, 200), rng.int(10, 30)] : [rng.int(1, 6), rng.int(1, 40), rng.int(1, 6)];
  const rows = perRow ? m : 1;
  const cols = perColumn ? n : 1;
  const scales = (count: number, lo: number, spread: number): number[] => Array.from({ length: count }, () => round(lo + rng.uniform() * spread));
  return {
    m,
    k,
    n,
    a: randomInts(rng, aType, m * k),
    b: randomInts(rng, bType, k * n),
    aScale: scales(rows, 0.002, 0.02),
    aZero: randomInts(rng, aType, rows),
    bScale: scales(cols, 0.002, 0.02),
    bZero: randomInts(rng, bType, cols),
    // y's scale near the typical |acc|·s_a·s_b / 100 so that outputs spread over the range
    yScale: scales(rows, Math.sqrt(k) * 4e-4 * 80, Math.sqrt(k) * 4e-4 * 40),
    yZero: randomInts(rng, yType, rows),
  };
}

function inputsOf(c: Case, aType: DType, bType: DType, yType: DType, scaleType: DType): Tensor[] {
  const shape = (v: number[]): number[] => (v.length === 1 ? [] : [v.length]);
  return [
    make(aType, [c.m, c.k], c.a),
    make(scaleType, shape(c.aScale), c.aScale),
    make(aType, shape(c.aZero), c.aZero),
    make(bType, [c.k, c.n], c.b),
    make(scaleType, shape(c.bScale), c.bScale),
    make(bType, shape(c.bZero), c.bZero),
    make(scaleType, shape(c.yScale), c.yScale),
    make(yType, shape(c.yZero), c.yZero),
  ];
}

test('QLinearMatMul equals the reference formula exactly, per tensor / per row / per column, float32 and float16 scales', () => {
  const rng = new Rng(0x91);
  for (let trial = 0; trial < 40; trial++) {
    const [aType, bType, yType] = [EIGHT[rng.int(0, 1)], EIGHT[rng.int(0, 1)], EIGHT[rng.int(0, 1)]];
    const scaleType: DType = rng.int(0, 2) === 0 ? 'float16' : 'float32';
    const round = scaleType === 'float16' ? toFloat16 : Math.fround;
    const c = randomCase(rng, aType, bType, yType, rng.int(0, 1) === 0, rng.int(0, 1) === 0, round);
    const [y] = run('QLinearMatMul', inputsOf(c, aType, bType, yType, scaleType));
    assert.equal(y.dtype, yType);
    assert.deepEqual([...y.shape], [c.m, c.n]);
    assert.deepEqual(Array.from(y.data), reference(c, yType, round).y, `trial ${trial}`);
  }
});

test('batched and 1-D operands follow numpy matmul shapes', () => {
  const one = make('float32', [], [1]);
  const a = make('uint8', [2, 1, 3], [1, 2, 3, 4, 5, 6]);
  const b = make('uint8', [3], [1, 1, 2]);
  const [y] = run('QLinearMatMul', [a, one, make('uint8', [], [1]), b, one, make('uint8', [], [0]), make('float32', [], [2]), make('uint8', [], [10])]);
  // rows (0, 1, 2)·(1, 1, 2) = 5 and (3, 4, 5)·(1, 1, 2) = 17; /2 = 2.5 → 2 and 8.5 → 8 (ties to even); + 10
  assert.deepEqual([...y.shape], [2, 1]);
  assert.deepEqual(Array.from(y.data), [12, 18]);
});

// The type combinations onnxruntime implements (y has a's type).
const ORT_TYPES: readonly (readonly [DType, DType])[] = [['uint8', 'uint8'], ['uint8', 'int8'], ['int8', 'int8']];

test('QLinearMatMul against onnxruntime-node: equal except at near-ties, where onnxruntime rounds in float32', async () => {
  const rng = new Rng(0x92);
  let elements = 0;
  let differences = 0;
  for (let trial = 0; trial < 9; trial++) {
    const [aType, bType] = ORT_TYPES[trial % 3];
    const yType = aType;
    const c = randomCase(rng, aType, bType, yType, false, trial % 2 === 0, Math.fround, true);
    c.yZero = c.yZero.slice(0, 1);
    const inputs = inputsOf(c, aType, bType, yType, 'float32');
    const [y] = run('QLinearMatMul', inputs);
    const [ort] = await runInOrt('QLinearMatMul', inputs, {}, [yType]);
    const { acc, multiplier } = reference(c, yType, Math.fround);
    assert.deepEqual([...y.shape], [...ort.dims]);
    for (let i = 0; i < y.data.length; i++) {
      elements++;
      if (y.data[i] === ort.data[i]) continue;
      differences++;
      // onnxruntime: rint(fl32(fl32(acc)·M)); the reference: rint(acc·M) in float64. They can only
      // disagree by one step, where acc·M is within float32 rounding (2^−23 relative) of a tie.
      const v = acc[i] * multiplier[i];
      const distanceToTie = Math.abs(v - Math.floor(v) - 0.5);
      assert.equal(Math.abs(y.data[i] - ort.data[i]), 1, `trial ${trial} element ${i}`);
      assert.ok(distanceToTie <= Math.abs(v) * 2 ** -22, `trial ${trial} element ${i}: ${y.data[i]} vs ${ort.data[i]}, acc·M = ${v} is not a near-tie`);
    }
  }
  assert.ok(differences <= elements / 100, `${differences} of ${elements} elements differ`);
});

test('bad inputs are typed errors naming the node and the value', () => {
  const one = make('float32', [], [1]);
  const a = make('uint8', [2, 3], [1, 2, 3, 4, 5, 6]);
  const b = make('int8', [3, 2], [1, 2, 3, 4, 5, 6]);
  const zu = make('uint8', [], [0]);
  const zi = make('int8', [], [0]);
  assertNodeError(() => run('QLinearMatMul', [a, one, zi, b, one, zi, one, zu]), ShapeError, /a_zero_point is int8 but a is uint8/);
  assertNodeError(() => run('QLinearMatMul', [a, make('float16', [], [1]), zu, b, one, zi, one, zu]), ShapeError, /share one type/);
  assertNodeError(() => run('QLinearMatMul', [a, make('float32', [3], [1, 1, 1]), make('uint8', [3], [0, 0, 0]), b, one, zi, one, zu]), ShapeError, /a_zero_point has shape \[3\].*per row/);
  assertNodeError(() => run('QLinearMatMul', [a, one, make('uint8', [2], [0, 0]), b, one, zi, one, zu]), ShapeError, /a_zero_point has shape \[2\] but a_scale has shape \[\]/);
  assertNodeError(() => run('QLinearMatMul', [make('float8e4m3fn', [2, 3], [1, 1, 1, 1, 1, 1]), one, undefined, b, one, zi, one, zu]), UnsupportedOpError, /float8/);
  assertNodeError(() => run('QLinearMatMul', [a, one, zu, b, one, zi, one, make('int16', [], [0])]), UnsupportedOpError, /y_zero_point of type int16/);
});



test('acc·M is evaluated in float64 as the reference does: 2500 · fl32(1/1000) = 2.50000012 → 3, where onnxruntime rounds the float32 tie 2.5 to 2', async () => {
  const one = make('float32', [], [1]);
  const inputs = [make('uint8', [1, 1], [50]), one, make('uint8', [], [0]), make('uint8', [1, 1], [50]), one, make('uint8', [], [0]), make('float32', [], [1000]), make('uint8', [], [0])];
  const [y] = run('QLinearMatMul', inputs);
  assert.deepEqual(Array.from(y.data), [3]);
  const [ort] = await runInOrt('QLinearMatMul', inputs, {}, ['uint8']);
  assert.deepEqual(ort.data, [2]);
});
