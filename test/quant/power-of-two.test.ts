import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fitPowerOfTwo, powerOfTwoQuantizer, powerOfTwoLevels, encodePowerOfTwo, decodePowerOfTwo, fakeQuantizePowerOfTwo } from '../../src/quant/power-of-two.ts';
import type { PowerOfTwoDomain } from '../../src/quant/power-of-two.ts';
import { RangeArgumentError } from '../../src/errors.ts';

const argError = (pattern: RegExp) => (e: unknown) => e instanceof RangeArgumentError && pattern.test(e.message);

test('levels: 0 and ±2^k, 2^(b−1) − 1 exponents signed, 2^b − 1 unsigned', () => {
  assert.deepEqual([...powerOfTwoLevels(powerOfTwoQuantizer(0, { bits: 3 }))], [-1, -0.5, -0.25, 0, 0.25, 0.5, 1]);
  assert.deepEqual([...powerOfTwoLevels(powerOfTwoQuantizer(2, { bits: 2, signed: false }))], [0, 1, 2, 4]);
  const q8 = powerOfTwoQuantizer(-1, { bits: 8 });
  // 8 bits signed: 127 exponents from 2^−1 would reach 2^−127; floored at 2^−126 (float32 normals)
  assert.deepEqual([q8.minExponent, q8.maxExponent], [-126, -1]);
  assert.equal(powerOfTwoLevels(q8).length, 2 * 126 + 1);
});

test('the largest level is the level nearest max|x|, in the chosen domain', () => {
  // 0.72 lies between 0.5 and 1: linearly nearer 0.5 (threshold 0.75), logarithmically nearer 1 (threshold √2/2 ≈ 0.7071)
  assert.equal(fitPowerOfTwo(Float32Array.of(0.1, -0.72), { bits: 4 }).maxExponent, -1);
  assert.equal(fitPowerOfTwo(Float32Array.of(0.1, -0.72), { bits: 4, domain: 'log' }).maxExponent, 0);
  assert.equal(fitPowerOfTwo(Float32Array.of(0.9), { bits: 4 }).maxExponent, 0);
  assert.equal(fitPowerOfTwo(Float32Array.of(0.7), { bits: 4, domain: 'log' }).maxExponent, -1);
  assert.equal(fitPowerOfTwo(Float32Array.of(8), { bits: 4 }).maxExponent, 3);
  assert.equal(fitPowerOfTwo(Float32Array.of(0, 0), { bits: 4 }).maxExponent, 0);
  // unsigned fits the positive maximum only
  assert.equal(fitPowerOfTwo(Float32Array.of(-100, 3.9), { bits: 4, signed: false }).maxExponent, 2);
});

test('worked encodings (linear and log) and codes sign·(k − kmin + 1)', () => {
  const q = powerOfTwoQuantizer(0, { bits: 3 }); // levels ±1, ±0.5, ±0.25, 0; codes ±3, ±2, ±1, 0
  const x = Float32Array.of(0, 0.1, 0.13, 0.3, 0.37, 0.38, 0.74, 0.76, 5, -0.74, -0.76, -5);
  assert.deepEqual([...encodePowerOfTwo(x, q)], [0, 0, 1, 1, 1, 2, 2, 3, 3, -2, -3, -3]);
  const ql = powerOfTwoQuantizer(0, { bits: 3, domain: 'log' }); // thresholds 0.25·√2 ≈ 0.354, 0.5·√2 ≈ 0.707
  assert.deepEqual([...encodePowerOfTwo(x, ql)], [0, 0, 1, 1, 2, 2, 3, 3, 3, -3, -3, -3]);
  assert.deepEqual([...fakeQuantizePowerOfTwo(Float32Array.of(0.3, -0.76), q)], [0.25, -1]);
  const u = powerOfTwoQuantizer(1, { bits: 2, signed: false }); // levels 0, 0.5, 1, 2
  assert.deepEqual([...encodePowerOfTwo(Float32Array.of(-3, 0.2, 0.3, 1.4, 1.6, 9), u)], [0, 0, 1, 2, 3, 3]);
});

test('every value maps to its nearest level (brute force over the levels)', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: -20, max: 20 }),
      fc.integer({ min: 2, max: 6 }),
      fc.boolean(),
      fc.constantFrom<PowerOfTwoDomain>('linear', 'log'),
      fc.array(fc.float({ min: -1e7, max: 1e7, noNaN: true }), { minLength: 1, maxLength: 40 }),
      (kmax, bits, signed, domain, values) => {
        const q = powerOfTwoQuantizer(kmax, { bits, signed, domain });
        const levels = [...powerOfTwoLevels(q)];
        const x = Float32Array.from(values);
        const y = fakeQuantizePowerOfTwo(x, q);
        const smallest = 2 ** q.minExponent;
        for (let i = 0; i < x.length; i++) {
          const v = x[i];
          assert.ok(levels.includes(y[i]));
          if (!signed && v < 0) {
            assert.equal(y[i], 0);
            continue;
          }
          if (domain === 'linear' || Math.abs(v) < smallest) {
            const best = Math.min(...levels.map((l) => Math.abs(v - l)));
            assert.ok(Math.abs(v - y[i]) <= best, `${v} → ${y[i]}, best distance ${best}`);
          } else {
            const nonZero = levels.filter((l) => l !== 0 && Math.sign(l) === Math.sign(v));
            const best = Math.min(...nonZero.map((l) => Math.abs(Math.log2(Math.abs(v)) - Math.log2(Math.abs(l)))));
            assert.ok(Math.abs(Math.log2(Math.abs(v)) - Math.log2(Math.abs(y[i]))) <= best + 1e-12, `${v} → ${y[i]}`);
          }
        }
        assert.deepEqual(decodePowerOfTwo(encodePowerOfTwo(x, q), q), y);
      },
    ),
    { numRuns: 300 },
  );
});

test('bad input throws', () => {
  assert.throws(() => powerOfTwoQuantizer(0, { bits: 9 }), argError(/bits 9/));
  assert.throws(() => powerOfTwoQuantizer(0, { bits: 1 }), argError(/bits 1/));
  assert.throws(() => powerOfTwoQuantizer(0.5, { bits: 4 }), argError(/maxExponent 0.5/));
  assert.throws(() => powerOfTwoQuantizer(0, { bits: 4, domain: 'ln' as 'log' }), argError(/"ln"/));
  assert.throws(() => fitPowerOfTwo(Float32Array.of(1, Number.NaN), { bits: 4 }), argError(/element 1 is NaN/));
  const q = powerOfTwoQuantizer(0, { bits: 3 });
  assert.throws(() => encodePowerOfTwo(Float32Array.of(Number.POSITIVE_INFINITY), q), argError(/element 0 is Infinity/));
  assert.throws(() => decodePowerOfTwo(Int8Array.of(0, 4), q), argError(/code 4 at index 1/));
});
