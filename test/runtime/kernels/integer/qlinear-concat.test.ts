import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError } from '../../../../src/errors.ts';
import type { DType } from '../../../../src/ir/dtype.ts';
import type { Tensor } from '../../../../src/ir/tensor.ts';
import { concatPart, qlinearConcatImpl } from '../../../../src/runtime/kernels/integer/qlinear-concat.ts';
import { qlinearConcatReference } from '../../../../src/runtime/kernels/integer/qlinear-concat-reference.ts';
import { int, make, Rng, size } from '../float/kernel-test-utils.ts';
import { randomInts } from '../quant/conv-test-utils.ts';
import { assertMostlyIdentical, assertNodeError, compareWithExact, compareWithOrt, runInOrt, runInteger, type OrtComparison } from './integer-test-utils.ts';

const RANGE: Record<string, [number, number]> = { int8: [-128, 127], uint8: [0, 255] };
const DOMAIN = 'com.microsoft';

interface Case {
  readonly inputs: Tensor[];
  readonly axis: number;
  readonly shape: number[];
  readonly exact: number[];
}

/** Random tensors joined along `axis`; some share Y's parameters (pass through), the others are requantized. */
function randomCase(rng: Rng, dtype: DType, base: number[], axis: number, count: number): Case {
  const yScale = Math.fround(0.02 + 0.05 * rng.uniform());
  const yZero = randomInts(rng, dtype, 1)[0];
  const inputs: Tensor[] = [make('float32', [], [yScale]), make(dtype, [], [yZero])];
  const parts: { shape: number[]; values: number[]; scale: number; zero: number }[] = [];
  for (let i = 0; i < count; i++) {
    const shape = base.map((d, a) => (a === axis ? rng.int(1, 4) : d));
    const values = randomInts(rng, dtype, size(shape));
    const same = rng.int(0, 2) === 0;
    const scale = same ? yScale : Math.fround(yScale * (0.4 + 1.2 * rng.uniform()));
    const zero = same ? yZero : randomInts(rng, dtype, 1)[0];
    parts.push({ shape, values, scale, zero });
    inputs.push(make(dtype, shape, values), make('float32', [], [scale]), make(dtype, [], [zero]));
  }
  const shape = [...base];
  shape[axis] = parts.reduce((s, p) => s + p.shape[axis], 0);
  // the exact result by output multi-index: which part, at which position along the axis
  const exact: number[] = [];
  for (let flat = 0; flat < size(shape); flat++) {
    const index = shape.map((_, a) => Math.floor(flat / size(shape.slice(a + 1))) % shape[a]);
    let position = index[axis];
    let part = 0;
    while (position >= parts[part].shape[axis]) position -= parts[part++].shape[axis];
    const p = parts[part];
    const own = index.map((v, a) => (a === axis ? position : v));
    const q = p.values[own.reduce((f, v, a) => f * p.shape[a] + v, 0)];
    exact.push((p.scale * (q - p.zero)) / yScale + yZero);
  }
  return { inputs, axis, shape, exact };
}

test('QLinearConcat equals its element-by-element reference, and passes tensors on Y\'s grid unchanged', (t: TestContext) => {
  const rng = new Rng(0xe1);
  let total = 0;
  let differing = 0;
  for (let trial = 0; trial < 30; trial++) {
    const dtype: DType = trial % 2 === 0 ? 'int8' : 'uint8';
    const base = Array.from({ length: rng.int(1, 4) }, () => rng.int(1, 5));
    const axis = rng.int(0, base.length - 1);
    const q = randomCase(rng, dtype, base, axis, rng.int(1, 4));
    const y = runInteger('QLinearConcat', q.inputs, { axis: int(axis - (trial % 3 === 0 ? base.length : 0)) }, DOMAIN);
    const xs = q.inputs.filter((_, i) => i >= 2 && (i - 2) % 3 === 0);
    const parts = xs.map((_, i) => concatPart(dtype, q.inputs[3 + 3 * i].data[0], q.inputs[4 + 3 * i].data[0], q.inputs[0].data[0], q.inputs[1].data[0]));
    const reference = qlinearConcatReference(xs, parts, axis, 'test');
    assert.deepEqual(qlinearConcatImpl(xs, parts, axis, 'test'), reference, `trial ${trial}`);
    assert.deepEqual(y, reference, `trial ${trial} through the kernel`);
    parts.forEach((part, i) => {
      if (part.stage === undefined) assert.equal(q.inputs[3 + 3 * i].data[0], q.inputs[0].data[0], 'only Y-grid inputs pass unchanged');
    });
    const c = compareWithExact(y.data, q.exact, ...RANGE[dtype], `trial ${trial}`);
    total += c.total;
    differing += c.differing;
  }
  t.diagnostic(`QLinearConcat vs float64: ${total} outputs, ${differing} differ from the rounded exact value`);
});

test('QLinearConcat agrees with onnxruntime-node: within 1 LSB, identical on ≥ 99%', async (t: TestContext) => {
  const rng = new Rng(0xe2);
  const counts: OrtComparison[] = [];
  for (let trial = 0; trial < 4; trial++) {
    const dtype: DType = trial % 2 === 0 ? 'uint8' : 'int8';
    const q = randomCase(rng, dtype, [2, 7, 9, 11], 1, 3);
    const feeds = q.inputs.map((_, i) => i).filter((i) => i >= 2 && (i - 2) % 3 === 0);
    counts.push(compareWithOrt(runInteger('QLinearConcat', q.inputs, { axis: int(1) }, DOMAIN), await runInOrt('QLinearConcat', DOMAIN, q.inputs, { axis: 1 }, dtype, feeds), `trial ${trial}`));
  }
  const { total, identical } = assertMostlyIdentical(counts, 'QLinearConcat');
  t.diagnostic(`QLinearConcat vs onnxruntime: ${identical} of ${total} identical`);
});

test('QLinearConcat rejects bad inputs with typed errors naming the node', () => {
  const rng = new Rng(0xe3);
  const q = randomCase(rng, 'uint8', [2, 3], 1, 2);
  const withInput = (i: number, value: Tensor): Tensor[] => q.inputs.map((t, j) => (j === i ? value : t));
  const run = (inputs: Tensor[], attributes = { axis: int(1) }): Tensor => runInteger('QLinearConcat', inputs, attributes, DOMAIN);
  assertNodeError(() => run(q.inputs.slice(0, 7)), ShapeError, /triples, got 7 inputs/);
  assertNodeError(() => run(q.inputs.slice(0, 4)), ShapeError, /expects at least 5 inputs, got 4/);
  assertNodeError(() => run(q.inputs, {} as { axis: ReturnType<typeof int> }), ShapeError, /attribute axis is required/);
  assertNodeError(() => run(withInput(5, make('int8', [2, 1], [1, 2]))), ShapeError, /input 1 is int8 but Y is uint8/);
  assertNodeError(() => run(withInput(4, make('int8', [], [0]))), ShapeError, /input 0 zero point is int8 but input 0 is uint8/);
  assertNodeError(() => run(withInput(5, make('uint8', [3, 1], [1, 2, 3]))), ShapeError, /cannot concatenate/);
});
