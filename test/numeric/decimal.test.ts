import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RangeArgumentError } from '../../src/errors.ts';
import {
  addDecimal,
  cancellationError,
  compareDecimal,
  decimalFromNumber,
  decimalToNumber,
  decimalToString,
  divideDecimal,
  equalsDecimal,
  multiplyDecimal,
  parseDecimal,
  roundDecimal,
  subtractDecimal,
} from '../../src/numeric/decimal.ts';

test('lecture example 1: with 2 digits the mean of 5.1 and 5.2 by (a + b)/2 is 5.0', () => {
  const sum = addDecimal('5.1', '5.2', 2);
  assert.equal(decimalToString(sum), '10'); // 10.3 can only be stored as 10
  const mean = divideDecimal(sum, 2, 2);
  assert.equal(decimalToString(mean), '5.0'); // less than both numbers
  assert.equal(compareDecimal(mean, '5.1'), -1);
});

test('lecture example 2: with 8 digits the order of the additions matters', () => {
  const left = addDecimal(addDecimal('11111113', '-11111111', 8), '7.5111111', 8);
  assert.equal(decimalToString(left), '9.5111111');
  const inner = addDecimal('-11111111', '7.5111111', 8);
  assert.equal(decimalToString(inner), '-11111103'); // −11111103.4888889 rounded to 8 digits
  const right = addDecimal('11111113', inner, 8);
  assert.equal(decimalToString(right), '10.000000');
});

test('lecture: [round(x) − round(y)] − round(x − y), relative to round(x − y), is ≫ ε under cancellation', () => {
  const c = cancellationError('1.00049', '1.00001', 4);
  assert.equal(decimalToString(c.roundedX), '1.000');
  assert.equal(decimalToString(c.roundedY), '1.000');
  assert.equal(decimalToString(c.computed), '0');
  assert.equal(decimalToString(c.reference), '0.0004800');
  assert.equal(c.relativeError, 1); // |0 − 0.00048| / 0.00048
  assert.equal(c.unitRoundoff, 0.5e-3);
  // Without cancellation the same operands' error stays within about ε.
  const far = cancellationError('1.00049', '-1.00001', 4);
  assert.equal(decimalToString(far.computed), '2.000');
  assert.equal(decimalToString(far.reference), '2.000'); // 2.0005 → 2.000 (tie to even)
  assert.ok(far.relativeError <= far.unitRoundoff);
  const partial = cancellationError('3.14159', '3.1', 3);
  assert.equal(decimalToString(partial.computed), '0.0400'); // 3.14 − 3.10
  assert.equal(decimalToString(partial.reference), '0.0416'); // 0.04159
  assert.equal(partial.relativeError, 0.0016 / 0.0416);
});

test('rounding to n significant digits keeps exactly n digits', () => {
  const cases: [string, number, string][] = [
    ['10.3', 2, '10'],
    ['5', 2, '5.0'],
    ['99.96', 3, '100'],
    ['0.000123456', 3, '0.000123'],
    ['2.5', 1, '2'],
    ['3.5', 1, '4'],
    ['-2.5', 1, '-2'],
    ['123456789', 3, '123000000'], // plain notation up to 21 integer digits, as String(number)
    ['1234e20', 2, '1.2e+23'],
    ['1e-30', 2, '1.0e-30'],
  ];
  for (const [x, digits, expected] of cases) assert.equal(decimalToString(roundDecimal(x, digits)), expected, `${x} to ${digits}`);
  assert.equal(decimalToString(roundDecimal('2.5', { digits: 1, rounding: 'halfAwayFromZero' })), '3');
  assert.equal(decimalToString(roundDecimal('-2.1', { digits: 1, rounding: 'floor' })), '-3');
  assert.equal(decimalToString(roundDecimal('-2.9', { digits: 1, rounding: 'ceil' })), '-2');
  assert.equal(decimalToString(roundDecimal('-2.9', { digits: 1, rounding: 'towardZero' })), '-2');
});

test('numbers enter by their shortest decimal form', () => {
  assert.deepEqual(decimalFromNumber(0.1), { coefficient: 1n, exponent: -1 });
  assert.deepEqual(decimalFromNumber(-1.5e-7), { coefficient: -15n, exponent: -8 });
  assert.deepEqual(decimalFromNumber(1e21), { coefficient: 1n, exponent: 21 });
  assert.equal(decimalToString(addDecimal(0.1, 0.2, 17)), '0.30000000000000000'); // decimal, not binary, 0.1 + 0.2
  assert.deepEqual(parseDecimal(' -12.50e1 '), { coefficient: -1250n, exponent: -1 });
  assert.deepEqual(parseDecimal('.5'), { coefficient: 5n, exponent: -1 });
});

test('arithmetic: each operation rounds its exact result once', () => {
  assert.equal(decimalToString(divideDecimal(1, 3, 5)), '0.33333');
  assert.equal(decimalToString(divideDecimal(2, 3, 5)), '0.66667');
  assert.equal(decimalToString(divideDecimal(-2, 3, { digits: 5, rounding: 'floor' })), '-0.66667');
  assert.equal(decimalToString(divideDecimal(1, -8, 2)), '-0.12'); // −0.125 → tie to even
  assert.equal(decimalToString(multiplyDecimal('1.5e30', 2, 4)), '3.000e+30');
  assert.equal(decimalToString(subtractDecimal('1.0001', '1', 3)), '0.000100');
  // A far smaller operand acts only on the rounding direction.
  assert.equal(decimalToString(addDecimal('1e100', '1e-100', 5)), '1.0000e+100');
  assert.equal(decimalToString(addDecimal('1e100', '-1e-100', { digits: 5, rounding: 'towardZero' })), '9.9999e+99');
  assert.equal(decimalToString(addDecimal('1e100', '1e-100', { digits: 5, rounding: 'ceil' })), '1.0001e+100');
});

// Reference for the property: doubles are exact decimals when small integers over powers of ten.
test('add / multiply / divide agree with an independent BigInt computation (property)', () => {
  const operand = fc.tuple(fc.integer({ min: -99999, max: 99999 }), fc.integer({ min: -6, max: 6 }));
  fc.assert(
    fc.property(operand, operand, fc.integer({ min: 1, max: 8 }), ([ca, ea], [cb, eb], digits) => {
      const a = { coefficient: BigInt(ca), exponent: ea };
      const b = { coefficient: BigInt(cb), exponent: eb };
      // Exact a·b, rounded half-even to `digits` digits by string manipulation.
      const product = BigInt(ca) * BigInt(cb);
      const got = multiplyDecimal(a, b, digits);
      if (product === 0n) {
        assert.equal(got.coefficient, 0n);
        return;
      }
      const magnitude = (product < 0n ? -product : product).toString();
      let kept = magnitude.length <= digits ? BigInt(magnitude.padEnd(digits, '0')) : BigInt(magnitude.slice(0, digits));
      let exponent = ea + eb + magnitude.length - digits;
      if (magnitude.length > digits) {
        const rest = magnitude.slice(digits);
        const half = '5'.padEnd(rest.length, '0');
        if (rest > half || (rest === half && kept % 2n === 1n)) kept += 1n;
        if (kept.toString().length > digits) {
          kept /= 10n;
          exponent += 1;
        }
      }
      assert.deepEqual(got, { coefficient: product < 0n ? -kept : kept, exponent });
      // Division undoes multiplication when nothing was lost.
      if (magnitude.length <= digits && cb !== 0) assert.ok(equalsDecimal(divideDecimal(got, b, digits), roundDecimal(a, digits)));
      // Addition is commutative and matches the exact sum when it fits.
      assert.deepEqual(addDecimal(a, b, digits), addDecimal(b, a, digits));
    }),
    { numRuns: 500 },
  );
});

test('compare, equality and conversion to number', () => {
  assert.equal(compareDecimal('1.50', 1.5), 0);
  assert.ok(equalsDecimal('10.000000', 10));
  assert.equal(compareDecimal('-2', '-10'), 1);
  assert.equal(compareDecimal('0.1', '0.09'), 1);
  assert.equal(compareDecimal('-0.1', '0'), -1);
  assert.equal(decimalToNumber('9.5111111'), 9.5111111);
  assert.equal(decimalToNumber(roundDecimal('0.1', 20)), 0.1);
});

test('bad input throws RangeArgumentError naming the value', () => {
  for (const digits of [0, -1, 1.5, NaN]) {
    assert.throws(() => roundDecimal('1', digits), (e) => e instanceof RangeArgumentError && e.message.includes(String(digits)));
  }
  for (const text of ['abc', '', '1.2.3', '1e', '--1']) assert.throws(() => parseDecimal(text), (e) => e instanceof RangeArgumentError && e.message.includes(JSON.stringify(text)));
  for (const x of [NaN, Infinity, -Infinity]) assert.throws(() => addDecimal(x, 1, 3), (e) => e instanceof RangeArgumentError && e.message.includes(String(x)));
  assert.throws(() => divideDecimal(1, '0.00', 3), /zero/);
  assert.throws(() => roundDecimal('1', { digits: 3, rounding: 'stochastic' as 'floor' }), /stochastic/);
});
