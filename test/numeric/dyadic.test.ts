import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RangeArgumentError } from '../../src/errors.ts';
import {
  addDyadic,
  dyadicFromNumber,
  dyadicToBigInt,
  dyadicToNumber,
  multiplyDyadic,
  roundDyadicQuotient,
  subtractDyadic,
} from '../../src/numeric/dyadic.ts';

test('a double decomposes exactly into an odd mantissa times a power of two', () => {
  assert.deepEqual(dyadicFromNumber(0.75), { mantissa: 3n, exponent: -2 });
  assert.deepEqual(dyadicFromNumber(-12), { mantissa: -3n, exponent: 2 });
  assert.deepEqual(dyadicFromNumber(0), { mantissa: 0n, exponent: 0 });
  assert.deepEqual(dyadicFromNumber(-0), { mantissa: 0n, exponent: 0 });
  assert.deepEqual(dyadicFromNumber(Number.MIN_VALUE), { mantissa: 1n, exponent: -1074 });
  assert.deepEqual(dyadicFromNumber(0.1), { mantissa: 3602879701896397n, exponent: -55 }); // 0x1.999999999999ap-4
  fc.assert(
    fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
      const d = dyadicFromNumber(x);
      assert.ok(d.mantissa === 0n || d.mantissa % 2n !== 0n);
      assert.ok(Object.is(dyadicToNumber(d), x === 0 ? 0 : x)); // −0 becomes 0
    }),
    { numRuns: 500 },
  );
  assert.throws(() => dyadicFromNumber(NaN), RangeArgumentError);
  assert.throws(() => dyadicFromNumber(Infinity), /Infinity/);
});

test('dyadicToNumber rounds to nearest even, agreeing with Number(bigint) scaled by 2^e (property)', () => {
  fc.assert(
    fc.property(fc.bigInt({ min: -(2n ** 120n), max: 2n ** 120n }), fc.integer({ min: -900, max: 800 }), (m, e) => {
      // Number(bigint) is correctly rounded; scaling by 2^e is exact in this exponent range.
      assert.equal(dyadicToNumber({ mantissa: m, exponent: e }), Number(m) * 2 ** e);
    }),
    { numRuns: 500 },
  );
  // ties: 2^53 + 1 is halfway between 2^53 and 2^53 + 2 → even (2^53); 2^53 + 3 → 2^53 + 4.
  assert.equal(dyadicToNumber({ mantissa: 2n ** 53n + 1n, exponent: 0 }), 2 ** 53);
  assert.equal(dyadicToNumber({ mantissa: 2n ** 53n + 3n, exponent: 0 }), 2 ** 53 + 4);
  // a sticky bit far below the 64 kept bits still breaks the tie upward
  assert.equal(dyadicToNumber({ mantissa: (2n ** 53n + 1n) * 2n ** 100n + 1n, exponent: -100 }), 2 ** 53 + 2);
  assert.equal(dyadicToNumber({ mantissa: 1n, exponent: 1024 }), Infinity);
  assert.equal(dyadicToNumber({ mantissa: 1n, exponent: -1074 }), Number.MIN_VALUE);
  assert.equal(dyadicToNumber({ mantissa: 1n, exponent: -1100 }), 0);
});

test('sums, differences and products are exact', () => {
  const a = dyadicFromNumber(0.1);
  const b = dyadicFromNumber(0.2);
  const sum = addDyadic(a, b);
  // 0.1 + 0.2 as exact doubles: (3602879701896397·2 + 3602879701896397·2·2)/2^56 ... compare with BigInt
  assert.equal(dyadicToBigInt(multiplyDyadic(sum, { mantissa: 1n, exponent: 56 })), 3602879701896397n * 2n + 3602879701896397n * 4n);
  assert.deepEqual(subtractDyadic(sum, sum), { mantissa: 0n, exponent: 0 });
  assert.deepEqual(multiplyDyadic(dyadicFromNumber(1.5), dyadicFromNumber(-2.5)), dyadicFromNumber(-3.75));
  assert.deepEqual(addDyadic(dyadicFromNumber(0), a), a);
});

test('roundDyadicQuotient rounds the exact quotient once', () => {
  const q = (a: number, b: number) => roundDyadicQuotient(dyadicFromNumber(a), dyadicFromNumber(b), 'halfToEven');
  assert.equal(q(3, 2), 2n);
  assert.equal(q(5, 2), 2n);
  assert.equal(q(-5, 2), -2n);
  assert.equal(q(1, 3), 0n);
  assert.equal(q(0.45, 0.1), 4n); // exact quotient is below 4.5
  assert.equal(roundDyadicQuotient(dyadicFromNumber(1e300), dyadicFromNumber(1e-300), 'floor') > 10n ** 599n, true);
});
