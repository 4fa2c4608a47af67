import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  saturatingRoundingDoublingHighMul,
  roundingDivideByPOT,
  multiplyByQuantizedMultiplier,
  quantizeMultiplier,
} from '../../src/numeric/fixedpoint.ts';
import { RangeArgumentError } from '../../src/errors.ts';

const MIN = -(2 ** 31);
const MAX = 2 ** 31 - 1;
const EXTREMES = [MIN, MIN + 1, -(2 ** 30), -65537, -65536, -1, 0, 1, 65535, 65536, 2 ** 30, MAX - 1, MAX];
const int32 = fc.oneof(fc.constantFrom(...EXTREMES), fc.integer({ min: MIN, max: MAX }));

// BigInt references, written from the gemmlowp definitions (not from the code under test).
function srdhmRef(a: number, b: number): number {
  if (a === MIN && b === MIN) return MAX;
  const ab = BigInt(a) * BigInt(b);
  const nudge = ab >= 0n ? 1n << 30n : 1n - (1n << 30n);
  return Number((ab + nudge) / (1n << 31n)); // BigInt division truncates toward zero, as C
}

function rdbpotRef(x: number, exponent: number): number {
  // nearest integer to x / 2^e, ties away from zero: sign · floor((|x| + 2^(e−1)) / 2^e)
  if (exponent === 0) return x;
  const magnitude = (BigInt(Math.abs(x)) + (1n << BigInt(exponent - 1))) >> BigInt(exponent);
  return Number(x < 0 ? -magnitude : magnitude);
}

function mbqmRef(x: number, multiplier: number, shift: number): number {
  const left = Math.max(shift, 0);
  const shifted = Number(BigInt.asIntN(32, BigInt(x) << BigInt(left)));
  return rdbpotRef(srdhmRef(shifted, multiplier), Math.max(-shift, 0));
}

test('SRDHM equals the BigInt reference, extremes included', () => {
  for (const a of EXTREMES) for (const b of EXTREMES) assert.equal(saturatingRoundingDoublingHighMul(a, b), srdhmRef(a, b), `a=${a} b=${b}`);
  fc.assert(
    fc.property(int32, int32, (a, b) => {
      assert.equal(saturatingRoundingDoublingHighMul(a, b), srdhmRef(a, b));
    }),
    { numRuns: 1000 },
  );
});

test('SRDHM on the small-product path (|ab| < 2^52) equals the BigInt reference', () => {
  const small = fc.integer({ min: -(2 ** 21), max: 2 ** 21 });
  fc.assert(
    fc.property(small, int32, (a, b) => {
      assert.equal(saturatingRoundingDoublingHighMul(a, b), srdhmRef(a, b));
      assert.equal(saturatingRoundingDoublingHighMul(b, a), srdhmRef(b, a));
    }),
    { numRuns: 1000 },
  );
  // around the 2^52 boundary: 2^21·2^31 − … and products just above it
  for (const [a, b] of [[2 ** 21, MIN], [-(2 ** 21), MIN], [2 ** 21 + 1, MAX], [2 ** 21 - 1, MAX], [-(2 ** 21) - 1, MAX], [2 ** 26, 2 ** 26], [2 ** 26 + 1, -(2 ** 26)]]) {
    assert.equal(saturatingRoundingDoublingHighMul(a, b), srdhmRef(a, b), `a=${a} b=${b}`);
  }
});

test('SRDHM is round(ab / 2^31) with ties toward +∞ (floor(ab/2^31 + 1/2))', () => {
  const floorDiv = (n: bigint, d: bigint) => (n >= 0n ? n / d : -((-n + d - 1n) / d));
  fc.assert(
    fc.property(int32, int32, (a, b) => {
      fc.pre(!(a === MIN && b === MIN));
      const expected = Number(floorDiv(2n * BigInt(a) * BigInt(b) + (1n << 31n), 1n << 32n));
      assert.equal(saturatingRoundingDoublingHighMul(a, b), expected);
    }),
    { numRuns: 500 },
  );
  // hand-worked ties: ab / 2^31 = ±0.5, ±1.5
  assert.equal(saturatingRoundingDoublingHighMul(2 ** 15, 2 ** 15), 1); // 0.5 → 1
  assert.equal(saturatingRoundingDoublingHighMul(-(2 ** 15), 2 ** 15), 0); // −0.5 → 0
  assert.equal(saturatingRoundingDoublingHighMul(3 * 2 ** 15, 2 ** 15), 2); // 1.5 → 2
  assert.equal(saturatingRoundingDoublingHighMul(-3 * 2 ** 15, 2 ** 15), -1); // −1.5 → −1
  assert.equal(saturatingRoundingDoublingHighMul(MIN, MIN), MAX); // the one overflow
  assert.equal(saturatingRoundingDoublingHighMul(MIN, MAX), MIN + 1); // −(2^31 − 1) exactly
  assert.equal(saturatingRoundingDoublingHighMul(MAX, MAX), MAX - 1); // (2^31−1)²/2^31 = 2^31 − 2 + 2^−31
});

test('roundingDivideByPOT equals the BigInt reference for every exponent 0–31', () => {
  for (let e = 0; e <= 31; e++) {
    for (const x of EXTREMES) assert.equal(roundingDivideByPOT(x, e), rdbpotRef(x, e), `x=${x} e=${e}`);
    // exact ties ±(k + ½)·2^e
    if (e > 0 && e < 30) {
      const half = 2 ** (e - 1);
      assert.equal(roundingDivideByPOT(half, e), 1);
      assert.equal(roundingDivideByPOT(-half, e), -1);
      assert.equal(roundingDivideByPOT(3 * half, e), 2);
      assert.equal(roundingDivideByPOT(-3 * half, e), -2);
    }
  }
  fc.assert(
    fc.property(int32, fc.integer({ min: 0, max: 31 }), (x, e) => {
      assert.equal(roundingDivideByPOT(x, e), rdbpotRef(x, e));
    }),
    { numRuns: 1000 },
  );
});

test('multiplyByQuantizedMultiplier equals the BigInt composition, every shift −31…30', () => {
  const multiplier = fc.oneof(fc.constantFrom(2 ** 30, MAX, 0), fc.integer({ min: 2 ** 30, max: MAX }));
  for (let shift = -31; shift <= 30; shift++) {
    for (const x of EXTREMES) {
      const fits = shift <= 0 || Math.abs(x * 2 ** shift) <= MAX;
      if (fits) assert.equal(multiplyByQuantizedMultiplier(x, MAX, shift), mbqmRef(x, MAX, shift), `x=${x} shift=${shift}`);
    }
  }
  fc.assert(
    fc.property(int32, multiplier, fc.integer({ min: -31, max: 30 }), (x, m, shift) => {
      assert.equal(multiplyByQuantizedMultiplier(x, m, shift), mbqmRef(x, m, shift));
    }),
    { numRuns: 1000 },
  );
});

test('quantizeMultiplier: M0 ∈ [2^30, 2^31) and |real − M0·2^(shift−31)| ≤ half an ulp of M0', () => {
  fc.assert(
    fc.property(fc.noBias(fc.integer({ min: -31 * 2 ** 20, max: 30 * 2 ** 20 - 1 })).map((k) => 2 ** (k / 2 ** 20)), (real) => {
      const { multiplier, shift } = quantizeMultiplier(real);
      assert.ok(Number.isInteger(multiplier) && multiplier >= 2 ** 30 && multiplier < 2 ** 31, `M0 ${multiplier}`);
      assert.ok(shift >= -31 && shift <= 30);
      assert.ok(Math.abs(real - multiplier * 2 ** (shift - 31)) <= 2 ** (shift - 32));
    }),
    { numRuns: 1000 },
  );
});

test('quantizeMultiplier: worked values and edge cases', () => {
  assert.deepEqual(quantizeMultiplier(0), { multiplier: 0, shift: 0 });
  assert.deepEqual(quantizeMultiplier(0.5), { multiplier: 2 ** 30, shift: 0 });
  assert.deepEqual(quantizeMultiplier(0.75), { multiplier: 3 * 2 ** 29, shift: 0 });
  assert.deepEqual(quantizeMultiplier(1), { multiplier: 2 ** 30, shift: 1 });
  assert.deepEqual(quantizeMultiplier(3), { multiplier: 3 * 2 ** 29, shift: 2 });
  assert.deepEqual(quantizeMultiplier(0.1), { multiplier: Math.round(0.8 * 2 ** 31), shift: -3 });
  // 1 − 2^−31: frac·2^31 = 2^31 − 1, stays
  assert.deepEqual(quantizeMultiplier(1 - 2 ** -31), { multiplier: MAX, shift: 0 });
  // 1 − 2^−32: frac·2^31 = 2^31 − ½ rounds (away) to 2^31, renormalised to 2^30 with shift + 1
  assert.deepEqual(quantizeMultiplier(1 - 2 ** -32), { multiplier: 2 ** 30, shift: 1 });
  // underflow: 2^−32 is the smallest representable (shift −31); below it everything is 0 ...
  assert.deepEqual(quantizeMultiplier(2 ** -32), { multiplier: 2 ** 30, shift: -31 });
  assert.deepEqual(quantizeMultiplier(2 ** -33), { multiplier: 0, shift: 0 });
  assert.deepEqual(quantizeMultiplier(5e-324), { multiplier: 0, shift: 0 });
  // ... except where rounding renormalises back into range
  assert.deepEqual(quantizeMultiplier(2 ** -32 * (1 - 2 ** -40)), { multiplier: 2 ** 30, shift: -31 });
  // the largest: shift 30
  assert.deepEqual(quantizeMultiplier(2 ** 29), { multiplier: 2 ** 30, shift: 30 });
  assert.throws(() => quantizeMultiplier(2 ** 30 - 0.25), RangeArgumentError); // M0 rounds up to 2^31 → shift 31
  assert.throws(() => quantizeMultiplier(2 ** 30), (e: unknown) => e instanceof RangeArgumentError && /1073741824/.test(e.message));
  for (const bad of [-0.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.throws(() => quantizeMultiplier(bad), (e: unknown) => e instanceof RangeArgumentError && e.message.includes(String(bad)));
  }
});

test('a multiplier of 0 (or an underflowed one) gives 0 for every x', () => {
  const { multiplier, shift } = quantizeMultiplier(2 ** -40);
  for (const x of EXTREMES) assert.equal(multiplyByQuantizedMultiplier(x, multiplier, shift), 0);
  // the smallest representable multiplier rounds every int32 to 0 or ±1, as the real product does
  const smallest = quantizeMultiplier(2 ** -32);
  assert.equal(multiplyByQuantizedMultiplier(MIN, smallest.multiplier, smallest.shift), -1); // −0.5, away from zero
  assert.equal(multiplyByQuantizedMultiplier(2 ** 30, smallest.multiplier, smallest.shift), 0); // 0.25
  // Double rounding (docs eq. (18)): the exact product is (2^31 − 1)/2^32 = 0.4999…, but SRDHM
  // rounds (2^31 − 1)·2^30/2^31 = 2^30 − ½ up to the tie 2^30, which the shift then rounds away to 1.
  assert.equal(multiplyByQuantizedMultiplier(MAX, smallest.multiplier, smallest.shift), 1);
});
