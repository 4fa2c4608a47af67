import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RangeArgumentError } from '../../src/errors.ts';
import {
  MINIFLOAT_FORMATS,
  decodeMinifloat,
  decodeMinifloatArray,
  encodeMinifloat,
  encodeMinifloatArray,
  roundToMinifloat,
  type MinifloatFormat,
} from '../../src/numeric/minifloat.ts';

// Format definitions written out independently of the library: field widths, bias, and which
// codes are NaN / infinite (IEEE 754 for float16/bfloat16; ONNX float8 docs for the rest).
interface Definition {
  bits: number;
  e: number;
  m: number;
  bias: number;
  isNaN: (code: number) => boolean;
  isInfinity: (code: number) => boolean;
}
const ieee = (bits: number, e: number, m: number, bias: number): Definition => {
  const magnitude = (code: number) => code % 2 ** (bits - 1);
  const inf = (2 ** e - 1) * 2 ** m;
  return { bits, e, m, bias, isNaN: (c) => magnitude(c) > inf, isInfinity: (c) => magnitude(c) === inf };
};
const DEFS: Record<MinifloatFormat, Definition> = {
  float16: ieee(16, 5, 10, 15),
  bfloat16: ieee(16, 8, 7, 127),
  float8e5m2: ieee(8, 5, 2, 15),
  float8e4m3fn: { bits: 8, e: 4, m: 3, bias: 7, isNaN: (c) => c === 0x7f || c === 0xff, isInfinity: () => false },
  float8e4m3fnuz: { bits: 8, e: 4, m: 3, bias: 8, isNaN: (c) => c === 0x80, isInfinity: () => false },
  float8e5m2fnuz: { bits: 8, e: 5, m: 2, bias: 16, isNaN: (c) => c === 0x80, isInfinity: () => false },
};
const FORMATS = Object.keys(DEFS) as MinifloatFormat[];

/** (−1)^s · 2^(e−bias) · (1 + m/2^M), or (−1)^s · 2^(1−bias) · (m/2^M) when e = 0. */
function definitionValue(d: Definition, code: number): number {
  if (d.isNaN(code)) return NaN;
  const s = code >= 2 ** (d.bits - 1) ? 1 : 0;
  const e = Math.floor(code / 2 ** d.m) % 2 ** d.e;
  const m = code % 2 ** d.m;
  if (d.isInfinity(code)) return s ? -Infinity : Infinity;
  const magnitude = e === 0 ? 2 ** (1 - d.bias) * (m / 2 ** d.m) : 2 ** (e - d.bias) * (1 + m / 2 ** d.m);
  return s ? -magnitude : magnitude;
}

const sameValue = (a: number, b: number) => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

// float32 neighbours, to probe just either side of a midpoint.
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
function nextAwayFromZero32(x: number): number {
  f32[0] = x;
  u32[0] += 1;
  return f32[0];
}
function nextTowardZero32(x: number): number {
  f32[0] = x;
  u32[0] -= 1;
  return f32[0];
}

test('decode: every code of every format equals the value from the format definition', () => {
  for (const format of FORMATS) {
    const d = DEFS[format];
    for (let code = 0; code < 2 ** d.bits; code++) {
      const got = decodeMinifloat(format, code);
      const want = definitionValue(d, code);
      if (!sameValue(got, want)) assert.fail(`${format} code 0x${code.toString(16)}: got ${got}, want ${want}`);
    }
  }
});

test('format constants match the published limits', () => {
  const published: Record<MinifloatFormat, [max: number, minSubnormal: number, minNormal: number, hasInf: boolean]> = {
    float16: [65504, 2 ** -24, 2 ** -14, true],
    bfloat16: [(2 - 2 ** -7) * 2 ** 127, 2 ** -133, 2 ** -126, true],
    float8e4m3fn: [448, 2 ** -9, 2 ** -6, false],
    float8e4m3fnuz: [240, 2 ** -10, 2 ** -7, false],
    float8e5m2: [57344, 2 ** -16, 2 ** -14, true],
    float8e5m2fnuz: [57344, 2 ** -17, 2 ** -15, false],
  };
  for (const format of FORMATS) {
    const f = MINIFLOAT_FORMATS[format];
    const [max, minSub, minNormal, hasInf] = published[format];
    assert.deepEqual([f.maxFinite, f.minSubnormal, f.minNormal, f.hasInfinity], [max, minSub, minNormal, hasInf], format);
    assert.equal(decodeMinifloat(format, f.maxFiniteCode), max, format);
    assert.ok(Number.isNaN(decodeMinifloat(format, f.nanCode)), format);
    assert.equal(f.hasNegativeZero, !format.endsWith('fnuz'), format);
  }
});

test('round trip: encode(decode(code)) is the code for every non-NaN code', () => {
  for (const format of FORMATS) {
    const d = DEFS[format];
    for (let code = 0; code < 2 ** d.bits; code++) {
      if (d.isNaN(code)) continue;
      // saturate = false so that e5m2's infinities encode as infinities.
      const back = encodeMinifloat(format, decodeMinifloat(format, code), false);
      if (back !== code) assert.fail(`${format} code 0x${code.toString(16)} came back as 0x${back.toString(16)}`);
    }
  }
});

test('midpoints between neighbouring codes round to the even code; either side rounds to the nearer', () => {
  for (const format of FORMATS) {
    const d = DEFS[format];
    const signBit = 2 ** (d.bits - 1);
    const maxCode = MINIFLOAT_FORMATS[format].maxFiniteCode;
    for (let low = 0; low < maxCode; low++) {
      const a = definitionValue(d, low);
      const b = definitionValue(d, low + 1);
      const mid = (a + b) / 2; // exact, and a float32 (one more significant bit than the format)
      assert.equal(Math.fround(mid), mid);
      const even = low % 2 === 0 ? low : low + 1; // the mantissa's last bit is the code's last bit
      const cases: [number, number][] = [
        [mid, even],
        [nextTowardZero32(mid), low],
        [nextAwayFromZero32(mid), low + 1],
      ];
      for (const [x, want] of cases) {
        const got = encodeMinifloat(format, x);
        if (got !== want) assert.fail(`${format}: ${x} → 0x${got.toString(16)}, want 0x${want.toString(16)}`);
        // The negative side mirrors it; a negative value rounding to 0 is +0 where −0 does not exist.
        const wantNegative = want === 0 && format.endsWith('fnuz') ? 0 : signBit + want;
        const gotNegative = encodeMinifloat(format, -x);
        if (gotNegative !== wantNegative) assert.fail(`${format}: ${-x} → 0x${gotNegative.toString(16)}, want 0x${wantNegative.toString(16)}`);
      }
    }
  }
});

test('roundToMinifloat returns a value of the format no farther than its code neighbours (property)', () => {
  for (const format of FORMATS) {
    const f = MINIFLOAT_FORMATS[format];
    const d = DEFS[format];
    fc.assert(
      fc.property(fc.float({ min: Math.fround(-f.maxFinite), max: Math.fround(f.maxFinite), noNaN: true }), (x) => {
        const code = encodeMinifloat(format, x);
        const r = roundToMinifloat(format, x);
        assert.ok(sameValue(r, definitionValue(d, code)));
        const magnitude = code % 2 ** (d.bits - 1);
        for (const neighbour of [magnitude - 1, magnitude + 1]) {
          if (neighbour < 0 || neighbour > f.maxFiniteCode) continue;
          const v = Math.sign(x) * definitionValue(d, neighbour);
          assert.ok(Math.abs(x - r) <= Math.abs(x - v), `${format}: ${x} → ${r}, but ${v} is nearer`);
        }
      }),
      { numRuns: 300, endOnFailure: true }, // shrinking floats is slow and adds little here
    );
  }
});

test('float8 overflow: saturate=true clamps to ±max (also ±Infinity), saturate=false gives NaN or ±Infinity', () => {
  // [format, largest input that still rounds to max, smallest that overflows]: max + half an ulp
  // ties to even (down for 448 = 1.110b·2^8, up for 57344 = 1.11b·2^15 and 240 = 1.111b·2^7).
  const cases: [MinifloatFormat, number, number, number][] = [
    ['float8e4m3fn', 448, 464, 465],
    ['float8e4m3fnuz', 240, 247.99998474121094, 248],
    ['float8e5m2', 57344, 61439.99609375, 61440],
    ['float8e5m2fnuz', 57344, 61439.99609375, 61440],
  ];
  for (const [format, max, fits, overflows] of cases) {
    const f = MINIFLOAT_FORMATS[format];
    assert.equal(roundToMinifloat(format, fits, false), max, `${format} ${fits}`);
    assert.equal(roundToMinifloat(format, -fits, false), -max, `${format} ${-fits}`);
    for (const x of [overflows, 1e6, Infinity]) {
      assert.equal(roundToMinifloat(format, x, true), max, `${format} ${x} saturate`);
      assert.equal(roundToMinifloat(format, -x), -max, `${format} ${-x} saturate (default)`);
      const expected = format === 'float8e5m2' ? Infinity : NaN;
      assert.ok(sameValue(roundToMinifloat(format, x, false), expected), `${format} ${x} no saturate`);
      assert.ok(sameValue(roundToMinifloat(format, -x, false), -expected), `${format} ${-x} no saturate`);
    }
    if (format === 'float8e5m2') {
      assert.equal(encodeMinifloat(format, Infinity, false), 0x7c);
      assert.equal(encodeMinifloat(format, -Infinity, false), 0xfc);
    }
    if (format.endsWith('fnuz')) assert.equal(encodeMinifloat(format, -Infinity, false), 0x80);
    assert.equal(f.infinityCode === null, format !== 'float8e5m2');
  }
});

test('float16 and bfloat16 overflow to ±Infinity whatever saturate says (IEEE)', () => {
  assert.equal(roundToMinifloat('float16', 65519), 65504); // below 65504 + 16 (half ulp)
  assert.equal(roundToMinifloat('float16', 65520, true), Infinity); // tie goes to the even "2^16"
  assert.equal(roundToMinifloat('float16', -1e6, true), -Infinity);
  assert.equal(encodeMinifloat('float16', Infinity), 0x7c00);
  assert.equal(encodeMinifloat('float16', -Infinity), 0xfc00);
  assert.equal(encodeMinifloat('bfloat16', 3.4e38), 0x7f80);
  assert.equal(encodeMinifloat('bfloat16', -Infinity), 0xff80);
  assert.equal(roundToMinifloat('bfloat16', 2 ** 127 * (2 - 2 ** -8) - 2 ** 110), MINIFLOAT_FORMATS.bfloat16.maxFinite);
});

test('NaN encodes to a NaN code; ±0 keeps its sign except in fnuz formats', () => {
  for (const format of FORMATS) {
    const d = DEFS[format];
    assert.ok(d.isNaN(encodeMinifloat(format, NaN)), format);
    assert.ok(d.isNaN(encodeMinifloat(format, NaN, false)), format);
    assert.ok(Number.isNaN(roundToMinifloat(format, NaN)), format);
    assert.equal(encodeMinifloat(format, 0), 0, format);
    const negativeZero = format.endsWith('fnuz') ? 0 : 2 ** (d.bits - 1);
    assert.equal(encodeMinifloat(format, -0), negativeZero, format);
    // A negative value too small for the format underflows to (−)0 as well.
    assert.equal(encodeMinifloat(format, -MINIFLOAT_FORMATS[format].minSubnormal / 4), negativeZero, format);
  }
  assert.ok(Object.is(roundToMinifloat('float8e4m3fn', -0), -0));
  assert.ok(Object.is(roundToMinifloat('float8e4m3fnuz', -0), 0));
});

test('agrees with the ONNX backend test data (QuantizeLinear to float8, Cast float32 → float16/bfloat16)', () => {
  // test_quantizelinear_e4m3fn / _e5m2: x = [0, 1, 2, 100000, 200], scale 2, zero point 0.
  const x = [0, 1, 2, 100000, 200].map((v) => v / 2);
  assert.deepEqual([...encodeMinifloatArray('float8e4m3fn', x)], [0, 48, 56, 126, 108]);
  assert.deepEqual([...encodeMinifloatArray('float8e5m2', x)], [0, 56, 60, 122, 86]);
  // test_cast_FLOAT_to_FLOAT16 / _to_BFLOAT16: float32 bits → expected code.
  const cast: [number, number, number][] = [
    [0x3ef535b8, 0x37aa, 0x3ef5],
    [0x3ef5eeb0, 0x37af, 0x3ef6],
    [0x3effd6b2, 0x37ff, 0x3f00],
    [0x3f51b0e5, 0x3a8e, 0x3f52],
    [0x3ef0cccc, 0x3786, 0x3ef1],
    [0x3e57eed1, 0x32bf, 0x3e58],
    [0x7f800000, 0x7c00, 0x7f80],
    [0xff800000, 0xfc00, 0xff80],
  ];
  for (const [bits, half, brain] of cast) {
    u32[0] = bits;
    assert.equal(encodeMinifloat('float16', f32[0]), half, `float16 of 0x${bits.toString(16)}`);
    assert.equal(encodeMinifloat('bfloat16', f32[0]), brain, `bfloat16 of 0x${bits.toString(16)}`);
  }
});

test('values are rounded to float32 first, as ONNX does (double rounding)', () => {
  // 1 + 2^-11 + 2^-40 rounds (float32) to 1 + 2^-11, a float16 tie that goes to even: 1.
  assert.equal(roundToMinifloat('float16', 1 + 2 ** -11 + 2 ** -40), 1);
  assert.equal(roundToMinifloat('float16', 1 + 2 ** -11 + 2 ** -20), 1 + 2 ** -10);
});

test('array encode/decode agree with the scalar functions', () => {
  for (const format of FORMATS) {
    const bits = DEFS[format].bits;
    const codes = bits === 8 ? new Uint8Array(256).map((_, i) => i) : new Uint16Array(65536).map((_, i) => i);
    const values = decodeMinifloatArray(format, codes);
    assert.equal(values.length, codes.length);
    for (let i = 0; i < codes.length; i++) {
      if (!sameValue(values[i], decodeMinifloat(format, i))) assert.fail(`${format} code ${i}`);
    }
    const out = new Float32Array(codes.length);
    assert.equal(decodeMinifloatArray(format, codes, out), out);
    const encoded = encodeMinifloatArray(format, [1.3, -7, 1e9, -1e-9, NaN], false);
    assert.ok(bits === 8 ? encoded instanceof Uint8Array : encoded instanceof Uint16Array, format);
    assert.deepEqual([...encoded], [1.3, -7, 1e9, -1e-9, NaN].map((v) => encodeMinifloat(format, v, false)), format);
    // float32 input is read through a bit view, also from an offset into a larger buffer
    const float32 = new Float32Array([0, 1.3, -7, 1e9, -1e-9, NaN]).subarray(1);
    assert.deepEqual([...encodeMinifloatArray(format, float32, false)], [...encoded], format);
  }
});

test('bad input throws RangeArgumentError naming the value', () => {
  assert.throws(() => decodeMinifloat('float8e4m3fn', 256), (e) => e instanceof RangeArgumentError && /256/.test(e.message));
  assert.throws(() => decodeMinifloat('float16', -1), RangeArgumentError);
  assert.throws(() => decodeMinifloat('float16', 1.5), /1\.5/);
  assert.throws(() => decodeMinifloat('bfloat16', NaN), /NaN/);
  assert.throws(() => decodeMinifloat('float7' as MinifloatFormat, 0), (e) => e instanceof RangeArgumentError && /float7/.test(e.message));
  assert.throws(() => encodeMinifloat('float8e5m2', '1' as unknown as number), RangeArgumentError);
  assert.throws(() => decodeMinifloatArray('float16', new Uint8Array(2)), /Uint16Array/);
  assert.throws(() => decodeMinifloatArray('float8e5m2', new Uint16Array(2)), /Uint8Array/);
  assert.throws(() => decodeMinifloatArray('float8e5m2', new Uint8Array(2), new Float32Array(3)), /length 3/);
});
