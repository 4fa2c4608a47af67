import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { OverflowError, RangeArgumentError } from '../../src/errors.ts';
import { dyadicToNumber } from '../../src/numeric/dyadic.ts';
import { seededRandom } from '../../src/numeric/rounding.ts';
import {
  addSlopeBias,
  decodeSlopeBias,
  encodeSlopeBias,
  multiplySlopeBias,
  slopeBiasFormat,
  slopeBiasOverflows,
  slopeBiasTable,
  subtractSlopeBias,
  type SlopeBiasFormat,
} from '../../src/numeric/slope-bias.ts';

const three = (scale: number, bias: number) => slopeBiasFormat(scale, bias, 3, false);
const LECTURE_BITS = ['000', '001', '010', '011', '100', '101', '110', '111'];

test('lecture: the 3-bit slope-bias tables, all 8 rows each', () => {
  // The lecture's real columns: k; k/4; 4k; 1.5·k + 10.
  const tables: [number, number, number[]][] = [
    [1, 0, [0, 1, 2, 3, 4, 5, 6, 7]],
    [1 / 4, 0, [0, 1 / 4, 2 / 4, 3 / 4, 1, 5 / 4, 6 / 4, 7 / 4]],
    [4, 0, [0, 4, 8, 12, 16, 20, 24, 28]],
    [1.5, 10, [1.5 * 0 + 10, 1.5 * 1 + 10, 1.5 * 2 + 10, 1.5 * 3 + 10, 1.5 * 4 + 10, 1.5 * 5 + 10, 1.5 * 6 + 10, 1.5 * 7 + 10]],
  ];
  for (const [scale, bias, reals] of tables) {
    const rows = slopeBiasTable(three(scale, bias));
    assert.deepEqual(rows.map((r) => r.bits), LECTURE_BITS, `(s, z) = (${scale}, ${bias})`);
    assert.deepEqual(rows.map((r) => r.real), reals, `(s, z) = (${scale}, ${bias})`);
    assert.deepEqual(rows.map((r) => r.q), [0, 1, 2, 3, 4, 5, 6, 7]);
    // and back: every real value encodes to its own code
    rows.forEach((r) => assert.equal(encodeSlopeBias(r.real, three(scale, bias)), r.q));
  }
});

test('signed slope-bias table runs q = −4…3 in two’s complement', () => {
  const rows = slopeBiasTable(slopeBiasFormat(0.5, 1, 3, true));
  assert.deepEqual(rows.map((r) => [r.q, r.bits, r.real]), [
    [-4, '100', -1], [-3, '101', -0.5], [-2, '110', 0], [-1, '111', 0.5], [0, '000', 1], [1, '001', 1.5], [2, '010', 2], [3, '011', 2.5],
  ]);
});

test('encoding rounds (real − z)/s half to even by default, other modes on request', () => {
  const quarter = three(1 / 4, 0);
  assert.equal(encodeSlopeBias(1.3, quarter), 5); // 5.2 → 5
  assert.equal(encodeSlopeBias(0.125, quarter), 0); // 0.5 → 0
  assert.equal(encodeSlopeBias(0.375, quarter), 2); // 1.5 → 2
  assert.equal(encodeSlopeBias(0.625, quarter), 2); // 2.5 → 2
  assert.equal(encodeSlopeBias(0.625, quarter, { rounding: 'halfAwayFromZero' }), 3);
  assert.equal(encodeSlopeBias(0.3, quarter, { rounding: 'floor' }), 1);
  assert.equal(encodeSlopeBias(0.3, quarter, { rounding: 'ceil' }), 2);
  assert.equal(encodeSlopeBias(12.25, three(1.5, 10)), 2); // (12.25 − 10)/1.5 = 1.5 → 2
  assert.equal(encodeSlopeBias(11.5 + 0.75, three(1.5, 10), { rounding: 'towardZero' }), 1);
});

test('ties are judged on exact values, not on the rounded float quotient', () => {
  // As doubles, 0.45 < 4.5 · 0.1, so (0.45 − 0)/0.1 is just below 4.5; the float division says 4.5.
  assert.equal(0.45 / 0.1, 4.5);
  const tenth = slopeBiasFormat(0.1, 0, 8, false);
  assert.equal(encodeSlopeBias(0.45, tenth, { rounding: 'halfAwayFromZero' }), 4);
  assert.equal(encodeSlopeBias(0.45, tenth, { rounding: 'ceil' }), 5);
});

test('stochastic rounding: unbiased on average and only ever the two neighbours', () => {
  const unit = slopeBiasFormat(1, 0, 8, false);
  const random = seededRandom(42);
  let sum = 0;
  const n = 4000;
  for (let i = 0; i < n; i++) {
    const q = encodeSlopeBias(2.3, unit, { rounding: 'stochastic', random });
    assert.ok(q === 2 || q === 3);
    sum += q;
  }
  assert.ok(Math.abs(sum / n - 2.3) < 0.03, `mean ${sum / n}`); // σ of the mean ≈ 0.007
  assert.throws(() => encodeSlopeBias(2.3, unit, { rounding: 'stochastic' }), RangeArgumentError);
});

test('overflow: wrap, saturate or error', () => {
  const unit = three(1, 0);
  assert.equal(encodeSlopeBias(8.2, unit, { overflow: 'wrap' }), 0);
  assert.equal(encodeSlopeBias(8.2, unit, { overflow: 'saturate' }), 7);
  assert.equal(encodeSlopeBias(-3, unit, { overflow: 'saturate' }), 0);
  assert.equal(encodeSlopeBias(-3, unit, { overflow: 'wrap' }), 5);
  assert.throws(() => encodeSlopeBias(8.2, unit), (e) => e instanceof OverflowError && /8\.2/.test(e.message));
  assert.equal(encodeSlopeBias(1e300, unit, { overflow: 'saturate' }), 7);
  assert.equal(encodeSlopeBias(2 ** 60 + 5 * 2 ** 8, unit, { overflow: 'wrap' }), 0); // ≡ 0 mod 8, exactly
  assert.equal(encodeSlopeBias(7.4, unit), 7);
  assert.equal(slopeBiasOverflows(7.5, unit), true); // rounds to 8
  assert.equal(slopeBiasOverflows(7.49, unit), false);
});

test('add / subtract / multiply: exact real result, rounded once into the result format', () => {
  const lecture = three(1.5, 10);
  const a = { q: 1, format: lecture }; // 11.5
  const b = { q: 2, format: lecture }; // 13
  const sum = addSlopeBias(a, b, slopeBiasFormat(1.5, 10, 4, false));
  assert.equal(dyadicToNumber(sum.exact), 24.5);
  assert.equal(sum.q, 10); // (24.5 − 10)/1.5 = 9.67 → 10
  assert.equal(sum.value, 25);
  assert.equal(sum.overflow, false);
  const product = multiplySlopeBias(a, b, slopeBiasFormat(1, 0, 8, false));
  assert.equal(dyadicToNumber(product.exact), 149.5);
  assert.equal(product.q, 150); // tie → even
  const difference = subtractSlopeBias(a, b, slopeBiasFormat(0.5, 0, 4, true));
  assert.equal(difference.q, -3);
  assert.equal(difference.value, -1.5);
  const overflowing = multiplySlopeBias(a, b, lecture, { overflow: 'saturate' });
  assert.deepEqual([overflowing.q, overflowing.overflow, overflowing.value], [7, true, 20.5]);
  assert.throws(() => multiplySlopeBias(a, b, lecture), OverflowError);
});

// Exact rationals for the property test below, independent of the library's dyadic arithmetic.
interface Ratio {
  n: bigint;
  d: bigint;
}
const ratio = (n: bigint, d = 1n): Ratio => (d < 0n ? { n: -n, d: -d } : { n, d });
const plus = (x: Ratio, y: Ratio) => ratio(x.n * y.d + y.n * x.d, x.d * y.d);
const times = (x: Ratio, y: Ratio) => ratio(x.n * y.n, x.d * y.d);
const minus = (x: Ratio, y: Ratio) => plus(x, times(ratio(-1n), y));
const over = (x: Ratio, y: Ratio) => ratio(x.n * y.d, x.d * y.n);
const equal = (x: Ratio, y: Ratio) => x.n * y.d === y.n * x.d;
function roundHalfEvenRatio(x: Ratio): bigint {
  // floor, then compare the remainder with a half
  let q = x.n / x.d;
  if (q * x.d > x.n) q -= 1n;
  const twice = 2n * (x.n - q * x.d);
  return twice > x.d || (twice === x.d && q % 2n !== 0n) ? q + 1n : q;
}

// Formats whose scale is k/2^j and whose bias is an integer multiple of 1/8: exact rationals.
const formatArb = fc
  .record({ k: fc.integer({ min: 1, max: 40 }), j: fc.integer({ min: 0, max: 6 }), bias8: fc.integer({ min: -80, max: 80 }), bits: fc.integer({ min: 2, max: 12 }), signed: fc.boolean() })
  .map(({ k, j, bias8, bits, signed }) => ({ format: slopeBiasFormat(k / 2 ** j, bias8 / 8, bits, signed), s: ratio(BigInt(k), 2n ** BigInt(j)), z: ratio(BigInt(bias8), 8n) }));
const numberArb = formatArb.chain((f) => {
  const half = 2 ** (f.format.bits - 1);
  return fc.integer({ min: f.format.signed ? -half : 0, max: f.format.signed ? half - 1 : 2 * half - 1 }).map((q) => ({ ...f, q }));
});

test('multiply and add agree with exact rational arithmetic, then one half-even rounding (property)', () => {
  fc.assert(
    fc.property(numberArb, numberArb, formatArb, (a, b, r) => {
      const realA = plus(times(a.s, ratio(BigInt(a.q))), a.z);
      const realB = plus(times(b.s, ratio(BigInt(b.q))), b.z);
      // the lecture's four terms: s_a s_b q_a q_b + s_a q_a z_b + s_b q_b z_a + z_a z_b
      const qa = ratio(BigInt(a.q));
      const qb = ratio(BigInt(b.q));
      const fourTerms = [times(times(a.s, b.s), times(qa, qb)), times(times(a.s, qa), b.z), times(times(b.s, qb), a.z), times(a.z, b.z)].reduce(plus);
      for (const [op, exact] of [
        [multiplySlopeBias, fourTerms],
        [addSlopeBias, plus(realA, realB)],
      ] as const) {
        const result = op({ q: a.q, format: a.format }, { q: b.q, format: b.format }, r.format, { overflow: 'saturate' });
        const e = result.exact;
        const got = e.exponent >= 0 ? ratio(e.mantissa * 2n ** BigInt(e.exponent)) : ratio(e.mantissa, 2n ** BigInt(-e.exponent));
        assert.ok(equal(got, exact), 'exact result');
        const rounded = roundHalfEvenRatio(over(minus(exact, r.z), r.s));
        const half = 2n ** BigInt(r.format.bits - 1);
        const [min, max] = r.format.signed ? [-half, half - 1n] : [0n, 2n * half - 1n];
        const expected = rounded < min ? min : rounded > max ? max : rounded;
        assert.equal(result.q, Number(expected));
        assert.equal(result.overflow, rounded !== expected);
      }
    }),
    { numRuns: 500 },
  );
});

test('decode is s·q + z rounded once', () => {
  const format = slopeBiasFormat(0.1, 0.2, 8, false);
  assert.equal(decodeSlopeBias(1, format), 0.30000000000000004); // exact 0.1 + 0.2 (as doubles) rounds there
  assert.equal(decodeSlopeBias(3, slopeBiasFormat(1 / 3, 0, 4, false)), 1); // 3 · (1/3 as a double) = 1 − 2^-54 → 1
});

test('bad formats and values throw RangeArgumentError naming the value', () => {
  for (const scale of [0, -1, NaN, Infinity]) {
    assert.throws(() => slopeBiasFormat(scale, 0, 8, false), (e) => e instanceof RangeArgumentError && e.message.includes(String(scale)));
    assert.throws(() => encodeSlopeBias(1, { scale, bias: 0, bits: 8, signed: false }), RangeArgumentError);
  }
  assert.throws(() => slopeBiasFormat(1, NaN, 8, false), /bias.*NaN/);
  assert.throws(() => slopeBiasFormat(1, 0, 33, false), /33/);
  const unit: SlopeBiasFormat = three(1, 0);
  for (const real of [NaN, Infinity, -Infinity]) assert.throws(() => encodeSlopeBias(real, unit), (e) => e instanceof RangeArgumentError && e.message.includes(String(real)));
  assert.throws(() => decodeSlopeBias(8, unit), /8/);
  assert.throws(() => decodeSlopeBias(1.5, unit), /1\.5/);
  assert.throws(() => encodeSlopeBias(1, unit, { rounding: 'nearest' as 'floor' }), /nearest/);
  assert.throws(() => encodeSlopeBias(1, unit, { overflow: 'clip' as 'wrap' }), /clip/);
  assert.throws(() => slopeBiasTable(slopeBiasFormat(1, 0, 17, false)), RangeArgumentError);
});
