import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RangeArgumentError } from '../../src/errors.ts';
import { ROUNDING_MODES, roundRatio } from '../../src/numeric/exact-rounding.ts';
import { rounder, seededRandom } from '../../src/numeric/rounding.ts';

test('hand-worked ratios in every deterministic mode', () => {
  //           n/d:     5/2  −5/2  7/2  −7/2  1/3  −1/3  −5/3  8/4
  const inputs: [bigint, bigint][] = [[5n, 2n], [-5n, 2n], [7n, 2n], [-7n, 2n], [1n, 3n], [-1n, 3n], [-5n, 3n], [8n, 4n]];
  const expected: Record<string, bigint[]> = {
    halfToEven: [2n, -2n, 4n, -4n, 0n, 0n, -2n, 2n],
    halfAwayFromZero: [3n, -3n, 4n, -4n, 0n, 0n, -2n, 2n],
    floor: [2n, -3n, 3n, -4n, 0n, -1n, -2n, 2n],
    ceil: [3n, -2n, 4n, -3n, 1n, 0n, -1n, 2n],
    towardZero: [2n, -2n, 3n, -3n, 0n, 0n, -1n, 2n],
  };
  for (const [mode, values] of Object.entries(expected)) {
    inputs.forEach(([n, d], i) => assert.equal(roundRatio(n, d, mode as 'floor'), values[i], `${mode} ${n}/${d}`));
  }
  assert.equal(roundRatio(5n, -2n, 'floor'), -3n); // negative denominator
});

test('agrees with the float rounding functions where the ratio is an exact double (property)', () => {
  const deterministic = ROUNDING_MODES.filter((m) => m !== 'stochastic');
  fc.assert(
    fc.property(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), fc.integer({ min: 0, max: 10 }), (n, k) => {
      const d = 2 ** k; // n / 2^k is exact as a double
      for (const mode of deterministic) {
        assert.equal(roundRatio(BigInt(n), BigInt(d), mode), BigInt(rounder(mode)(n / d)) + 0n, `${mode} ${n}/${d}`);
      }
    }),
    { numRuns: 500 },
  );
});

test('stochastic: only the two neighbours, with the right frequency, and a random source is required', () => {
  const random = seededRandom(7);
  let ups = 0;
  for (let i = 0; i < 3000; i++) {
    const r = roundRatio(7n, 4n, 'stochastic', random); // 1.75
    assert.ok(r === 1n || r === 2n);
    if (r === 2n) ups++;
  }
  assert.ok(Math.abs(ups / 3000 - 0.75) < 0.03, `${ups / 3000}`);
  assert.equal(roundRatio(8n, 4n, 'stochastic', random), 2n);
  assert.throws(() => roundRatio(7n, 4n, 'stochastic'), RangeArgumentError);
  assert.throws(() => roundRatio(1n, 0n, 'floor'), RangeArgumentError);
  assert.throws(() => roundRatio(1n, 2n, 'up' as 'floor'), /up/);
});
