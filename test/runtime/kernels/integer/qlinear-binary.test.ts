import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError } from '../../../../src/errors.ts';
import type { DType } from '../../../../src/ir/dtype.ts';
import type { Tensor } from '../../../../src/ir/tensor.ts';
import { addOne, addStage, mulOne, mulStage, qlinearBinaryImpl } from '../../../../src/runtime/kernels/integer/qlinear-binary.ts';
import { qlinearBinaryReference } from '../../../../src/runtime/kernels/integer/qlinear-binary-reference.ts';
import { make, Rng, size } from '../float/kernel-test-utils.ts';
import { randomInts } from '../quant/conv-test-utils.ts';
import { assertMostlyIdentical, assertNodeError, compareWithExact, compareWithOrt, runInOrt, runInteger, type OrtComparison } from './integer-test-utils.ts';

const RANGE: Record<string, [number, number]> = { int8: [-128, 127], uint8: [0, 255] };
const DOMAIN = 'com.microsoft';

/** Broadcast pairs of shapes (numpy rules): equal, scalar, per-channel, both stretched, rank differences. */
const SHAPES: readonly (readonly [number[], number[]])[] = [
  [[3, 17], [3, 17]],
  [[2, 3, 5, 7], []],
  [[1], [63]],
  [[2, 3, 4, 5], [3, 1, 1]],
  [[4, 1, 6], [1, 5, 1]],
  [[17, 1], [1, 3]],
  [[5], [2, 3, 5]],
];

interface Case {
  readonly inputs: Tensor[];
  readonly shape: number[];
  readonly exact: number[];
}

function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  return Array.from({ length: rank }, (_, i) => {
    const da = a[i - (rank - a.length)] ?? 1;
    const db = b[i - (rank - b.length)] ?? 1;
    return da === 1 ? db : da;
  });
}

/** Element of `shape` (right-aligned, size-1 axes stretched) under the output multi-index `index`. */
function at(values: readonly number[], shape: readonly number[], index: readonly number[]): number {
  let flat = 0;
  shape.forEach((d, axis) => {
    flat = flat * d + (d === 1 ? 0 : index[axis + index.length - shape.length]);
  });
  return values[flat];
}

/** A random QLinearAdd / QLinearMul with scales that keep most outputs inside the range. */
function randomCase(rng: Rng, op: 'add' | 'mul', aShape: number[], bShape: number[], dtype: DType): Case {
  const a = randomInts(rng, dtype, size(aShape));
  const b = randomInts(rng, dtype, size(bShape));
  const [aZero, bZero] = randomInts(rng, dtype, 2);
  const cZero = rng.int(RANGE[dtype][0] + 60, RANGE[dtype][1] - 60);
  const aScale = Math.fround(0.01 + 0.1 * rng.uniform());
  const bScale = Math.fround(rng.int(0, 3) === 0 ? aScale : 0.01 + 0.1 * rng.uniform());
  const cScale = Math.fround(op === 'add' ? (aScale + bScale) * (1.2 + 1.5 * rng.uniform()) : aScale * bScale * (150 + 100 * rng.uniform()));
  const shape = broadcastShape(aShape, bShape);
  const exact: number[] = [];
  for (let flat = 0; flat < size(shape); flat++) {
    const index = shape.map((_, axis) => Math.floor(flat / size(shape.slice(axis + 1))) % shape[axis]);
    const ra = aScale * (at(a, aShape, index) - aZero);
    const rb = bScale * (at(b, bShape, index) - bZero);
    exact.push((op === 'add' ? ra + rb : ra * rb) / cScale + cZero);
  }
  const inputs = [
    make(dtype, aShape, a), make('float32', [], [aScale]), make(dtype, [], [aZero]),
    make(dtype, bShape, b), make('float32', [], [bScale]), make(dtype, [], [bZero]),
    make('float32', [], [cScale]), make(dtype, [], [cZero]),
  ];
  return { inputs, shape, exact };
}

const OPS = [['add', 'QLinearAdd', addStage, addOne], ['mul', 'QLinearMul', mulStage, mulOne]] as const;

test('QLinearAdd / QLinearMul broadcasting equals the multi-index reference exactly', () => {
  const rng = new Rng(0xb1);
  for (const [op, opType, stage, one] of OPS) {
    for (const [aShape, bShape] of SHAPES) {
      for (const dtype of ['int8', 'uint8'] as const) {
        const q = randomCase(rng, op, aShape, bShape, dtype);
        const [a, aScale, aZero, b, bScale, bZero, cScale, cZero] = q.inputs;
        const p = stage(dtype, aScale.data[0], aZero.data[0], bScale.data[0], bZero.data[0], cScale.data[0], cZero.data[0]);
        const fast = qlinearBinaryImpl(a, b, p, one, 'test');
        const reference = qlinearBinaryReference(a, b, p, one, 'test');
        assert.deepEqual(fast, reference, `${opType} ${aShape} ${bShape} ${dtype}`);
        const y = runInteger(opType, q.inputs, {}, DOMAIN);
        assert.deepEqual(y, reference, `${opType} ${aShape} ${bShape} ${dtype} through the kernel`);
        assert.deepEqual([...y.shape], q.shape);
      }
    }
  }
});

test('QLinearAdd / QLinearMul are float64 math rounded: within 1 LSB, equal except within 1e-6 of a tie', (t: TestContext) => {
  const rng = new Rng(0xb2);
  for (const [op, opType] of OPS) {
    let total = 0;
    let differing = 0;
    let nearTies = 0;
    for (let trial = 0; trial < 28; trial++) {
      const [aShape, bShape] = SHAPES[trial % SHAPES.length];
      const dtype: DType = trial % 2 === 0 ? 'int8' : 'uint8';
      const q = randomCase(rng, op, aShape, bShape, dtype);
      const c = compareWithExact(runInteger(opType, q.inputs, {}, DOMAIN).data, q.exact, ...RANGE[dtype], `${opType} trial ${trial}`);
      total += c.total;
      differing += c.differing;
      nearTies += c.nearTies;
    }
    t.diagnostic(`${opType} vs float64: ${total} outputs, ${differing} differ from the rounded exact value, ${nearTies} within 1e-6 of a tie`);
  }
});

test('QLinearAdd / QLinearMul agree with onnxruntime-node: within 1 LSB everywhere, identical on ≥ 99%', async (t: TestContext) => {
  const rng = new Rng(0xb3);
  for (const [op, opType] of OPS) {
    const counts: OrtComparison[] = [];
    for (let trial = 0; trial < 6; trial++) {
      const shapes: [number[], number[]][] = [[[4, 8, 9, 9], [4, 8, 9, 9]], [[2, 16, 7, 7], [16, 1, 1]], [[40, 50], [50]]];
      const [aShape, bShape] = shapes[trial % 3];
      const dtype: DType = trial % 2 === 0 ? 'uint8' : 'int8';
      const q = randomCase(rng, op, aShape, bShape, dtype);
      counts.push(compareWithOrt(runInteger(opType, q.inputs, {}, DOMAIN), await runInOrt(opType, DOMAIN, q.inputs, {}, dtype, [0, 3]), `${opType} trial ${trial}`));
    }
    const { total, identical } = assertMostlyIdentical(counts, opType);
    t.diagnostic(`${opType} vs onnxruntime: ${identical} of ${total} identical`);
  }
});

test('QLinearAdd / QLinearMul reject bad inputs with typed errors naming the node', () => {
  const rng = new Rng(0xb4);
  for (const [op, opType] of OPS) {
    const q = randomCase(rng, op, [2, 3], [3], 'uint8');
    const withInput = (i: number, value: Tensor): Tensor[] => q.inputs.map((t, j) => (j === i ? value : t));
    const run = (inputs: Tensor[]): Tensor => runInteger(opType, inputs, {}, DOMAIN);
    assertNodeError(() => run(withInput(3, make('int8', [3], [1, 2, 3]))), ShapeError, /B is int8 but A is uint8/);
    assertNodeError(() => run(withInput(2, make('int8', [], [0]))), ShapeError, /A_zero_point is int8 but A is uint8/);
    assertNodeError(() => run(withInput(4, make('float32', [3], [0.1, 0.1, 0.1]))), ShapeError, /B_scale has shape \[3\].*per tensor/);
    assertNodeError(() => run(q.inputs.slice(0, 6)), ShapeError, /expects 7 to 8 inputs, got 6/);
    assertNodeError(() => run(withInput(3, make('uint8', [4], [1, 2, 3, 4]))), ShapeError, /cannot be broadcast/);
  }
});
