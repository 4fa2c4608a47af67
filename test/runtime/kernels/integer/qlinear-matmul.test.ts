import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { LimitError, ShapeError, UnsupportedOpError } from '../../../../src/errors.ts';
import type { DType } from '../../../../src/ir/dtype.ts';
import type { Tensor } from '../../../../src/ir/tensor.ts';
import { requantizeMultipliers } from '../../../../src/quant/requantize.ts';
import { planMatMul } from '../../../../src/runtime/kernels/float/matmul.ts';
import { outputStage } from '../../../../src/quant/output-stage.ts';
import { qlinearMatMulImpl, type MatMulOperands } from '../../../../src/runtime/kernels/integer/qlinear-matmul.ts';
import { qlinearMatMulReference } from '../../../../src/runtime/kernels/integer/qlinear-matmul-reference.ts';
import { make, Rng, size } from '../float/kernel-test-utils.ts';
import { randomInts } from '../quant/conv-test-utils.ts';
import { assertMostlyIdentical, assertNodeError, compareWithExact, compareWithOrt, runInOrt, runInteger, type OrtComparison } from './integer-test-utils.ts';

const RANGE: Record<string, [number, number]> = { int8: [-128, 127], uint8: [0, 255] };

/** Row-major a·b over broadcast batches with numbers: Σ (a − z_a)(b − z_b[j]). */
function plainMatMul(aShape: number[], a: number[], aZero: number, bShape: number[], b: number[], bZero: number[]): { shape: number[]; acc: number[]; column: number[] } {
  const plan = planMatMul(aShape, bShape, 'test');
  const { m, n, k } = plan;
  const batchShape = [...plan.batchShape];
  const acc: number[] = [];
  const column: number[] = [];
  for (let batch = 0; batch < size(batchShape); batch++) {
    const index = batchShape.map((_, axis) => Math.floor(batch / size(batchShape.slice(axis + 1))) % batchShape[axis]);
    const own = (shape: readonly number[]): number => shape.reduce((flat, d, axis) => flat * d + (d === 1 ? 0 : index[axis + batchShape.length - shape.length]), 0);
    const aBase = own(plan.aBatch) * m * k;
    const bBase = own(plan.bBatch) * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += (a[aBase + i * k + p] - aZero) * (b[bBase + p * n + j] - bZero[bZero.length === 1 ? 0 : j]);
        acc.push(s);
        column.push(j);
      }
    }
  }
  return { shape: [...plan.outShape], acc, column };
}

interface Case {
  readonly inputs: Tensor[];
  readonly yType: DType;
  readonly exact: number[];
}

/** A random QLinearMatMul with multipliers from its accumulators (per column when b is per column). */
function randomCase(rng: Rng, aShape: number[], bShape: number[], aType: DType, bType: DType, yType: DType, perColumn: boolean): Case {
  const a = randomInts(rng, aType, size(aShape));
  const b = randomInts(rng, bType, size(bShape));
  const n = bShape.length === 1 ? 1 : bShape[bShape.length - 1];
  const aZero = randomInts(rng, aType, 1)[0];
  const bZero = randomInts(rng, bType, perColumn ? n : 1);
  const yZero = rng.int(RANGE[yType][0] + 30, RANGE[yType][1] - 30);
  const { acc, column } = plainMatMul(aShape, a, aZero, bShape, b, bZero);
  const columnMax = Array.from({ length: n }, (_, j) => Math.max(1, ...acc.filter((_, i) => column[i] === j || !perColumn).map(Math.abs)));
  const aScale = Math.fround(0.005 + 0.05 * rng.uniform());
  const yScale = Math.fround(0.01 + 0.1 * rng.uniform());
  const bScale = Array.from({ length: perColumn ? n : 1 }, (_, j) => Math.fround(((90 + 100 * rng.uniform()) / columnMax[j]) * (yScale / aScale)));
  const vector = (values: number[]): number[] => (values.length === 1 ? [] : [values.length]);
  const inputs = [
    make(aType, aShape, a), make('float32', [], [aScale]), make(aType, [], [aZero]),
    make(bType, bShape, b), make('float32', vector(bScale), bScale), make(bType, vector(bZero), bZero),
    make('float32', [], [yScale]), make(yType, [], [yZero]),
  ];
  const exact = acc.map((s, i) => (aScale * bScale[perColumn ? column[i] : 0] * s) / yScale + yZero);
  return { inputs, yType, exact };
}

const SHAPES: readonly (readonly [number[], number[]])[] = [
  [[1, 1], [1, 1]],
  [[3, 17], [17, 63]],
  [[63, 3], [3, 17]],
  [[2, 5, 17], [17, 3]],
  [[17], [17, 5]],
  [[4, 17], [17]],
  [[2, 1, 3, 9], [4, 9, 5]],
  [[3, 7, 63], [3, 63, 1]],
  [[1, 3, 300], [300, 17]],
];

test('QLinearMatMul equals its plain reference exactly on odd and batched shapes, per tensor and per column', () => {
  const rng = new Rng(0x3a);
  for (const [aShape, bShape] of SHAPES) {
    for (const perColumn of [false, true]) {
      const types: DType[] = ['int8', 'uint8'];
      const q = randomCase(rng, aShape, bShape, types[rng.int(0, 1)], types[rng.int(0, 1)], types[rng.int(0, 1)], perColumn);
      const [a, aScale, aZero, b, bScale, bZero, yScale, yZero] = q.inputs;
      const plan = planMatMul(a.shape, b.shape, 'test');
      const stage = outputStage(requantizeMultipliers(aScale.data[0], bScale.data, yScale.data[0]), yZero.data[0], ...RANGE[q.yType]);
      const op: MatMulOperands = { a: a.data as Int8Array, aZero: aZero.data[0], b: b.data as Int8Array, bZero: Int32Array.from(bZero.data), plan, stage };
      const length = size(plan.outShape);
      const fast = q.yType === 'int8' ? new Int8Array(length) : new Uint8Array(length);
      const reference = q.yType === 'int8' ? new Int8Array(length) : new Uint8Array(length);
      qlinearMatMulImpl(op, fast);
      qlinearMatMulReference(op, reference);
      assert.deepEqual(fast, reference, `${aShape} · ${bShape}`);
      const y = runInteger('QLinearMatMul', q.inputs);
      assert.deepEqual([...y.shape], [...plan.outShape]);
      assert.deepEqual(y.data, reference, `${aShape} · ${bShape} through the kernel`);
      if (length >= 4) assert.ok(Array.from(reference).some((v) => v > RANGE[q.yType][0] && v < RANGE[q.yType][1]), `${aShape} · ${bShape}: outputs inside the range`);
    }
  }
});

test('QLinearMatMul is float64 math rounded: within 1 LSB, equal except within 1e-6 of a tie', (t: TestContext) => {
  const rng = new Rng(0x3b);
  let total = 0;
  let differing = 0;
  let nearTies = 0;
  for (let trial = 0; trial < 30; trial++) {
    const [aShape, bShape] = SHAPES[trial % SHAPES.length];
    const q = randomCase(rng, aShape, bShape, trial % 2 === 0 ? 'uint8' : 'int8', 'int8', trial % 3 === 0 ? 'int8' : 'uint8', trial % 2 === 1);
    const c = compareWithExact(runInteger('QLinearMatMul', q.inputs).data, q.exact, ...RANGE[q.yType], `trial ${trial}`);
    total += c.total;
    differing += c.differing;
    nearTies += c.nearTies;
  }
  t.diagnostic(`QLinearMatMul vs float64: ${total} outputs, ${differing} differ from the rounded exact value, ${nearTies} within 1e-6 of a tie`);
});

test("the lecture's matrix example: (−98 14; −17 41)·(44; −65) = (−5222; −3413) requantized to 3/127 is (−27; −18)", () => {
  const aScale = 2 / 127;
  const bScale = 1 / 127;
  // quantize the lecture's matrices with the kernel set's own QuantizeLinear, then multiply
  const quantizeA = runInteger('QuantizeLinear', [make('float32', [2, 2], [-1.54, 0.22, -0.26, 0.65]), make('float32', [], [aScale]), make('int8', [], [0])]);
  const quantizeB = runInteger('QuantizeLinear', [make('float32', [2], [0.35, -0.51]), make('float32', [], [bScale]), make('int8', [], [0])]);
  assert.deepEqual(Array.from(quantizeA.data), [-98, 14, -17, 41]);
  assert.deepEqual(Array.from(quantizeB.data), [44, -65]);
  const y = runInteger('QLinearMatMul', [
    quantizeA, make('float32', [], [aScale]), make('int8', [], [0]),
    quantizeB, make('float32', [], [bScale]), make('int8', [], [0]),
    make('float32', [], [3 / 127]), make('int8', [], [0]),
  ]);
  assert.equal(y.dtype, 'int8');
  assert.deepEqual([...y.shape], [2]);
  assert.deepEqual(Array.from(y.data), [-27, -18]);
  // dequantized, within one output step of the float product (−0.6512, −0.4225)
  const float = [-1.54 * 0.35 + 0.22 * -0.51, -0.26 * 0.35 + 0.65 * -0.51];
  Array.from(y.data).forEach((q, i) => assert.ok(Math.abs(q * (3 / 127) - float[i]) < 3 / 127, `element ${i}: ${q} vs ${float[i]}`));
});

test('QLinearMatMul agrees with onnxruntime-node: within 1 LSB everywhere, identical on ≥ 99%', async (t: TestContext) => {
  const rng = new Rng(0x3c);
  const counts: OrtComparison[] = [];
  const combos: readonly (readonly [DType, DType])[] = [['uint8', 'uint8'], ['uint8', 'int8'], ['int8', 'int8']];
  const shapes: readonly (readonly [number[], number[]])[] = [[[29, 63], [63, 37]], [[2, 15, 40], [40, 33]], [[31, 120], [120, 27]], [[3, 14, 20], [3, 20, 16]]];
  for (let trial = 0; trial < 8; trial++) {
    const [aType, bType] = combos[trial % combos.length];
    const [aShape, bShape] = shapes[trial % shapes.length];
    const q = randomCase(rng, aShape, bShape, aType, bType, aType, trial % 2 === 0 && bShape.length === 2);
    if (bType === 'int8') q.inputs[5] = make('int8', q.inputs[5].shape, new Array(q.inputs[5].data.length).fill(0));
    const y = runInteger('QLinearMatMul', q.inputs);
    counts.push(compareWithOrt(y, await runInOrt('QLinearMatMul', '', q.inputs, {}, aType), `trial ${trial}`));
  }
  const { total, identical } = assertMostlyIdentical(counts, 'QLinearMatMul');
  t.diagnostic(`QLinearMatMul vs onnxruntime: ${identical} of ${total} identical`);
});

test('QLinearMatMul rejects bad inputs with typed errors naming the node', () => {
  const rng = new Rng(0x3d);
  const q = randomCase(rng, [3, 4], [4, 5], 'uint8', 'int8', 'uint8', true);
  const withInput = (i: number, value: Tensor): Tensor[] => q.inputs.map((t, j) => (j === i ? value : t));
  assertNodeError(() => runInteger('QLinearMatMul', withInput(4, make('float32', [4], [0.1, 0.1, 0.1, 0.1]))), ShapeError, /b_scale has shape \[4\].*column of b \(\[5\]\)/);
  assertNodeError(() => runInteger('QLinearMatMul', withInput(1, make('float32', [3], [0.1, 0.1, 0.1]))), ShapeError, /a_scale has shape \[3\].*per tensor/);
  assertNodeError(() => runInteger('QLinearMatMul', withInput(5, make('uint8', [5], [0, 0, 0, 0, 0]))), ShapeError, /b_zero_point is uint8 but b is int8/);
  assertNodeError(() => runInteger('QLinearMatMul', q.inputs.slice(0, 6)), ShapeError, /expects 8 inputs, got 6/);
  assertNodeError(() => runInteger('QLinearMatMul', withInput(0, make('float32', [3, 4], new Array(12).fill(0)))), UnsupportedOpError, /a of type float32/);
  assertNodeError(() => runInteger('QLinearMatMul', withInput(3, make('int8', [5, 5], new Array(25).fill(0)))), ShapeError, /inner dimensions/);
});

test('a product that could overflow the int32 accumulator is refused (eq. (12)), not wrapped', () => {
  const k = 40000;
  const inputs = [
    make('uint8', [1, k], new Array(k).fill(255)), make('float32', [], [0.01]), make('uint8', [], [0]),
    make('uint8', [k, 1], new Array(k).fill(255)), make('float32', [], [0.01]), make('uint8', [], [0]),
    make('float32', [], [1]), make('uint8', [], [0]),
  ];
  assertNodeError(() => runInteger('QLinearMatMul', inputs), LimitError, /int32 accumulator/);
});
