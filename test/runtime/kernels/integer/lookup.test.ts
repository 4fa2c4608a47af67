import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { RangeArgumentError, ShapeError, UnsupportedOpError } from '../../../../src/errors.ts';
import type { DType } from '../../../../src/ir/dtype.ts';
import type { Attribute } from '../../../../src/ir/graph.ts';
import { tensor, type Tensor } from '../../../../src/ir/tensor.ts';
import { createParams } from '../../../../src/quant/params.ts';
import { buildLookupTable, QUANTKIT_DOMAIN } from '../../../../src/runtime/kernels/integer/lookup.ts';
import { float, int, make, Rng } from '../float/kernel-test-utils.ts';
import { randomInts } from '../quant/conv-test-utils.ts';
import { assertMostlyIdentical, assertNodeError, clamp, compareWithExact, compareWithOrt, rint, runInOrt, runInteger, type OrtComparison } from './integer-test-utils.ts';

const RANGE: Record<string, [number, number]> = { int8: [-128, 127], uint8: [0, 255], int16: [-32768, 32767], uint16: [0, 65535] };
const DOMAIN = 'com.microsoft';

/** The table's definition with the test's own roundings: fl32(fl32(q − z)·s) → f → rint(fl32(v / s')) + z'. */
function expectedEntry(q: number, f: (r: number) => number, s: number, z: number, so: number, zo: number, qmin: number, qmax: number): number {
  const r = Math.fround(Math.fround(q - z) * s);
  return clamp(rint(Math.fround(f(r) / so)) + zo, qmin, qmax);
}

const tanh = (r: number): number => Math.tanh(r);
const hardSwish = (r: number): number => r * Math.min(Math.max(r / 6 + 0.5, 0), 1);

test('buildLookupTable: every input code dequantized, f in float64, quantized half to even and saturated', () => {
  const rng = new Rng(0xf1);
  for (const [inType, outType, f] of [['int8', 'int8', tanh], ['uint8', 'int8', hardSwish], ['int8', 'uint8', Math.exp], ['int16', 'int16', tanh], ['uint8', 'uint16', hardSwish]] as const) {
    const [lo, hi] = RANGE[inType];
    const inParams = createParams({ scale: Math.fround(0.001 + 0.05 * rng.uniform()), zeroPoint: rng.int(lo, hi), bits: inType.endsWith('16') ? 16 : 8, signed: inType.startsWith('int') });
    // a restricted output range shows the saturation to qmin/qmax (not the storage range)
    const [olo, ohi] = RANGE[outType];
    const outParams = createParams({ scale: Math.fround(0.005 + 0.02 * rng.uniform()), zeroPoint: rng.int(olo + 10, ohi - 10), bits: outType.endsWith('16') ? 16 : 8, signed: outType.startsWith('int'), qmin: olo + 1, qmax: ohi });
    const table = buildLookupTable(f, inParams, outParams);
    assert.equal(table.dtype, outType);
    assert.deepEqual([...table.shape], [hi - lo + 1]);
    for (let q = lo; q <= hi; q++) {
      const expected = expectedEntry(q, f, inParams.scale[0], inParams.zeroPoint[0], outParams.scale[0], outParams.zeroPoint[0], olo + 1, ohi);
      if (table.data[q - lo] !== expected) assert.fail(`${inType}→${outType} code ${q}: ${table.data[q - lo]} vs ${expected}`);
    }
  }
  assert.throws(() => buildLookupTable(Math.log, createParams({ scale: 1, zeroPoint: 0, bits: 8, signed: true }), createParams({ scale: 1, zeroPoint: 0, bits: 8, signed: true })), RangeArgumentError);
  assert.throws(() => buildLookupTable(tanh, createParams({ scale: [1, 2], zeroPoint: [0, 0], bits: 8, signed: true, axis: 0 }), createParams({ scale: 1, bits: 8, signed: true })), RangeArgumentError);
});

test('QLinearLookup reads table[x + input_offset] for int8, uint8 and int16 inputs', () => {
  const rng = new Rng(0xf2);
  for (const [xType, yType] of [['int8', 'uint8'], ['uint8', 'int8'], ['int16', 'int8']] as const) {
    const [lo, hi] = RANGE[xType];
    const table = make(yType, [hi - lo + 1], Array.from({ length: hi - lo + 1 }, () => rng.int(...RANGE[yType])));
    const values = Array.from({ length: 300 }, (_, i) => (i < 2 ? [lo, hi][i] : rng.int(lo, hi)));
    const x = make(xType, [3, 100], values);
    const attributes: Record<string, Attribute> = { table: { type: 'tensor', value: table } };
    if (xType !== 'int16') attributes.input_offset = int(-lo);
    const y = runInteger('QLinearLookup', [x], attributes, QUANTKIT_DOMAIN);
    assert.equal(y.dtype, yType);
    assert.deepEqual([...y.shape], [3, 100]);
    assert.deepEqual(Array.from(y.data), values.map((v) => table.data[v - lo]));
  }
});

test('QLinearLookup rejects bad tables with typed errors naming the node', () => {
  const x = make('int8', [4], [1, 2, 3, 4]);
  const table = (n: number, dtype: DType = 'int8'): Attribute => ({ type: 'tensor', value: tensor(dtype, [n]) });
  const run = (attributes: Record<string, Attribute>, inputs: (Tensor | undefined)[] = [x]): Tensor => runInteger('QLinearLookup', inputs, attributes, QUANTKIT_DOMAIN);
  assertNodeError(() => run({}), ShapeError, /attribute table is required/);
  assertNodeError(() => run({ table: table(200) }), ShapeError, /does not cover the int8 codes/);
  assertNodeError(() => run({ table: table(256), input_offset: int(0) }), ShapeError, /input_offset 0/);
  assertNodeError(() => run({ table: table(256, 'float32') }), UnsupportedOpError, /table of type float32/);
  assertNodeError(() => run({ table: table(256) }, [make('float32', [1], [0])]), UnsupportedOpError, /X of type float32/);
  assertNodeError(() => run({ table: table(256) }, [x, x]), ShapeError, /expects 1 inputs, got 2/);
});

interface Activation {
  readonly opType: string;
  readonly attributes: Record<string, Attribute>;
  readonly f: (r: number) => number;
}

const ACTIVATIONS: readonly Activation[] = [
  { opType: 'QLinearSigmoid', attributes: {}, f: (r) => 1 / (1 + Math.exp(-r)) },
  { opType: 'QLinearLeakyRelu', attributes: { alpha: float(Math.fround(0.13)) }, f: (r) => (r >= 0 ? r : Math.fround(0.13) * r) },
  { opType: 'QLinearLeakyRelu', attributes: {}, f: (r) => (r >= 0 ? r : Math.fround(0.01) * r) },
];

function activationInputs(rng: Rng, dtype: DType, n: number, sigmoid: boolean): Tensor[] {
  const [lo, hi] = RANGE[dtype];
  const xScale = Math.fround(0.02 + 0.06 * rng.uniform());
  const yScale = sigmoid ? Math.fround(1 / (hi - lo) * (1 + 0.2 * rng.uniform())) : Math.fround(xScale * (0.6 + 0.8 * rng.uniform()));
  return [make(dtype, [n], randomInts(rng, dtype, n)), make('float32', [], [xScale]), make(dtype, [], [rng.int(lo + 20, hi - 20)]), make('float32', [], [yScale]), make(dtype, [], [sigmoid ? lo : rng.int(lo + 20, hi - 20)])];
}

test('QLinearSigmoid / QLinearLeakyRelu equal the element-by-element definition, and float64 math within 1 LSB', (t: TestContext) => {
  const rng = new Rng(0xf3);
  for (const a of ACTIVATIONS) {
    for (const dtype of ['int8', 'uint8'] as const) {
      const inputs = activationInputs(rng, dtype, 500, a.opType === 'QLinearSigmoid');
      const [x, xScale, xZero, yScale, yZero] = inputs;
      const y = runInteger(a.opType, inputs, a.attributes, DOMAIN);
      assert.equal(y.dtype, dtype);
      const [s, z, so, zo] = [xScale.data[0], xZero.data[0], yScale.data[0], yZero.data[0]];
      assert.deepEqual(Array.from(y.data), Array.from(x.data, (q) => expectedEntry(q, a.f, s, z, so, zo, ...RANGE[dtype])), `${a.opType} ${dtype}`);
      const exact = Array.from(x.data, (q) => a.f((q - z) * s) / so + zo);
      const c = compareWithExact(y.data, exact, ...RANGE[dtype], `${a.opType} ${dtype}`);
      t.diagnostic(`${a.opType} ${dtype} vs float64: ${c.total} outputs, ${c.differing} differ from the rounded exact value, ${c.nearTies} within 1e-6 of a tie`);
    }
  }
  // the optional zero points default to 0
  const inputs = activationInputs(rng, 'uint8', 50, false);
  const y = runInteger('QLinearLeakyRelu', [inputs[0], inputs[1], undefined, inputs[3]], {}, DOMAIN);
  assert.deepEqual(Array.from(y.data), Array.from(inputs[0].data, (q) => expectedEntry(q, ACTIVATIONS[2].f, inputs[1].data[0], 0, inputs[3].data[0], 0, 0, 255)));
});

test('QLinearSigmoid / QLinearLeakyRelu agree with onnxruntime-node: within 1 LSB, identical on ≥ 99%', async (t: TestContext) => {
  const rng = new Rng(0xf4);
  for (const a of ACTIVATIONS.slice(0, 2)) {
    const counts: OrtComparison[] = [];
    for (const dtype of ['int8', 'uint8'] as const) {
      // every code once, then random ones
      const [lo, hi] = RANGE[dtype];
      const inputs = activationInputs(rng, dtype, 1000, a.opType === 'QLinearSigmoid');
      inputs[0] = make(dtype, [1000], Array.from({ length: 1000 }, (_, i) => (i <= hi - lo ? lo + i : rng.int(lo, hi))));
      const attributes: Record<string, number> = a.opType === 'QLinearLeakyRelu' ? { alpha: a.attributes.alpha.value as number } : {};
      counts.push(compareWithOrt(runInteger(a.opType, inputs, a.attributes, DOMAIN), await runInOrt(a.opType, DOMAIN, inputs, attributes, dtype), `${a.opType} ${dtype}`));
    }
    const { total, identical } = assertMostlyIdentical(counts, a.opType);
    t.diagnostic(`${a.opType} vs onnxruntime: ${identical} of ${total} identical`);
  }
});

test('QLinearSigmoid / QLinearLeakyRelu reject bad inputs with typed errors naming the node', () => {
  const rng = new Rng(0xf5);
  const inputs = activationInputs(rng, 'int8', 10, true);
  const withInput = (i: number, value: Tensor): Tensor[] => inputs.map((t, j) => (j === i ? value : t));
  assertNodeError(() => runInteger('QLinearSigmoid', withInput(2, make('uint8', [], [0])), {}, DOMAIN), ShapeError, /X_zero_point is uint8 but X is int8/);
  assertNodeError(() => runInteger('QLinearSigmoid', withInput(3, make('float32', [2], [0.1, 0.1])), {}, DOMAIN), ShapeError, /Y_scale has shape \[2\].*per tensor/);
  assertNodeError(() => runInteger('QLinearLeakyRelu', inputs.slice(0, 3), {}, DOMAIN), ShapeError, /expects 4 to 5 inputs, got 3/);
});
