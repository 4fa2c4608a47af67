import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RangeArgumentError, ShapeError } from '../../src/errors.ts';
import { absoluteError, maxAbsError, meanSquaredError, relativeError, SqnrAccumulator, sqnrDb, ulpDistance } from '../../src/numeric/error.ts';

test('absolute and relative error, with the exact = 0 convention', () => {
  assert.equal(absoluteError(5.0, 5.15), Math.abs(5.0 - 5.15));
  assert.equal(relativeError(9, 10), 0.1);
  assert.equal(relativeError(-9, -10), 0.1);
  assert.equal(relativeError(0, 0), 0);
  assert.equal(relativeError(1e-300, 0), Infinity);
  for (const bad of [NaN, Infinity, -Infinity]) {
    assert.throws(() => relativeError(bad, 1), (e) => e instanceof RangeArgumentError && e.message.includes(String(bad)) && /approx/.test(e.message));
    assert.throws(() => absoluteError(1, bad), (e) => e instanceof RangeArgumentError && /exact/.test(e.message));
  }
});

test('ulpDistance counts representable values, across zero and up to infinity', () => {
  assert.equal(ulpDistance(1, 1), 0);
  assert.equal(ulpDistance(1, 1 + Number.EPSILON), 1);
  assert.equal(ulpDistance(1 - Number.EPSILON / 2, 1), 1); // the spacing halves below 1
  assert.equal(ulpDistance(1, 2), 2 ** 52); // one binade
  assert.equal(ulpDistance(0, -0), 0);
  assert.equal(ulpDistance(-Number.MIN_VALUE, Number.MIN_VALUE), 2);
  assert.equal(ulpDistance(Number.MAX_VALUE, Infinity), 1);
  assert.equal(ulpDistance(2, 1), ulpDistance(1, 2));
  assert.equal(ulpDistance(1, Math.fround(1 + 2 ** -23), 'float32'), 1);
  assert.equal(ulpDistance(1, 2, 'float32'), 2 ** 23);
  assert.equal(ulpDistance(-1, 1, 'float32'), 2 * 127 * 2 ** 23); // 0x3F800000 steps on each side
  assert.equal(ulpDistance(0, 2 ** -149, 'float32'), 1);
  assert.throws(() => ulpDistance(NaN, 1), (e) => e instanceof RangeArgumentError && /NaN/.test(e.message));
  assert.throws(() => ulpDistance(0.1, 1, 'float32'), /0\.1/);
  assert.throws(() => ulpDistance(1, 1, 'float16' as 'float32'), /float16/);
});

test('ulpDistance agrees with stepping through neighbours (property)', () => {
  const f64 = new Float64Array(1);
  const u64 = new BigUint64Array(f64.buffer);
  fc.assert(
    fc.property(fc.double({ noNaN: true, min: -1e300, max: 1e300 }), fc.integer({ min: 0, max: 50 }), (x, k) => {
      // Step k times toward +∞ by incrementing / decrementing the bit pattern.
      f64[0] = x === 0 ? 0 : x;
      for (let i = 0; i < k; i++) {
        if (f64[0] === 0) f64[0] = Number.MIN_VALUE;
        else if (f64[0] > 0) u64[0] += 1n;
        else u64[0] -= 1n;
      }
      assert.equal(ulpDistance(x, f64[0]), k);
    }),
    { numRuns: 300 },
  );
});

test('MSE, max |error| and SQNR against closed forms', () => {
  const x = [1, -2, 3, -4];
  const y = [1.5, -2, 2, -4];
  assert.equal(meanSquaredError(x, y), (0.25 + 0 + 1 + 0) / 4);
  assert.equal(maxAbsError(x, y), 1);
  assert.equal(sqnrDb(x, y), 10 * Math.log10(30 / 1.25));
  assert.equal(sqnrDb(x, x), Infinity);
  assert.equal(sqnrDb([0, 0], [0, 1]), -Infinity);
  // Uniform quantization noise of step Δ on a full-scale ramp: SQNR ≈ 6.02·b + const; check 20·log10(2) per bit.
  const ramp = Array.from({ length: 4096 }, (_, i) => -1 + (2 * i + 1) / 4096);
  const quantize = (bits: number) => ramp.map((v) => Math.round(v * 2 ** (bits - 1)) / 2 ** (bits - 1));
  const perBit = sqnrDb(ramp, quantize(9)) - sqnrDb(ramp, quantize(8));
  assert.ok(Math.abs(perBit - 20 * Math.log10(2)) < 0.1, `${perBit} dB per bit`); // ≈ 6.02 dB, asymptotically
  assert.equal(sqnrDb([3, 4], [3, 4.5]), 20); // 25 / 0.25 = 100
  // tiny errors do not underflow into "no noise"
  assert.equal(sqnrDb([1e-200], [2e-200]), 0);
  assert.ok(Number.isFinite(sqnrDb([1], [1 + 1e-15])));
  assert.equal(meanSquaredError(new Float32Array([1, 2]), new Float64Array([1, 2])), 0);
});

test('array measures reject mismatched, empty and non-finite input', () => {
  for (const measure of [meanSquaredError, maxAbsError, sqnrDb]) {
    assert.throws(() => measure([1, 2], [1]), ShapeError);
    assert.throws(() => measure([], []), RangeArgumentError);
    assert.throws(() => measure([1, NaN], [1, 1]), (e) => e instanceof RangeArgumentError && /reference\[1\] is NaN/.test(e.message));
    assert.throws(() => measure([1, 1], [Infinity, 1]), (e) => e instanceof RangeArgumentError && /approx\[0\] is Infinity/.test(e.message));
  }
});

test('SqnrAccumulator over chunks equals 10·log10(Σx²/Σe²) of everything at once', () => {
  const reference = [1, -2, 3, 4, 0.5];
  const approx = [1.1, -2, 2.9, 4.2, 0.5];
  const acc = new SqnrAccumulator();
  acc.add(reference.slice(0, 2), approx.slice(0, 2));
  acc.add(reference.slice(2), approx.slice(2));
  // Σx² = 1 + 4 + 9 + 16 + 0.25 = 30.25; Σe² = 0.01 + 0 + 0.01 + 0.04 + 0 = 0.06
  assert.ok(Math.abs(acc.db - 10 * Math.log10(30.25 / 0.06)) < 1e-9);
  const exact = new SqnrAccumulator();
  exact.add([1, 2], [1, 2]);
  assert.equal(exact.db, Infinity);
});
