import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { OverflowError, RangeArgumentError } from '../../src/errors.ts';
import {
  addQ,
  decodeQ,
  encodeQ,
  multiplyQ,
  parseQFormat,
  qFormat,
  qOverflows,
  qRange,
  qResolution,
  subtractQ,
  type QFormat,
} from '../../src/numeric/qformat.ts';
import { slopeBiasTable } from '../../src/numeric/slope-bias.ts';

test('convention: m + n bits, m counts the sign bit; Q1.15 is 16 bits in [−1, 1)', () => {
  const q15 = parseQFormat('Q1.15');
  assert.deepEqual(q15, qFormat(1, 15, true));
  assert.equal(q15.bits, 16);
  assert.equal(q15.name, 'Q1.15');
  assert.deepEqual(qRange(q15), { min: -1, max: 1 - 2 ** -15 });
  assert.equal(qResolution(q15), 2 ** -15);
  assert.deepEqual(qRange(parseQFormat('UQ8.8')), { min: 0, max: 256 - 2 ** -8 });
  assert.deepEqual(qRange(parseQFormat('Q16.16')), { min: -(2 ** 15), max: 2 ** 15 - 2 ** -16 });
  assert.equal(parseQFormat('Q32.0').bits, 32);
});

test('lecture: UQ1.2 is the 3-bit table with s = 1/4', () => {
  const rows = slopeBiasTable(parseQFormat('UQ1.2'));
  assert.deepEqual(rows.map((r) => r.bits), ['000', '001', '010', '011', '100', '101', '110', '111']);
  assert.deepEqual(rows.map((r) => r.real), [0, 1 / 4, 2 / 4, 3 / 4, 1, 5 / 4, 6 / 4, 7 / 4]);
});

test('encode / decode: q = round(real · 2^n), half to even, with overflow', () => {
  const q15 = qFormat(1, 15);
  assert.equal(encodeQ(0.5, q15), 16384);
  assert.equal(encodeQ(-1, q15), -32768);
  assert.equal(decodeQ(-32768, q15), -1);
  assert.equal(encodeQ(3 * 2 ** -16, q15), 2); // 1.5 steps → 2
  assert.equal(encodeQ(5 * 2 ** -16, q15), 2); // 2.5 steps → 2
  assert.equal(encodeQ(3 * 2 ** -17, q15), 1); // 0.75 steps → 1
  assert.throws(() => encodeQ(1, q15), OverflowError);
  assert.equal(encodeQ(1, q15, { overflow: 'saturate' }), 32767);
  assert.equal(qOverflows(1 - 2 ** -16, q15), true); // rounds half-even up to 32768
  assert.equal(qOverflows(1 - 2 ** -15, q15), false);
});

test('multiply: Q1.15 × Q1.15 is exact in Q2.30, then rescaled on request', () => {
  const q15 = qFormat(1, 15);
  const a = { q: encodeQ(0.5, q15), format: q15 };
  const b = { q: encodeQ(-0.75, q15), format: q15 };
  const exact = multiplyQ(a, b);
  assert.equal(exact.format.name, 'Q2.30');
  assert.equal(exact.q, -0.375 * 2 ** 30);
  assert.equal(exact.exactQ, BigInt(16384 * -24576));
  const rescaled = multiplyQ(a, b, q15);
  assert.equal(rescaled.q, -0.375 * 2 ** 15);
  // (−1)·(−1) = 1 fits Q2.30 but not Q1.15
  const minusOne = { q: -32768, format: q15 };
  assert.equal(multiplyQ(minusOne, minusOne).q, 2 ** 30);
  const clamped = multiplyQ(minusOne, minusOne, q15, { overflow: 'saturate' });
  assert.deepEqual([clamped.q, clamped.overflow], [32767, true]);
  // widths beyond 32 need an explicit result format
  const q16 = qFormat(16, 16);
  assert.throws(() => multiplyQ({ q: 1, format: q16 }, { q: 1, format: q16 }), (e) => e instanceof RangeArgumentError && /Q32\.32/.test(e.message));
  const wide = multiplyQ({ q: 2 ** 31 - 1, format: q16 }, { q: 2 ** 31 - 1, format: q16 }, q16, { overflow: 'wrap' });
  assert.equal(wide.exactQ, (2n ** 31n - 1n) ** 2n);
  assert.equal(wide.overflow, true);
});

test('add aligns binary points: Q4.4 + Q2.6 is exact in Q5.6', () => {
  const a = { q: 0b0011_1000, format: qFormat(4, 4) }; // 3.5
  const b = { q: 0b01_000001, format: qFormat(2, 6) }; // 1 + 1/64
  const sum = addQ(a, b);
  assert.equal(sum.format.name, 'Q5.6');
  assert.equal(sum.q, (3.5 + 1 + 1 / 64) * 64);
  assert.equal(sum.value, 4.515625);
  const difference = subtractQ({ q: 0, format: qFormat(4, 0, false) }, { q: 15, format: qFormat(4, 0, false) });
  assert.deepEqual([difference.format.name, difference.q], ['Q6.0', -15]); // unsigned − unsigned can be negative
});

const shapeArb = fc.record({ m: fc.integer({ min: 0, max: 8 }), n: fc.integer({ min: 0, max: 8 }), signed: fc.boolean() }).filter(({ m, n, signed }) => m + n >= 1 && (!signed || m >= 1));
const qArb = shapeArb.chain(({ m, n, signed }) => {
  const format = qFormat(m, n, signed);
  const half = 2 ** (format.bits - 1);
  return fc.integer({ min: signed ? -half : 0, max: signed ? half - 1 : 2 * half - 1 }).map((q) => ({ q, format }));
});

/** round(x · 2^shift) half to even, for shift of either sign: the result scale change by BigInt. */
function rescale(x: bigint, shift: number): bigint {
  if (shift >= 0) return x << BigInt(shift);
  const d = 1n << BigInt(-shift);
  let q = x / d;
  if (q * d > x) q -= 1n; // floor
  const twice = 2n * (x - q * d);
  return twice > d || (twice === d && q % 2n !== 0n) ? q + 1n : q;
}

function clamp(x: bigint, f: QFormat): bigint {
  const half = 2n ** BigInt(f.bits - 1);
  const [min, max] = f.signed ? [-half, half - 1n] : [0n, 2n * half - 1n];
  return x < min ? min : x > max ? max : x;
}

test('Qm.n add / multiply agree with exact BigInt arithmetic before the final rounding (property)', () => {
  fc.assert(
    fc.property(qArb, qArb, shapeArb, ({ q: qa, format: fa }, { q: qb, format: fb }, r) => {
      const target = qFormat(r.m, r.n, r.signed);
      const na = fa.fractionBits;
      const nb = fb.fractionBits;
      // product: integers multiply, fraction bits add
      const product = multiplyQ({ q: qa, format: fa }, { q: qb, format: fb }, target, { overflow: 'saturate' });
      const exactProduct = BigInt(qa) * BigInt(qb);
      assert.equal(product.exactQ, exactProduct);
      assert.equal(product.exactFormat.fractionBits, na + nb);
      assert.equal(product.exactFormat.integerBits, fa.integerBits + fb.integerBits);
      const productRounded = rescale(exactProduct, target.fractionBits - (na + nb));
      assert.equal(product.q, Number(clamp(productRounded, target)));
      assert.equal(product.overflow, clamp(productRounded, target) !== productRounded);
      // sum: align to the larger fraction count, then add
      const n = Math.max(na, nb);
      const exactSum = (BigInt(qa) << BigInt(n - na)) + (BigInt(qb) << BigInt(n - nb));
      const sum = addQ({ q: qa, format: fa }, { q: qb, format: fb }, target, { overflow: 'saturate' });
      assert.equal(sum.exactQ, exactSum);
      assert.equal(sum.exactFormat.fractionBits, n);
      const sumRounded = rescale(exactSum, target.fractionBits - n);
      assert.equal(sum.q, Number(clamp(sumRounded, target)));
      // the exact results fit their exact formats
      for (const [value, shape] of [[exactProduct, product.exactFormat], [exactSum, sum.exactFormat]] as const) {
        const bits = shape.integerBits + shape.fractionBits;
        const half = 2n ** BigInt(bits - 1);
        assert.ok(shape.signed ? value >= -half && value < half : value >= 0n && value < 2n * half, `${value} in ${shape.name}`);
      }
    }),
    { numRuns: 800 },
  );
});

test('bad formats throw RangeArgumentError naming the value', () => {
  for (const text of ['Q1.x', 'Q0.8', 'Q20.20', '', 'q1.15', '1.15']) {
    assert.throws(() => parseQFormat(text), (e) => e instanceof RangeArgumentError && e.message.includes(text.length ? text.slice(0, 2) : '""'));
  }
  assert.throws(() => qFormat(-1, 4, false), /-1/);
  assert.throws(() => qFormat(1.5, 4), /1\.5/);
  assert.throws(() => qFormat(1, NaN), /NaN/);
  assert.throws(() => qFormat(0, 0, false), RangeArgumentError);
  assert.throws(() => encodeQ(NaN, qFormat(1, 7)), /NaN/);
  assert.throws(() => addQ({ q: 0.5, format: qFormat(1, 7) }, { q: 0, format: qFormat(1, 7) }), /0\.5/);
});
