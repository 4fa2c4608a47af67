import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import ort from 'onnxruntime-node';
import { roundHalfToEven, seededRandom } from '../../src/numeric/rounding.ts';
import { quantize, dequantize, fakeQuantize, quantizeValue, dequantizeValue, quantizedArrayFor } from '../../src/quant/quantize.ts';
import { createParams, paramsFromRange } from '../../src/quant/params.ts';
import type { QuantParams, QuantScheme } from '../../src/quant/params.ts';
import { paramsForTensor } from '../../src/quant/granularity.ts';
import { normalizeAxis } from '../../src/quant/layout.ts';
import { unpackSubByte } from '../../src/quant/packing.ts';
import { RangeArgumentError } from '../../src/errors.ts';
import { hasFixtureTensor, readFixtureTensor, floatValues, intValues, packedBytes, elementCount } from './onnx-fixture.ts';
import type { FixtureTensor } from './onnx-fixture.ts';

const argError = (pattern: RegExp) => (e: unknown) => e instanceof RangeArgumentError && pattern.test(e.message);

// ---- ONNX conformance (vendored onnx/backend/test/data/node) -------------------------------

interface Case { test: string; bits: number; signed: boolean; axis?: number; groupSize?: number }

// Attributes (axis, block_size, output type) read from each model.onnx by hand.
const QUANTIZE: Case[] = [
  { test: 'test_quantizelinear', bits: 8, signed: false },
  { test: 'test_quantizelinear_axis', bits: 8, signed: false, axis: 1 },
  { test: 'test_quantizelinear_blocked_asymmetric', bits: 8, signed: false, axis: 1, groupSize: 2 },
  { test: 'test_quantizelinear_blocked_symmetric', bits: 16, signed: true, axis: 1, groupSize: 2 },
  { test: 'test_quantizelinear_int16', bits: 16, signed: true },
  { test: 'test_quantizelinear_uint16', bits: 16, signed: false },
  { test: 'test_quantizelinear_int4', bits: 4, signed: true, axis: 0 },
  { test: 'test_quantizelinear_uint4', bits: 4, signed: false, axis: 0 },
  { test: 'test_quantizelinear_int2', bits: 2, signed: true, axis: 0 },
  { test: 'test_quantizelinear_uint2', bits: 2, signed: false, axis: 0 },
];

const DEQUANTIZE: Case[] = [
  { test: 'test_dequantizelinear', bits: 8, signed: false },
  { test: 'test_dequantizelinear_axis', bits: 8, signed: false, axis: 1 },
  { test: 'test_dequantizelinear_blocked', bits: 8, signed: false, axis: 1, groupSize: 2 },
  { test: 'test_dequantizelinear_int16', bits: 16, signed: true },
  { test: 'test_dequantizelinear_uint16', bits: 16, signed: false },
  // scalar scale with a [1] zero point: per tensor
  { test: 'test_dequantizelinear_int4', bits: 4, signed: true },
  { test: 'test_dequantizelinear_uint4', bits: 4, signed: false },
  { test: 'test_dequantizelinear_int2', bits: 2, signed: true },
  { test: 'test_dequantizelinear_uint2', bits: 2, signed: false },
];

function integers(t: FixtureTensor, c: Case): number[] {
  return c.bits < 8 ? [...unpackSubByte(packedBytes(t), elementCount(t), c.bits as 2 | 4, c.signed)] : intValues(t);
}

function fixtureParams(c: Case, scaleFile: string, zeroFile: string): QuantParams {
  const scale = floatValues(readFixtureTensor(c.test, scaleFile));
  // no zero-point input (test_quantizelinear_blocked_symmetric): 0
  const zeroPoint = hasFixtureTensor(c.test, zeroFile) ? integers(readFixtureTensor(c.test, zeroFile), c) : new Array<number>(scale.length).fill(0);
  return createParams({ scale, zeroPoint, bits: c.bits, signed: c.signed, axis: c.axis, groupSize: c.groupSize });
}

for (const c of QUANTIZE) {
  test(`ONNX conformance: ${c.test}`, () => {
    const x = readFixtureTensor(c.test, 'input_0');
    const y = readFixtureTensor(c.test, 'output_0');
    const q = quantize(floatValues(x), x.dims, fixtureParams(c, 'input_1', 'input_2'));
    assert.deepEqual([...q], integers(y, c));
  });
}

for (const c of DEQUANTIZE) {
  test(`ONNX conformance: ${c.test}`, () => {
    const x = readFixtureTensor(c.test, 'input_0');
    const y = readFixtureTensor(c.test, 'output_0');
    const r = dequantize(integers(x, c), x.dims, fixtureParams(c, 'input_1', 'input_2'));
    assert.deepEqual([...r], [...floatValues(y)]);
  });
}

// ---- semantics -----------------------------------------------------------------------------

test('ties round half to even on the float32 quotient, then add z and saturate', () => {
  const p = createParams({ scale: 1, zeroPoint: 0, bits: 8, signed: true });
  assert.deepEqual([...quantize(Float32Array.of(0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 127.5, -128.5, 300), [9], p)], [0, 2, 2, 0, -2, -2, 127, -128, 127]);
  // z shifts after rounding: 2.5 → 2, + 1
  const pz = createParams({ scale: 0.5, zeroPoint: 1, bits: 8, signed: false });
  assert.deepEqual([...quantize(Float32Array.of(1.25, -3), [2], pz)], [3, 0]);
  // the restricted range saturates to −127, not −128
  const sym = paramsFromRange(-1, 1, { bits: 8, scheme: 'symmetric' });
  assert.deepEqual([...quantize(Float32Array.of(-5, 5), [2], sym)], [-127, 127]);
  assert.equal(quantizeValue(2.5, 1, 0, -128, 127), 2);
  assert.equal(dequantizeValue(-3, 0.5, 1), -2);
});

test('division, not multiplication by a reciprocal: x / s rounded in float32', () => {
  // x = fl32(0.15), s = fl32(0.012): the float32 quotient is exactly 12.5 → 12 (even), while
  // x · fl32(1 / s) = 12.500001 → 13. ONNX and onnxruntime compute the quotient.
  const x = Math.fround(0.15);
  const s = Math.fround(0.012);
  assert.equal(Math.fround(x / s), 12.5);
  assert.ok(Math.fround(x * Math.fround(1 / s)) > 12.5);
  const p = createParams({ scale: s, bits: 8, signed: true });
  assert.equal(quantize(Float32Array.of(x), [1], p)[0], 12);
});

test('onnxruntime agrees at the ties where division and reciprocal multiplication differ', async () => {
  const session = await ort.InferenceSession.create(new URL('../fixtures/onnx-node/test_quantizelinear/model.onnx', import.meta.url).pathname);
  const random = seededRandom(2024);
  // Draws near ties of x / s. Those where division and reciprocal multiplication round differently
  // are common enough (roughly 1 in 50) that 20 000 draws find plenty; every 50th draw joins too.
  const xs: number[] = [];
  const scales: number[] = [];
  let disagreeWithReciprocal = 0;
  for (let draw = 0; draw < 20000 && xs.length < 48; draw++) {
    const s = Math.fround(0.01 + random());
    const x = Math.fround((Math.floor(random() * 200) - 100 + 0.5) * s);
    const differs = roundHalfToEven(Math.fround(x / s)) !== roundHalfToEven(Math.fround(x * Math.fround(1 / s)));
    if (differs) disagreeWithReciprocal++;
    if (differs || draw % 50 === 0) {
      xs.push(x);
      scales.push(s);
    }
  }
  for (let i = 0; i < xs.length; i++) {
    const p = createParams({ scale: scales[i], zeroPoint: 128, bits: 8, signed: false });
    const ours = quantize(Float32Array.of(xs[i]), [1], p)[0];
    const feeds = {
      x: new ort.Tensor('float32', new Float32Array(6).fill(xs[i]), [6]),
      y_scale: new ort.Tensor('float32', Float32Array.of(scales[i]), []),
      y_zero_point: new ort.Tensor('uint8', Uint8Array.of(128), []),
    };
    const y = (await session.run(feeds)).y.data as Uint8Array;
    assert.equal(ours, y[0], `x=${xs[i]} s=${scales[i]}`);
  }
  assert.ok(disagreeWithReciprocal >= 20, `only ${disagreeWithReciprocal} discriminating cases`);
});

test('containers by bits and signedness (sub-byte unpacked)', () => {
  const kinds: [number, boolean, string][] = [[2, true, 'Int8Array'], [4, false, 'Uint8Array'], [8, true, 'Int8Array'], [12, false, 'Uint16Array'], [16, true, 'Int16Array'], [32, true, 'Int32Array']];
  for (const [bits, signed, name] of kinds) assert.equal(quantizedArrayFor(3, { bits, signed }).constructor.name, name);
  assert.throws(() => quantizedArrayFor(1, { bits: 32, signed: false }), RangeArgumentError);
  const p = paramsFromRange(-1, 1, { bits: 12, scheme: 'asymmetric', signed: false });
  assert.ok(quantize(Float32Array.of(0.3), [1], p) instanceof Uint16Array);
});

test('dequantize of int32 rounds q − z to float32 first (as onnxruntime)', () => {
  const p = createParams({ scale: 1, bits: 32, signed: true, scheme: 'symmetric-full' });
  // 2^24 + 1 is not a float32: it becomes 2^24 before the multiply
  assert.equal(dequantize(Int32Array.of(2 ** 24 + 1), [1], p)[0], 2 ** 24);
});

test('other rounding modes for experiments; stochastic is seeded and unbiased', () => {
  const p = createParams({ scale: 1, bits: 8, signed: true });
  const x = Float32Array.of(0.5, 1.5, -0.5, 2.7, -2.7);
  assert.deepEqual([...quantize(x, [5], p, { rounding: 'halfAwayFromZero' })], [1, 2, -1, 3, -3]);
  assert.deepEqual([...quantize(x, [5], p, { rounding: 'towardZero' })], [0, 1, 0, 2, -2]);
  assert.deepEqual([...quantize(x, [5], p, { rounding: 'floor' })], [0, 1, -1, 2, -3]);
  const many = new Float32Array(4000).fill(0.3);
  const a = quantize(many, [4000], p, { rounding: 'stochastic', seed: 7 });
  const b = quantize(many, [4000], p, { rounding: 'stochastic', seed: 7 });
  assert.deepEqual(a, b);
  const mean = Array.from(a).reduce((sum, v) => sum + v, 0) / a.length;
  assert.ok(Math.abs(mean - 0.3) < 0.03, `mean ${mean}`); // ±4σ for p = 0.3, n = 4000
  assert.ok(a.every((v) => v === 0 || v === 1));
});

// ---- properties over schemes × bits × granularities -----------------------------------------

const schemeArb = fc.constantFrom<QuantScheme>('symmetric', 'symmetric-full', 'asymmetric', 'unsigned');
interface PropCase {
  shape: number[];
  axisSeed: number;
  groupSize: number;
  granularity: 'tensor' | 'channel' | 'group';
  scheme: QuantScheme;
  bits: number;
  signedAsym: boolean;
  seed: number;
}

const caseArb: fc.Arbitrary<PropCase> = fc.record({
  shape: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }),
  axisSeed: fc.nat(),
  groupSize: fc.integer({ min: 1, max: 5 }),
  granularity: fc.constantFrom('tensor', 'channel', 'group') as fc.Arbitrary<'tensor' | 'channel' | 'group'>,
  scheme: schemeArb,
  bits: fc.integer({ min: 2, max: 16 }),
  signedAsym: fc.boolean(),
  seed: fc.integer(),
});

/** Calibration data, params from it, and probe values (inside and outside the range). */
function build(c: PropCase) {
  const size = c.shape.reduce((a, b) => a * b, 1);
  let state = c.seed >>> 0;
  const next = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const data = new Float32Array(size);
  for (let i = 0; i < size; i++) data[i] = Math.fround((next() - 0.3) * 8 * (1 + (i % 4)));
  const rank = c.shape.length;
  const axis = (c.axisSeed % (2 * rank)) - rank;
  const signed = c.scheme === 'asymmetric' ? c.signedAsym : c.scheme !== 'unsigned';
  const params = paramsForTensor(data, c.shape, { granularity: c.granularity, axis, groupSize: c.groupSize, bits: c.bits, scheme: c.scheme, signed });
  const probe = new Float32Array(size);
  for (let i = 0; i < size; i++) probe[i] = Math.fround(data[i] * (next() * 2.5 - 0.5));
  return { data, params, probe, axis: normalizeAxis(axis, rank, 'test') };
}

/** Scale index of a flat index by unravelling (independent of the library's layout code). */
function scaleIndex(flat: number, shape: number[], p: QuantParams): number {
  if (p.axis === undefined) return 0;
  const idx: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = flat % shape[d];
    flat = Math.floor(flat / shape[d]);
  }
  if (p.groupSize === undefined) return idx[p.axis];
  const blockShape = shape.slice();
  blockShape[p.axis] = Math.ceil(shape[p.axis] / p.groupSize);
  idx[p.axis] = Math.floor(idx[p.axis] / p.groupSize);
  return idx.reduce((acc, v, d) => acc * blockShape[d] + v, 0);
}

test('dequant(quant(x)) is within s/2 inside the representable range and saturates outside', () => {
  fc.assert(
    fc.property(caseArb, (c) => {
      const { params, probe } = build(c);
      const fq = fakeQuantize(probe, c.shape, params);
      for (let i = 0; i < probe.length; i++) {
        const j = scaleIndex(i, c.shape, params);
        const s = params.scale[j];
        const z = params.zeroPoint[j];
        const lo = s * (params.qmin - z);
        const hi = s * (params.qmax - z);
        const x = probe[i];
        if (x >= lo && x <= hi) {
          const tol = s / 2 + 2 ** -22 * (Math.abs(x) + s);
          assert.ok(Math.abs(fq[i] - x) <= tol, `x=${x} → ${fq[i]} (s=${s})`);
        } else if (x > hi) {
          assert.equal(fq[i], Math.fround(hi));
        } else {
          assert.equal(fq[i], Math.fround(lo));
        }
      }
    }),
    { numRuns: 400 },
  );
});

test('zero is exact for every scheme and granularity', () => {
  fc.assert(
    fc.property(caseArb, (c) => {
      const { params } = build(c);
      const zeros = new Float32Array(c.shape.reduce((a, b) => a * b, 1));
      const q = quantize(zeros, c.shape, params);
      for (let i = 0; i < q.length; i++) assert.equal(q[i], params.zeroPoint[scaleIndex(i, c.shape, params)]);
      assert.ok(fakeQuantize(zeros, c.shape, params).every((v) => v === 0));
    }),
    { numRuns: 300 },
  );
});

test('quantization is monotonic non-decreasing in x (elements sharing a scale)', () => {
  fc.assert(
    fc.property(caseArb, (c) => {
      const { params, probe, data } = build(c);
      // two tensors quantized with the same params: compare every pair of elements that share a scale
      const qp = quantize(probe, c.shape, params);
      const qd = quantize(data, c.shape, params);
      const xs = [...probe, ...data];
      const qs = [...qp, ...qd];
      const js = xs.map((_, i) => scaleIndex(i % probe.length, c.shape, params));
      for (let i = 0; i < xs.length; i++) {
        for (let k = 0; k < xs.length; k++) {
          if (js[i] === js[k] && xs[i] < xs[k]) assert.ok(qs[i] <= qs[k], `${xs[i]} → ${qs[i]} > ${xs[k]} → ${qs[k]}`);
        }
      }
    }),
    { numRuns: 300 },
  );
  fc.assert(
    fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), fc.float({ noNaN: true, noDefaultInfinity: true }), schemeArb, fc.integer({ min: 2, max: 16 }), fc.array(fc.float({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 2, maxLength: 50 }), (a, b, scheme, bits, xs) => {
      const p = paramsFromRange(Math.min(a, b, 0) / 2, Math.max(a, b, 0) / 2, { bits, scheme });
      const sorted = Float32Array.from(xs).sort();
      const q = quantize(sorted, [sorted.length], p);
      for (let i = 1; i < q.length; i++) assert.ok(q[i - 1] <= q[i], `${sorted[i - 1]} → ${q[i - 1]} > ${sorted[i]} → ${q[i]}`);
    }),
    { numRuns: 300 },
  );
});

// ---- bad input ------------------------------------------------------------------------------

test('bad input throws RangeArgumentError naming the value', () => {
  const p = createParams({ scale: 0.5, bits: 8, signed: true });
  assert.throws(() => quantize(Float32Array.of(1, Number.NaN), [2], p), argError(/element 1 is NaN/));
  assert.throws(() => quantize(Float32Array.of(Number.POSITIVE_INFINITY), [1], p), argError(/element 0 is Infinity/));
  assert.throws(() => quantize(Float32Array.of(1, Number.NEGATIVE_INFINITY), [2], p), argError(/element 1 is -Infinity/));
  assert.throws(() => quantizeValue(Number.NaN, 1, 0, -128, 127), argError(/value NaN/));
  assert.throws(() => quantize(Float32Array.of(1, 2), [3], p), argError(/2 elements but shape \[3\] has 3/));
  assert.throws(() => dequantize(Int8Array.of(1), [2], p), argError(/1 elements but shape \[2\] has 2/));
  const perChannel = createParams({ scale: [1, 2, 3], bits: 8, signed: true, axis: 1 });
  assert.throws(() => quantize(new Float32Array(4), [2, 2], perChannel), argError(/scale length 3 does not match tensor shape \[2, 2\]/));
  assert.throws(() => quantize(new Float32Array(6), [2, 3], { ...perChannel, axis: 2 }), argError(/axis 2 is out of range/));
  assert.throws(() => quantize(new Float32Array(1), [1], { ...p, scale: Float32Array.of(0) }), argError(/scale 0 at index 0/));
  assert.throws(() => quantize(new Float32Array(1), [1], { ...p, zeroPoint: Int32Array.of(-129) }), argError(/zero point -129/));
  assert.throws(() => quantize(new Float32Array(1), [1], { ...p, bits: 40 }), argError(/bits 40/));
  assert.throws(() => quantize(new Float32Array(1), [1], p, { rounding: 'up' as 'floor' }), argError(/"up"/));
});
