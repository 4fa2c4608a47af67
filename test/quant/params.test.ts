import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { qRange, paramsFromRange, paramsFromRanges, createParams, paramsForBias, fitWeightScalesToBias, MAX_BIAS_CODE, powerOfTwoScale, validateParams, MIN_SCALE } from '../../src/quant/params.ts';
import type { QuantScheme, QuantParams } from '../../src/quant/params.ts';
import { quantize, dequantize } from '../../src/quant/quantize.ts';
import { RangeArgumentError } from '../../src/errors.ts';

const f32 = Math.fround;
const argError = (pattern: RegExp) => (e: unknown) => e instanceof RangeArgumentError && pattern.test(e.message);

test('qRange: the table of docs eq. (4)', () => {
  assert.deepEqual(qRange(8, true, 'symmetric'), { qmin: -127, qmax: 127 });
  assert.deepEqual(qRange(8, true, 'symmetric-full'), { qmin: -128, qmax: 127 });
  assert.deepEqual(qRange(8, true, 'asymmetric'), { qmin: -128, qmax: 127 });
  assert.deepEqual(qRange(8, false, 'asymmetric'), { qmin: 0, qmax: 255 });
  assert.deepEqual(qRange(8, false, 'unsigned'), { qmin: 0, qmax: 255 });
  assert.deepEqual(qRange(4, true, 'symmetric'), { qmin: -7, qmax: 7 });
  assert.deepEqual(qRange(2, true, 'symmetric'), { qmin: -1, qmax: 1 });
  assert.deepEqual(qRange(2, false, 'unsigned'), { qmin: 0, qmax: 3 });
  assert.deepEqual(qRange(16, false, 'asymmetric'), { qmin: 0, qmax: 65535 });
  assert.deepEqual(qRange(32, true, 'symmetric-full'), { qmin: -2147483648, qmax: 2147483647 });
  assert.throws(() => qRange(8, false, 'symmetric'), argError(/signed/));
  assert.throws(() => qRange(8, true, 'unsigned'), argError(/unsigned/));
  assert.throws(() => qRange(8, true, 'log' as QuantScheme), argError(/"log"/));
  for (const bits of [0, 1, 17, 31, 33, 2.5, Number.NaN]) assert.throws(() => qRange(bits, true, 'asymmetric'), argError(new RegExp(`bits ${bits}`)));
  assert.throws(() => qRange(32, false, 'asymmetric'), argError(/32-bit/));
});

test('scales and zero points of eqs. (5)–(6) on worked ranges', () => {
  // asymmetric uint8 [−1, 3]: s = 4/255, z = 0 − round(−1 / s) = round(63.75) = 64
  const a = paramsFromRange(-1, 3, { bits: 8, scheme: 'asymmetric', signed: false });
  assert.equal(a.scale[0], f32(4 / 255));
  assert.equal(a.zeroPoint[0], 64);
  assert.deepEqual([a.qmin, a.qmax, a.bits, a.signed], [0, 255, 8, false]);
  // the same range in int8: z = −128 + 64 = −64
  assert.equal(paramsFromRange(-1, 3, { bits: 8, scheme: 'asymmetric' }).zeroPoint[0], -64);
  // asymmetric widens to contain 0: [2, 5] → [0, 5]
  const w = paramsFromRange(2, 5, { bits: 8, scheme: 'asymmetric', signed: false });
  assert.equal(w.scale[0], f32(5 / 255));
  assert.equal(w.zeroPoint[0], 0);
  const neg = paramsFromRange(-6, -2, { bits: 8, scheme: 'asymmetric', signed: false });
  assert.equal(neg.scale[0], f32(6 / 255));
  assert.equal(neg.zeroPoint[0], 255);
  // symmetric restricted: max|r| / 127; full: max|r| / 128 (the lecture); 4-bit: / 7
  assert.equal(paramsFromRange(-2, 1, { bits: 8, scheme: 'symmetric' }).scale[0], f32(2 / 127));
  assert.equal(paramsFromRange(-1, 2.2, { bits: 8, scheme: 'symmetric-full' }).scale[0], f32(2.2 / 128));
  assert.equal(paramsFromRange(-0.5, 0.7, { bits: 4, scheme: 'symmetric' }).scale[0], f32(0.7 / 7));
  // unsigned: max / (2^b − 1), negatives ignored (they saturate to 0)
  const u = paramsFromRange(-1, 6, { bits: 8, scheme: 'unsigned' });
  assert.deepEqual([u.scale[0], u.zeroPoint[0], u.signed, u.qmin, u.qmax], [f32(6 / 255), 0, false, 0, 255]);
  // 16 bits
  assert.equal(paramsFromRange(-1, 1, { bits: 16, scheme: 'symmetric' }).scale[0], f32(1 / 32767));
});

test('degenerate ranges still give a valid scale (eq. (8))', () => {
  for (const scheme of ['symmetric', 'symmetric-full', 'asymmetric', 'unsigned'] as const) {
    const p = paramsFromRange(0, 0, { bits: 8, scheme });
    assert.equal(p.scale[0], 1, scheme);
    assert.equal(p.zeroPoint[0], 0, scheme);
    validateParams(p);
  }
  assert.equal(paramsFromRange(-3, -1, { bits: 8, scheme: 'unsigned' }).scale[0], 1);
  // constant non-zero tensors are not degenerate
  assert.equal(paramsFromRange(5, 5, { bits: 8, scheme: 'asymmetric', signed: false }).scale[0], f32(5 / 255));
  assert.equal(paramsFromRange(-3, -3, { bits: 8, scheme: 'symmetric' }).scale[0], f32(3 / 127));
  // tiny ranges floor at the smallest normal float32
  assert.equal(paramsFromRange(0, 1e-40, { bits: 8, scheme: 'unsigned' }).scale[0], MIN_SCALE);
  assert.equal(paramsFromRange(-1e-300, 1e-300, { bits: 8, scheme: 'symmetric' }).scale[0], MIN_SCALE);
  assert.throws(() => paramsFromRange(-1e300, 1e300, { bits: 8, scheme: 'symmetric' }), argError(/overflows float32/));
});

test('asymmetric: zero is exact and the grid covers the range within s/2 (random ranges)', () => {
  fc.assert(
    fc.property(
      fc.double({ min: -1e4, max: 1e4, noNaN: true }),
      fc.double({ min: -1e4, max: 1e4, noNaN: true }),
      fc.integer({ min: 2, max: 16 }),
      fc.boolean(),
      (x, y, bits, signed) => {
        const [lo, hi] = x <= y ? [x, y] : [y, x];
        const p = paramsFromRange(lo, hi, { bits, scheme: 'asymmetric', signed });
        const s = p.scale[0];
        const z = p.zeroPoint[0];
        assert.ok(z >= p.qmin && z <= p.qmax);
        assert.equal(dequantize(quantize(Float32Array.of(0), [1], p), [1], p)[0], 0);
        if (hi - lo > 0 || lo !== 0 || hi !== 0) {
          const tol = s / 2 + 1e-6 * Math.max(Math.abs(lo), Math.abs(hi));
          assert.ok(s * (p.qmin - z) <= Math.min(lo, 0) + tol, `low end ${s * (p.qmin - z)} vs ${lo}`);
          assert.ok(s * (p.qmax - z) >= Math.max(hi, 0) - tol, `high end ${s * (p.qmax - z)} vs ${hi}`);
        }
      },
    ),
    { numRuns: 500 },
  );
});

test('power-of-two scales: the smallest 2^k ≥ s', () => {
  assert.equal(powerOfTwoScale(0.25), 0.25);
  assert.equal(powerOfTwoScale(f32(0.25 * (1 + 2 ** -23))), 0.5);
  assert.equal(powerOfTwoScale(f32(1 / 127)), 2 ** -6);
  assert.equal(powerOfTwoScale(MIN_SCALE), MIN_SCALE);
  assert.equal(powerOfTwoScale(3), 4);
  const p = paramsFromRange(-1, 1, { bits: 8, scheme: 'symmetric', powerOfTwo: true });
  assert.equal(p.scale[0], 2 ** -6);
  // asymmetric: the zero point follows the new scale: [−1, 3] uint8 → 4/255 = 0.0157 > 2^−6,
  // so s = 2^−5 and z = round(1 / 2^−5) = 32
  const a = paramsFromRange(-1, 3, { bits: 8, scheme: 'asymmetric', signed: false, powerOfTwo: true });
  assert.deepEqual([a.scale[0], a.zeroPoint[0]], [2 ** -5, 32]);
  fc.assert(
    fc.property(fc.double({ min: 1e-30, max: 1e30, noNaN: true }), (s) => {
      const pot = powerOfTwoScale(s);
      assert.ok(pot >= s && pot / 2 < s);
      assert.equal(Math.log2(pot), Math.round(Math.log2(pot)));
    }),
    { numRuns: 300 },
  );
  assert.throws(() => powerOfTwoScale(0), argError(/scale 0/));
  assert.throws(() => powerOfTwoScale(3e38 * 1.5), RangeArgumentError);
});

test('per-channel / per-group from arrays of ranges, each entry as paramsFromRange alone', () => {
  const mins = [-1, 0, -5, 2];
  const maxs = [3, 0, -1, 4];
  const p = paramsFromRanges(mins, maxs, { bits: 8, scheme: 'asymmetric', signed: false, axis: 1 });
  assert.equal(p.axis, 1);
  assert.equal(p.groupSize, undefined);
  for (let i = 0; i < mins.length; i++) {
    const one = paramsFromRange(mins[i], maxs[i], { bits: 8, scheme: 'asymmetric', signed: false });
    assert.equal(p.scale[i], one.scale[0]);
    assert.equal(p.zeroPoint[i], one.zeroPoint[0]);
  }
  const g = paramsFromRanges([-1], [1], { bits: 4, scheme: 'symmetric', axis: 0, groupSize: 32 });
  assert.equal(g.groupSize, 32);
  assert.throws(() => paramsFromRanges([0, 1], [1], { bits: 8, scheme: 'symmetric', axis: 0 }), argError(/2 minima but 1 maxima/));
  assert.throws(() => paramsFromRanges([0, 2], [1, 1], { bits: 8, scheme: 'symmetric', axis: 0 }), argError(/index 1.*min 2 > max 1/));
  assert.throws(() => paramsFromRanges([0], [1], { bits: 8, scheme: 'symmetric', axis: -1 }), argError(/axis -1/));
  assert.throws(() => paramsFromRanges([0], [1], { bits: 8, scheme: 'symmetric', axis: 0, groupSize: 0 }), argError(/groupSize 0/));
});

test('bad ranges name the offending value', () => {
  const o = { bits: 8, scheme: 'asymmetric' } as const;
  assert.throws(() => paramsFromRange(Number.NaN, 1, o), argError(/min NaN/));
  assert.throws(() => paramsFromRange(0, Number.POSITIVE_INFINITY, o), argError(/max Infinity/));
  assert.throws(() => paramsFromRange(Number.NEGATIVE_INFINITY, 0, o), argError(/min -Infinity/));
  assert.throws(() => paramsFromRange(2, 1, o), argError(/min 2 > max 1/));
  assert.throws(() => paramsFromRange(0, 1, { bits: 1, scheme: 'asymmetric' }), argError(/bits 1/));
  assert.throws(() => paramsFromRange(0, 1, { bits: 8, scheme: 'symmetric', signed: false }), argError(/signed/));
});

test('paramsForBias: int32, scale s_in·s_w in float32, zero point 0 (eq. (13))', () => {
  const p = paramsForBias(0.02, [0.001, 0.5]);
  assert.deepEqual([...p.scale], [f32(f32(0.02) * f32(0.001)), f32(f32(0.02) * f32(0.5))]);
  assert.deepEqual([...p.zeroPoint], [0, 0]);
  assert.deepEqual([p.bits, p.signed, p.qmin, p.qmax, p.axis], [32, true, -(2 ** 31), 2 ** 31 - 1, 0]);
  const t = paramsForBias(f32(2 / 127), f32(1 / 127));
  assert.equal(t.axis, undefined);
  assert.equal(t.scale[0], f32(f32(2 / 127) * f32(1 / 127)));
  // a bias of 0.1 with that scale: round(0.1 / s)
  const q = quantize(Float32Array.of(0.1, -1e9), [2], paramsForBias(0.5, 0.5));
  assert.ok(q instanceof Int32Array);
  assert.deepEqual([...q], [0, -(2 ** 31)]); // 0.4 → 0; −4e9 saturates to int32 min
  assert.throws(() => paramsForBias(0, 1), argError(/input scale 0/));
  assert.throws(() => paramsForBias(1, [1, Number.NaN]), argError(/weight scale at index 1 NaN/));
  assert.throws(() => paramsForBias(1, []), argError(/no weight scales/));
  assert.throws(() => paramsForBias(1e-30, 1e-30), argError(/not a positive finite float32/));
});

test('createParams rounds scales to float32 and validates', () => {
  const p = createParams({ scale: 0.1, zeroPoint: 3, bits: 8, signed: false });
  assert.equal(p.scale[0], f32(0.1));
  assert.deepEqual([p.qmin, p.qmax, p.zeroPoint[0]], [0, 255, 3]);
  const s = createParams({ scale: [1, 2], bits: 4, signed: true, scheme: 'symmetric', axis: 0 });
  assert.deepEqual([s.qmin, s.qmax, [...s.zeroPoint]], [-7, 7, [0, 0]]);
  assert.throws(() => createParams({ scale: 1, zeroPoint: 0.5, bits: 8, signed: true }), argError(/zero point 0.5/));
  assert.throws(() => createParams({ scale: 1, zeroPoint: 300, bits: 8, signed: false }), argError(/zero point 300/));
  assert.throws(() => createParams({ scale: [1, 2], bits: 8, signed: true }), argError(/one scale, got 2/));
});

test('validateParams rejects each kind of bad parameter, naming it', () => {
  const good: QuantParams = { scale: Float32Array.of(0.5, 0.25), zeroPoint: Int32Array.of(0, 1), bits: 8, signed: true, qmin: -128, qmax: 127, axis: 1 };
  validateParams(good, [3, 2]);
  const bad = (patch: Partial<QuantParams>, pattern: RegExp, shape?: number[]) =>
    assert.throws(() => validateParams({ ...good, ...patch } as QuantParams, shape), argError(pattern));
  bad({ scale: Float32Array.of(0.5, 0) }, /scale 0 at index 1/);
  bad({ scale: Float32Array.of(-1, 1) }, /scale -1 at index 0/);
  bad({ scale: Float32Array.of(0.5, Number.NaN) }, /scale NaN at index 1/);
  bad({ scale: Float32Array.of(Number.POSITIVE_INFINITY, 1) }, /scale Infinity at index 0/);
  bad({ zeroPoint: Int32Array.of(0, 200) }, /zero point 200 at index 1/);
  bad({ zeroPoint: Int32Array.of(0) }, /scale length 2 differs from zero point length 1/);
  bad({ bits: 17 }, /bits 17/);
  bad({ qmin: -129 }, /qmin, qmax/);
  bad({ qmin: 5, qmax: 5 }, /qmin, qmax/);
  bad({ axis: 2 }, /axis 2 is out of range for rank 2/, [3, 2]);
  bad({ axis: -1 }, /axis -1/);
  bad({ groupSize: 0 }, /groupSize 0/);
  bad({}, /scale length 2 does not match tensor shape \[3, 3\] per channel on axis 1 \(expected 3\)/, [3, 3]);
  bad({ axis: undefined }, /one scale, got 2/);
  bad({ axis: undefined }, /scale length 2 does not match tensor shape \[4\] per tensor \(expected 1\)/, [4]);
  // blocked: shape [2, 5] along axis 1 in groups of 2 → scale shape [2, 3]
  const blocked: QuantParams = { ...good, scale: new Float32Array(6).fill(1), zeroPoint: new Int32Array(6), groupSize: 2 };
  validateParams(blocked, [2, 5]);
  assert.throws(() => validateParams(blocked, [2, 4]), argError(/per group of 2 on axis 1 \(expected 4\)/));
});

test('fitWeightScalesToBias: a channel whose int32 bias code would pass 2^30 gets the scale |b|/(s_in·2^30), others are untouched (eq. (13a))', () => {
  const sIn = 0.02;
  const weight = createParams({ scale: [0.01, 1e-9, 2 ** -40], zeroPoint: [0, 0, 0], bits: 8, signed: true, axis: 0 });
  const bias = [0.5, 0.5, -0.25];
  const fitted = fitWeightScalesToBias(weight, sIn, bias);
  assert.equal(fitted.scale[0], weight.scale[0]);
  // Channel 1: 0.5 / (0.02 · 1e-9) = 2.5e10 codes, far past int32; raised to just above 0.5 / (0.02 · 2^30).
  const need = 0.5 / (Math.fround(sIn) * 2 ** 30);
  assert.ok(fitted.scale[1] >= need && fitted.scale[1] < need * 1.0001, String(fitted.scale[1]));
  // Channel 2 held a power of two: it stays one, the smallest ≥ what the bias needs.
  const need2 = 0.25 / (Math.fround(sIn) * 2 ** 30);
  assert.equal(fitted.scale[2], 2 ** Math.ceil(Math.log2(need2)));
  // Every bias code now fits the bound, computed with the float32 bias scale of eq. (13).
  const biasParams = paramsForBias(sIn, fitted.scale);
  bias.forEach((b, c) => assert.ok(Math.abs(Math.round(b / biasParams.scale[c])) <= MAX_BIAS_CODE, `channel ${c}`));
  // Nothing to change: the same object back; one per-tensor scale takes the largest need.
  assert.equal(fitWeightScalesToBias(weight, sIn, [0, 0, 0]), weight);
  const tensorWide = fitWeightScalesToBias(createParams({ scale: 1e-9, zeroPoint: 0, bits: 8, signed: true }), sIn, bias);
  assert.equal(tensorWide.scale.length, 1);
  assert.ok(tensorWide.scale[0] >= need && tensorWide.scale[0] < need * 1.0001);
});
