import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { OverflowError, RangeArgumentError } from '../../src/errors.ts';
import {
  addInt,
  decodeInt,
  encodeInt,
  intRange,
  intTable,
  multiplyInt,
  overflows,
  saturateInt,
  subtractInt,
  toBitString,
  toHex,
  twosComplementNegate,
  wrapInt,
  type IntFormat,
} from '../../src/numeric/integer.ts';

const u32: IntFormat = { bits: 32, signed: false };
const i4: IntFormat = { bits: 4, signed: true };

test('lecture: unsigned 32-bit table 0x00000000…0x00000009 and 0xFFFFFFFC…0xFFFFFFFF', () => {
  const low = intTable(u32, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const lectureLowBits = ['0000', '0001', '0010', '0011', '0100', '0101', '0110', '0111', '1000', '1001'];
  low.forEach((row, i) => {
    assert.equal(row.value, i);
    assert.equal(row.hex, `0x0000000${i}`);
    assert.equal(row.bits, '0'.repeat(28) + lectureLowBits[i]); // the lecture's "0...0000"
  });
  // 2^32 − 4 … 2^32 − 1, written 1...1100 … 1...1111
  const high = intTable(u32, [2 ** 32 - 4, 2 ** 32 - 3, 2 ** 32 - 2, 2 ** 32 - 1]);
  assert.deepEqual(
    high.map((r) => [r.hex, r.bits]),
    [
      ['0xFFFFFFFC', '1'.repeat(28) + '1100'],
      ['0xFFFFFFFD', '1'.repeat(28) + '1101'],
      ['0xFFFFFFFE', '1'.repeat(28) + '1110'],
      ['0xFFFFFFFF', '1'.repeat(28) + '1111'],
    ],
  );
  assert.deepEqual(intRange(32, false), { min: 0, max: 4294967295 });
  // bit weights 2^31 … 2^0: the pattern 1000…0 is 2^31.
  assert.equal(decodeInt(0x80000000, u32), 2 ** 31);
});

test('lecture: the 4-bit two’s complement table −8 (1000) … 7 (0111)', () => {
  const lecture: [number, string][] = [
    [-8, '1000'], [-7, '1001'], [-6, '1010'], [-5, '1011'], [-4, '1100'], [-3, '1101'], [-2, '1110'], [-1, '1111'],
    [0, '0000'], [1, '0001'], [2, '0010'], [3, '0011'], [4, '0100'], [5, '0101'], [6, '0110'], [7, '0111'],
  ];
  assert.deepEqual(intTable(i4).map((r) => [r.value, r.bits]), lecture);
  assert.deepEqual(intRange(4, true), { min: -(2 ** 3), max: 2 ** 3 - 1 }); // −2^3 and 2^3 − 1, as labelled
  for (const [value, bits] of lecture) assert.equal(decodeInt(parseInt(bits, 2), i4), value);
});

test('lecture: negation by "complement all the bits, and add a 1"', () => {
  const five = twosComplementNegate(5, i4);
  assert.deepEqual(five.steps.map((s) => [s.step, s.bits]), [
    ['start', '0101'],
    ['complement all the bits', '1010'],
    ['and add a 1', '1011'],
  ]);
  assert.equal(five.result, -5);
  assert.equal(five.overflow, false);
  const six = twosComplementNegate(6, i4);
  assert.deepEqual(six.steps.map((s) => s.bits), ['0110', '1001', '1010']);
  assert.equal(six.result, -6);
  // and back: −5 = 1011 → 0100 → 0101 = 5
  assert.deepEqual(twosComplementNegate(-5, i4).steps.map((s) => s.bits), ['1011', '0100', '0101']);
  // −8 has no positive counterpart in 4 bits: 1000 → 0111 → 1000.
  const minimum = twosComplementNegate(-8, i4);
  assert.equal(minimum.result, -8);
  assert.equal(minimum.overflow, true);
});

test('bit strings and hex: examples, widths and grouping', () => {
  assert.equal(toBitString(-5, i4), '1011');
  assert.equal(toHex(-4, { bits: 32, signed: true }), '0xFFFFFFFC');
  assert.equal(toHex(-1, { bits: 12, signed: true }), '0xFFF');
  assert.equal(toHex(1, { bits: 5, signed: false }), '0x01');
  assert.equal(toBitString(5, { bits: 8, signed: false }, { group: 4 }), '0000 0101');
  assert.equal(toBitString(-(2 ** 31), { bits: 32, signed: true }, { group: 8, separator: '_' }), '10000000_00000000_00000000_00000000');
  assert.equal(toBitString(-1, { bits: 6, signed: true }, { group: 4 }), '11 1111');
  assert.equal(toBitString(1, { bits: 1, signed: false }), '1');
  assert.equal(toBitString(-1, { bits: 1, signed: true }), '1'); // 1-bit two's complement holds −1 and 0
});

const formatArb = fc.record({ bits: fc.integer({ min: 1, max: 32 }), signed: fc.boolean() });
const bigRange = (f: IntFormat) => (f.signed ? [-(2n ** BigInt(f.bits - 1)), 2n ** BigInt(f.bits - 1) - 1n] : [0n, 2n ** BigInt(f.bits) - 1n]);

test('encode/decode round trip for every width 1–32, both signednesses (property)', () => {
  for (let bits = 1; bits <= 32; bits++) {
    for (const signed of [false, true]) {
      const f = { bits, signed };
      const [min, max] = bigRange(f).map(Number);
      for (const v of [min, max, 0, min + 1, max - 1].filter((x) => x >= min && x <= max)) {
        assert.equal(decodeInt(encodeInt(v, f), f), v, `${bits} ${signed} ${v}`);
      }
      fc.assert(
        fc.property(fc.integer({ min, max }), (v) => {
          const code = encodeInt(v, f);
          assert.ok(Number.isInteger(code) && code >= 0 && code < 2 ** bits);
          assert.equal(code, Number(BigInt.asUintN(bits, BigInt(v)))); // the pattern, by BigInt
          assert.equal(decodeInt(code, f), v);
        }),
        { numRuns: 25 },
      );
    }
  }
});

test('wrapInt agrees with BigInt modular arithmetic (property)', () => {
  fc.assert(
    fc.property(formatArb, fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }), (f, v) => {
      const big = f.signed ? BigInt.asIntN(f.bits, BigInt(v)) : BigInt.asUintN(f.bits, BigInt(v));
      assert.equal(wrapInt(v, f), Number(big));
    }),
    { numRuns: 1000 },
  );
  assert.equal(wrapInt(2 ** 60 + 2 ** 33 + 2 ** 20, { bits: 32, signed: true }), 2 ** 20); // exact beyond 2^53 too
  assert.equal(wrapInt(8, i4), -8);
  assert.ok(Object.is(wrapInt(-16, i4), 0));
});

test('saturateInt is monotonic and idempotent, and lands in range (property)', () => {
  fc.assert(
    fc.property(formatArb, fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), (f, a, b) => {
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      const s = saturateInt(lo, f);
      assert.ok(s <= saturateInt(hi, f));
      assert.equal(saturateInt(s, f), s);
      const [min, max] = bigRange(f).map(Number);
      assert.ok(s >= min && s <= max);
      assert.equal(s === lo, !overflows(lo, f));
    }),
    { numRuns: 500 },
  );
});

test('add/subtract/multiply: exact result checked against BigInt, wrapped or saturated with an overflow flag (property)', () => {
  const cases = fc.tuple(formatArb, fc.nat(), fc.nat()).map(([f, x, y]) => {
    const [min, max] = bigRange(f);
    const span = max - min + 1n;
    return { f, a: Number(min + (BigInt(x) % span)), b: Number(min + (BigInt(y * 7919) % span)) };
  });
  const ops = [
    [addInt, (a: bigint, b: bigint) => a + b],
    [subtractInt, (a: bigint, b: bigint) => a - b],
    [multiplyInt, (a: bigint, b: bigint) => a * b],
  ] as const;
  fc.assert(
    fc.property(cases, ({ f, a, b }) => {
      const [min, max] = bigRange(f);
      for (const [op, exactOp] of ops) {
        const exact = exactOp(BigInt(a), BigInt(b));
        const out = exact < min || exact > max;
        const wrapped = op(a, b, f);
        assert.equal(wrapped.overflow, out);
        assert.equal(wrapped.value, Number(f.signed ? BigInt.asIntN(f.bits, exact) : BigInt.asUintN(f.bits, exact)));
        const saturated = op(a, b, f, 'saturate');
        assert.equal(saturated.value, Number(exact < min ? min : exact > max ? max : exact));
        if (out) assert.throws(() => op(a, b, f, 'error'), OverflowError);
        else assert.equal(op(a, b, f, 'error').value, Number(exact));
      }
    }),
    { numRuns: 1000 },
  );
  // The product beyond 2^53: (2^31 − 1)² wraps to 1 in int32.
  assert.deepEqual(multiplyInt(2 ** 31 - 1, 2 ** 31 - 1, { bits: 32, signed: true }), { value: 1, overflow: true });
  assert.deepEqual(multiplyInt(-(2 ** 31), -(2 ** 31), { bits: 32, signed: true }, 'saturate'), { value: 2 ** 31 - 1, overflow: true });
  assert.deepEqual(addInt(7, 1, i4), { value: -8, overflow: true });
});

test('encodeInt overflow modes', () => {
  assert.equal(encodeInt(9, i4, 'wrap'), 9); // 9 ≡ −7, pattern 1001
  assert.equal(encodeInt(9, i4, 'saturate'), 7);
  assert.equal(encodeInt(-9, i4, 'saturate'), 8); // −8 = 1000
  assert.throws(() => encodeInt(9, i4), (e) => e instanceof OverflowError && /9/.test(e.message) && /\[-8, 7\]/.test(e.message));
  assert.equal(encodeInt(256, { bits: 8, signed: false }, 'wrap'), 0);
});

test('bad input throws RangeArgumentError naming the value', () => {
  for (const bits of [0, 33, 4.5, NaN]) assert.throws(() => intRange(bits, true), (e) => e instanceof RangeArgumentError && e.message.includes(String(bits)));
  for (const v of [NaN, Infinity, -Infinity, 1.5]) {
    assert.throws(() => encodeInt(v, i4), (e) => e instanceof RangeArgumentError && e.message.includes(String(v)));
    assert.throws(() => wrapInt(v, i4), RangeArgumentError);
    assert.throws(() => saturateInt(v, i4), RangeArgumentError);
  }
  assert.throws(() => decodeInt(16, i4), /16/);
  assert.throws(() => decodeInt(-1, i4), RangeArgumentError);
  assert.throws(() => decodeInt(2.5, i4), /2\.5/);
  assert.throws(() => addInt(8, 0, i4), (e) => e instanceof RangeArgumentError && /8/.test(e.message));
  assert.throws(() => encodeInt(1, { bits: 4, signed: 'yes' as unknown as boolean }), RangeArgumentError);
  assert.throws(() => encodeInt(1, i4, 'clamp' as 'wrap'), /clamp/);
  assert.throws(() => intTable({ bits: 17, signed: false }), RangeArgumentError);
  assert.throws(() => toBitString(1, i4, { group: 0 }), RangeArgumentError);
});
