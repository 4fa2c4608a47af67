import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError, UnsupportedOpError } from '../../../../src/errors.ts';
import type { DType } from '../../../../src/ir/dtype.ts';
import type { Attribute } from '../../../../src/ir/graph.ts';
import type { Tensor } from '../../../../src/ir/tensor.ts';
import { requantizeMultipliers } from '../../../../src/quant/requantize.ts';
import { denseView } from '../../../../src/runtime/kernels/integer/igemm.ts';
import { outputStage } from '../../../../src/quant/output-stage.ts';
import { qgemmImpl, type GemmOperands, type GemmOutput } from '../../../../src/runtime/kernels/integer/qgemm.ts';
import { qgemmReference } from '../../../../src/runtime/kernels/integer/qgemm-reference.ts';
import { float, int, make, Rng } from '../float/kernel-test-utils.ts';
import { randomInts } from '../quant/conv-test-utils.ts';
import { assertMostlyIdentical, assertNodeError, compareWithExact, compareWithOrt, runInOrt, runInteger, type OrtComparison } from './integer-test-utils.ts';

const RANGE: Record<string, [number, number]> = { int8: [-128, 127], uint8: [0, 255] };
const DOMAIN = 'com.microsoft';

interface Case {
  readonly inputs: (Tensor | undefined)[];
  readonly attributes: Record<string, Attribute>;
  readonly m: number;
  readonly n: number;
  /** Exact results: output units with the zero point (quantized), or real values (float output). */
  readonly exact: number[];
  readonly yType: DType | 'float32';
}

/** A random QGemm: transposes, alpha, per-column B, a broadcast C, quantized or float output. */
function randomCase(rng: Rng, m: number, n: number, k: number, aType: DType, bType: DType, options: { perColumn: boolean; bias: 'none' | 'scalar' | 'row' | 'column' | 'full'; quantized: boolean }): Case {
  const transA = rng.int(0, 1) === 1;
  const transB = rng.int(0, 1) === 1;
  const alpha = Math.fround(options.quantized ? 0.5 + rng.uniform() : 1 + rng.uniform());
  const a = randomInts(rng, aType, m * k);
  const b = randomInts(rng, bType, k * n);
  const aAt = (i: number, p: number): number => a[transA ? p * m + i : i * k + p];
  const bAt = (p: number, j: number): number => b[transB ? j * k + p : p * n + j];
  const aZero = randomInts(rng, aType, 1)[0];
  const bZero = bType === 'int8' ? new Array<number>(options.perColumn ? n : 1).fill(0) : randomInts(rng, bType, options.perColumn ? n : 1);
  const cShape = { none: [], scalar: [], row: [n], column: [m, 1], full: [m, n] }[options.bias];
  const cValues = Array.from({ length: options.bias === 'scalar' ? 1 : cShape.reduce((p, d) => p * d, 1) }, () => rng.int(-3000, 3000));
  const cAt = (i: number, j: number): number => (options.bias === 'none' ? 0 : options.bias === 'scalar' ? cValues[0] : options.bias === 'row' ? cValues[j] : options.bias === 'column' ? cValues[i] : cValues[i * n + j]);
  const acc: number[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = cAt(i, j);
      for (let p = 0; p < k; p++) s += (aAt(i, p) - aZero) * (bAt(p, j) - bZero[options.perColumn ? j : 0]);
      acc.push(s);
    }
  }
  const maxAcc = Math.max(1, ...acc.map(Math.abs));
  const aScale = Math.fround(0.01 + 0.04 * rng.uniform());
  const yScale = Math.fround(0.02 + 0.05 * rng.uniform());
  const bScale = Array.from({ length: options.perColumn ? n : 1 }, () => Math.fround(((100 + 80 * rng.uniform()) / maxAcc) * (yScale / (alpha * aScale))));
  const vector = (values: number[]): number[] => (values.length === 1 ? [] : [values.length]);
  const yZero = rng.int(RANGE[aType][0] + 30, RANGE[aType][1] - 30);
  const inputs: (Tensor | undefined)[] = [
    make(aType, transA ? [k, m] : [m, k], a), make('float32', [], [aScale]), make(aType, [], [aZero]),
    make(bType, transB ? [n, k] : [k, n], b), make('float32', vector(bScale), bScale), make(bType, vector(bZero), bZero),
    options.bias === 'none' ? undefined : make('int32', cShape, cValues),
  ];
  if (options.quantized) inputs.push(make('float32', [], [yScale]), make(aType, [], [yZero]));
  const column = (i: number): number => (options.perColumn ? i % n : 0);
  const exact = options.quantized
    ? acc.map((s, i) => (Math.fround(alpha * aScale) * bScale[column(i)] * s) / yScale + yZero)
    : acc.map((s, i) => Math.fround(alpha * aScale) * bScale[column(i)] * s);
  return { inputs, attributes: { transA: int(transA ? 1 : 0), transB: int(transB ? 1 : 0), alpha: float(alpha) }, m, n, exact, yType: options.quantized ? aType : 'float32' };
}

const BIASES = ['none', 'scalar', 'row', 'column', 'full'] as const;
const SIZES = [1, 3, 17, 63];

/** GemmOperands and output of a case, for calling the fast path and the reference directly. */
function operands(q: Case): { op: GemmOperands; output: GemmOutput } {
  const [a, aScale, aZero, b, bScale, bZero, c, yScale, yZero] = q.inputs as Tensor[];
  const transA = (q.attributes.transA.value as number) === 1;
  const transB = (q.attributes.transB.value as number) === 1;
  const alpha = q.attributes.alpha.value as number;
  const k = transA ? a.shape[0] : a.shape[1];
  const rows = c === undefined ? 1 : c.shape.length === 2 ? c.shape[0] : 1;
  const cols = c === undefined ? 1 : c.shape.length === 0 ? 1 : c.shape[c.shape.length - 1];
  const op: GemmOperands = {
    m: q.m, n: q.n, k,
    a: denseView(a.data as Int8Array, 0, a.shape[1], transA), aZero: aZero.data[0],
    b: denseView(b.data as Int8Array, 0, b.shape[1], transB), bZero: Int32Array.from(bZero.data),
    c: c === undefined ? undefined : { data: c.data as Int32Array, rows, cols },
  };
  const output: GemmOutput = yScale === undefined
    ? { scale: Float32Array.from(bScale.data, (s) => Math.fround(Math.fround(alpha * aScale.data[0]) * s)) }
    : { stage: outputStage(requantizeMultipliers(alpha * aScale.data[0], bScale.data, yScale.data[0]), yZero.data[0], ...RANGE[q.yType]) };
  return { op, output };
}

test('QGemm equals its plain reference exactly: odd shapes, transposes, alpha, per-column B, every C broadcast, both outputs', () => {
  const rng = new Rng(0x9e);
  let trial = 0;
  for (const m of SIZES) {
    for (const n of SIZES) {
      const types: DType[] = ['int8', 'uint8'];
      const aType = types[rng.int(0, 1)];
      const q = randomCase(rng, m, n, SIZES[trial % 4], aType, aType === 'int8' ? 'int8' : types[rng.int(0, 1)], { perColumn: rng.int(0, 1) === 1, bias: BIASES[trial % 5], quantized: trial % 4 !== 3 });
      const { op, output } = operands(q);
      const y = runInteger('QGemm', q.inputs, q.attributes, DOMAIN);
      const fast = q.yType === 'float32' ? new Float32Array(m * n) : q.yType === 'int8' ? new Int8Array(m * n) : new Uint8Array(m * n);
      const reference = fast.slice();
      qgemmImpl(op, output, fast);
      qgemmReference(op, output, reference);
      assert.deepEqual(fast, reference, `trial ${trial}: ${m}×${n}`);
      assert.equal(y.dtype, q.yType);
      assert.deepEqual(y.data, reference, `trial ${trial} through the kernel`);
      trial++;
    }
  }
});

test('QGemm is float64 math rounded (quantized output) and the float32 product (float output)', (t: TestContext) => {
  const rng = new Rng(0x9f);
  let total = 0;
  let differing = 0;
  let nearTies = 0;
  for (let trial = 0; trial < 24; trial++) {
    const quantized = trial % 3 !== 0;
    const q = randomCase(rng, SIZES[trial % 4], SIZES[(trial >> 2) % 4], 17 + trial, 'uint8', trial % 2 === 0 ? 'int8' : 'uint8', { perColumn: trial % 2 === 1, bias: BIASES[trial % 5], quantized });
    const y = runInteger('QGemm', q.inputs, q.attributes, DOMAIN);
    if (quantized) {
      const c = compareWithExact(y.data, q.exact, ...RANGE[q.yType as DType], `trial ${trial}`);
      total += c.total;
      differing += c.differing;
      nearTies += c.nearTies;
    } else {
      // fl32(fl32(acc)·scale): within one float32 rounding of each factor of the exact product
      Array.from(y.data).forEach((v, i) => assert.ok(Math.abs(v - q.exact[i]) <= Math.abs(q.exact[i]) * 2 ** -22, `trial ${trial} element ${i}: ${v} vs ${q.exact[i]}`));
    }
  }
  t.diagnostic(`QGemm vs float64: ${total} quantized outputs, ${differing} differ from the rounded exact value, ${nearTies} within 1e-6 of a tie`);
});

test('QGemm agrees with onnxruntime-node: within 1 LSB everywhere, identical on ≥ 99%', async (t: TestContext) => {
  const rng = new Rng(0xa0);
  const counts: OrtComparison[] = [];
  const combos: readonly (readonly [DType, DType])[] = [['uint8', 'uint8'], ['uint8', 'int8'], ['int8', 'int8']];
  for (let trial = 0; trial < 6; trial++) {
    const [aType, bType] = combos[trial % 3];
    const q = randomCase(rng, 13 + trial, 37, 50 + 9 * trial, aType, bType, { perColumn: trial % 2 === 0, bias: BIASES[trial % 5], quantized: true });
    const y = runInteger('QGemm', q.inputs, q.attributes, DOMAIN);
    const attributes = { transA: q.attributes.transA.value as number, transB: q.attributes.transB.value as number, alpha: q.attributes.alpha.value as number };
    counts.push(compareWithOrt(y, await runInOrt('QGemm', DOMAIN, q.inputs, attributes, aType), `trial ${trial}`));
  }
  const { total, identical } = assertMostlyIdentical(counts, 'QGemm');
  t.diagnostic(`QGemm vs onnxruntime: ${identical} of ${total} identical`);
  // the float output too: onnxruntime forms fl32(acc)·fl32(alpha·s_a·s_b) as well
  const q = randomCase(rng, 9, 11, 40, 'uint8', 'int8', { perColumn: true, bias: 'row', quantized: false });
  const y = runInteger('QGemm', q.inputs, q.attributes, DOMAIN);
  const ort = await runInOrt('QGemm', DOMAIN, q.inputs, { transA: q.attributes.transA.value as number, transB: q.attributes.transB.value as number, alpha: q.attributes.alpha.value as number }, 'float32');
  Array.from(y.data).forEach((v, i) => assert.ok(Math.abs(v - ort.data[i]) <= Math.abs(v) * 2 ** -22, `float element ${i}: ${v} vs ${ort.data[i]}`));
});

test('QGemm rejects bad inputs with typed errors naming the node', () => {
  const rng = new Rng(0xa1);
  const q = randomCase(rng, 3, 5, 4, 'uint8', 'uint8', { perColumn: true, bias: 'row', quantized: true });
  const withInput = (i: number, value: Tensor | undefined): (Tensor | undefined)[] => q.inputs.map((t, j) => (j === i ? value : t));
  const run = (inputs: (Tensor | undefined)[], attributes = q.attributes): Tensor => runInteger('QGemm', inputs, attributes, DOMAIN);
  assertNodeError(() => run(withInput(4, make('float32', [3], [0.1, 0.1, 0.1]))), ShapeError, /b_scale has shape \[3\].*column of B \(\[5\]\)/);
  assertNodeError(() => run(withInput(5, make('int8', [5], [0, 0, 0, 0, 0]))), ShapeError, /b_zero_point is int8 but B is uint8/);
  assertNodeError(() => run(withInput(6, make('int32', [4], [0, 0, 0, 0]))), ShapeError, /C \[4\] does not broadcast to \[3, 5\]/);
  assertNodeError(() => run(withInput(6, make('float32', [5], [0, 0, 0, 0, 0]))), UnsupportedOpError, /C of type float32/);
  assertNodeError(() => run(q.inputs.slice(0, 5)), ShapeError, /expects 6 to 9 inputs, got 5/);
  assertNodeError(() => run(q.inputs, { ...q.attributes, alpha: float(-1) }), UnsupportedOpError, /alpha -1/);
  assertNodeError(() => run(withInput(0, make('uint8', [2, 3, 4], new Array(24).fill(0)))), ShapeError, /must be matrices/);
});
