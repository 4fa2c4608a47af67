/**
 * Narrow floating-point formats ("minifloats") as ONNX defines them: IEEE binary16, bfloat16 and
 * the four float8 types of ONNX Cast / QuantizeLinear (opset 19+).
 *
 * A code is the format's bit pattern read as an unsigned integer: sign | exponent | mantissa.
 * Its value is (−1)^s · 2^(e − bias) · (1 + m / 2^M) for a biased exponent e ≥ 1, and
 * (−1)^s · 2^(1 − bias) · (m / 2^M) for e = 0 (subnormals), except for the special codes:
 *
 * | format          | E | M | bias | NaN codes                 | infinities   | −0   | max finite |
 * |-----------------|---|---|------|---------------------------|--------------|------|------------|
 * | float16         | 5 | 10| 15   | e = 31, m ≠ 0             | e = 31, m = 0| yes  | 65504      |
 * | bfloat16        | 8 | 7 | 127  | e = 255, m ≠ 0            | e = 255, m=0 | yes  | ≈3.39e38   |
 * | float8e4m3fn    | 4 | 3 | 7    | S.1111.111 (0x7F, 0xFF)   | none         | yes  | 448        |
 * | float8e4m3fnuz  | 4 | 3 | 8    | 0x80 only ("−0")          | none         | no   | 240        |
 * | float8e5m2      | 5 | 2 | 15   | e = 31, m ≠ 0             | e = 31, m = 0| yes  | 57344      |
 * | float8e5m2fnuz  | 5 | 2 | 16   | 0x80 only ("−0")          | none         | no   | 57344      |
 *
 * Encoding rounds to nearest, ties to even, from the float32 value of the input (ONNX tensors
 * hold float32, and the ONNX reference converts from float32 bits): a float64 input is first
 * rounded to float32, so rare double-rounding cases match ONNX rather than a direct float64
 * conversion. Overflow means the rounded magnitude exceeds the largest finite value:
 * - float16, bfloat16: ±Infinity (IEEE); `saturate` does not apply to them.
 * - float8, saturate = true (the ONNX default): ±max finite, also for ±Infinity inputs.
 * - float8, saturate = false: ±Infinity for e5m2, NaN for the formats without infinities.
 * NaN encodes as the format's NaN. −0 encodes as −0 where it exists and as +0 in the fnuz
 * formats (where the −0 pattern is NaN), as does any negative value that rounds to zero there.
 *
 * On ±Infinity with saturate = true in the fnuz formats, the Cast table of Operators.md reads
 * "NaN" while the ONNX reference implementation (and np.clip before the cast in its newer
 * versions) gives ±max finite; we follow the reference, which is what conformance data comes from.
 */
import { RangeArgumentError } from '../errors.ts';
import { requireIntegerIn, show } from './validate.ts';

export type MinifloatFormat = 'float16' | 'bfloat16' | 'float8e4m3fn' | 'float8e4m3fnuz' | 'float8e5m2' | 'float8e5m2fnuz';

/**
 * How a format spends its special codes. 'ieee': the top exponent holds ±Infinity (m = 0) and
 * NaN (m ≠ 0). 'fn' (finite, NaN): no infinities, only all-ones exponent and mantissa is NaN.
 * 'fnuz' (finite, NaN, unsigned zero): no infinities, no −0, and its pattern 0x80 is the NaN.
 */
export type SpecialEncoding = 'ieee' | 'fn' | 'fnuz';

export interface MinifloatSpec {
  readonly bits: 8 | 16;
  readonly exponentBits: number;
  readonly mantissaBits: number;
  readonly bias: number;
  readonly specials: SpecialEncoding;
  readonly hasInfinity: boolean;
  readonly hasNegativeZero: boolean;
  readonly maxFinite: number;
  /** Smallest positive normal value, 2^(1 − bias). */
  readonly minNormal: number;
  /** Smallest positive subnormal value, 2^(1 − bias − M). */
  readonly minSubnormal: number;
  /** Code of +maxFinite (the largest finite magnitude code). */
  readonly maxFiniteCode: number;
  /** The NaN code the encoder produces. */
  readonly nanCode: number;
  /** Code of +Infinity, or null when the format has none. */
  readonly infinityCode: number | null;
}

function spec(bits: 8 | 16, exponentBits: number, mantissaBits: number, bias: number, specials: SpecialEncoding, nanCode: number): MinifloatSpec {
  const exponentAllOnes = 2 ** exponentBits - 1;
  // The largest biased exponent that holds finite values, and the largest mantissa there.
  const topExponent = specials === 'ieee' ? exponentAllOnes - 1 : exponentAllOnes;
  const topMantissa = specials === 'fn' ? 2 ** mantissaBits - 2 : 2 ** mantissaBits - 1;
  return {
    bits,
    exponentBits,
    mantissaBits,
    bias,
    specials,
    hasInfinity: specials === 'ieee',
    hasNegativeZero: specials !== 'fnuz',
    maxFinite: (1 + topMantissa / 2 ** mantissaBits) * 2 ** (topExponent - bias),
    minNormal: 2 ** (1 - bias),
    minSubnormal: 2 ** (1 - bias - mantissaBits),
    maxFiniteCode: topExponent * 2 ** mantissaBits + topMantissa,
    nanCode,
    infinityCode: specials === 'ieee' ? exponentAllOnes * 2 ** mantissaBits : null,
  };
}

/** Parameters of each format (NaN codes as produced by the ONNX reference for positive input). */
export const MINIFLOAT_FORMATS: Readonly<Record<MinifloatFormat, MinifloatSpec>> = {
  float16: spec(16, 5, 10, 15, 'ieee', 0x7e00),
  bfloat16: spec(16, 8, 7, 127, 'ieee', 0x7fc0),
  float8e4m3fn: spec(8, 4, 3, 7, 'fn', 0x7f),
  float8e4m3fnuz: spec(8, 4, 3, 8, 'fnuz', 0x80),
  float8e5m2: spec(8, 5, 2, 15, 'ieee', 0x7f),
  float8e5m2fnuz: spec(8, 5, 2, 16, 'fnuz', 0x80),
};

function formatSpec(format: MinifloatFormat, where: string): MinifloatSpec {
  if (!Object.hasOwn(MINIFLOAT_FORMATS, format)) {
    throw new RangeArgumentError(`${where}: unknown minifloat format ${show(format)}`);
  }
  return MINIFLOAT_FORMATS[format];
}

// ---- decoding ---------------------------------------------------------------------------------

/** The value of one code, straight from the definition (used to build the lookup tables). */
function decodeFromFields(f: MinifloatSpec, code: number): number {
  const signBit = 2 ** (f.bits - 1);
  const negative = code >= signBit;
  const magnitude = negative ? code - signBit : code;
  if (isNaNCode(f, code, magnitude)) return NaN;
  if (magnitude === f.infinityCode) return negative ? -Infinity : Infinity;
  const unit = 2 ** f.mantissaBits;
  const exponent = Math.floor(magnitude / unit);
  const mantissa = magnitude % unit;
  const value = exponent === 0 ? mantissa * f.minSubnormal : (unit + mantissa) * 2 ** (exponent - f.bias - f.mantissaBits);
  return negative ? -value : value;
}

function isNaNCode(f: MinifloatSpec, code: number, magnitude: number): boolean {
  switch (f.specials) {
    case 'ieee':
      return magnitude > (f.infinityCode as number);
    case 'fn':
      return magnitude === 2 ** (f.bits - 1) - 1;
    case 'fnuz':
      return code === 2 ** (f.bits - 1);
  }
}

// Lookup tables (value of every code) for the 8-bit formats and float16, built on first use:
// 1 KiB per float8 format, 256 KiB for float16. bfloat16 decodes by a shift instead.
const decodeTables = new Map<MinifloatFormat, Float32Array>();

function decodeTable(format: MinifloatFormat, f: MinifloatSpec): Float32Array {
  let table = decodeTables.get(format);
  if (table === undefined) {
    table = new Float32Array(2 ** f.bits);
    for (let code = 0; code < table.length; code++) table[code] = decodeFromFields(f, code);
    decodeTables.set(format, table);
  }
  return table;
}

const scratchFloat = new Float32Array(1);
const scratchBits = new Uint32Array(scratchFloat.buffer);

/**
 * The value of a code: (−1)^s · 2^(e − bias) · (1 + m/2^M), subnormals, ±Infinity and NaN as the
 * format defines them (see the module table). Throws RangeArgumentError unless `code` is an
 * integer in [0, 2^bits).
 */
export function decodeMinifloat(format: MinifloatFormat, code: number): number {
  const f = formatSpec(format, 'decodeMinifloat(format)');
  requireIntegerIn(code, 0, 2 ** f.bits - 1, `decodeMinifloat(code) for ${format}`);
  if (format === 'bfloat16') {
    // bfloat16 is the top half of a float32.
    scratchBits[0] = code * 65536;
    return scratchFloat[0];
  }
  return decodeTable(format, f)[code];
}

/**
 * Decodes an array of codes into float32 values (exact: every minifloat value is a float32).
 * `codes` must be a Uint8Array for the float8 formats and a Uint16Array for float16/bfloat16;
 * `out`, when given, must have the same length and is returned.
 */
export function decodeMinifloatArray(format: MinifloatFormat, codes: Uint8Array | Uint16Array, out?: Float32Array): Float32Array {
  const f = formatSpec(format, 'decodeMinifloatArray(format)');
  const expected = f.bits === 8 ? Uint8Array : Uint16Array;
  if (!(codes instanceof expected)) {
    throw new RangeArgumentError(`decodeMinifloatArray(codes): ${format} codes must be a ${expected.name}, got ${codes?.constructor?.name ?? show(codes)}`);
  }
  const result = out ?? new Float32Array(codes.length);
  if (result.length !== codes.length) {
    throw new RangeArgumentError(`decodeMinifloatArray(out): length ${result.length} differs from codes length ${codes.length}`);
  }
  if (format === 'bfloat16') {
    const words = new Uint32Array(result.buffer, result.byteOffset, result.length);
    for (let i = 0; i < codes.length; i++) words[i] = codes[i] << 16; // stored mod 2^32
    return result;
  }
  const table = decodeTable(format, f);
  for (let i = 0; i < codes.length; i++) result[i] = table[codes[i]];
  return result;
}

// ---- encoding ---------------------------------------------------------------------------------

/** round(significand / 2^shift), ties to even. significand < 2^24 and shift ≥ 13: int32 bit operations are exact. */
function shiftRightHalfEven(significand: number, shift: number): number {
  if (shift > 24) return 0; // below half a unit
  const kept = significand >>> shift;
  const rest = significand & ((1 << shift) - 1);
  const half = 1 << (shift - 1);
  return rest > half || (rest === half && (kept & 1) === 1) ? kept + 1 : kept;
}

/** float32 bits (as an unsigned integer) → code, for float16 and the float8 formats. */
function encodeFloat32Bits(f: MinifloatSpec, bits: number, saturate: boolean): number {
  const negative = bits >= 0x80000000;
  const exponent32 = (bits >>> 23) & 0xff;
  const fraction32 = bits & 0x7fffff;
  if (exponent32 === 0xff && fraction32 !== 0) return f.nanCode;
  let magnitude: number; // the rounded magnitude as a code (codes grow with magnitude)
  if (exponent32 === 0xff) {
    magnitude = Infinity;
  } else if (exponent32 === 0) {
    magnitude = 0; // ±0 and float32 subnormals: < 2^-126, far below half of any minSubnormal here
  } else {
    const k = exponent32 - 127; // x = significand · 2^(k − 23)
    const significand = fraction32 | 0x800000;
    const minExponent = 1 - f.bias;
    const m = f.mantissaBits;
    magnitude =
      k >= minExponent
        ? ((k - minExponent) << m) + shiftRightHalfEven(significand, 23 - m) // a carry into 2^(m+1) bumps the exponent field
        : shiftRightHalfEven(significand, 23 - m + (minExponent - k)); // subnormal (2^m is the smallest normal)
  }
  if (magnitude > f.maxFiniteCode) return overflowCode(f, negative, saturate);
  if (magnitude === 0 && !f.hasNegativeZero) return 0;
  return negative ? (f.bits === 8 ? 0x80 : 0x8000) + magnitude : magnitude;
}

function overflowCode(f: MinifloatSpec, negative: boolean, saturate: boolean): number {
  const sign = negative ? 2 ** (f.bits - 1) : 0;
  // ONNX's saturate applies to float8 targets only; float16/bfloat16 overflow to ±Infinity.
  if (saturate && f.bits === 8) return sign + f.maxFiniteCode;
  if (f.infinityCode !== null) return sign + f.infinityCode;
  return f.specials === 'fn' ? sign + f.nanCode : f.nanCode;
}

/** float32 bits → bfloat16 code: keep the top 16 bits, rounding the dropped 16 to nearest even. */
function encodeBfloat16Bits(bits: number): number {
  if ((bits & 0x7fffffff) > 0x7f800000) return MINIFLOAT_FORMATS.bfloat16.nanCode;
  const lowestKept = Math.floor(bits / 65536) % 2;
  return Math.floor((bits + 0x7fff + lowestKept) / 65536); // a carry may reach ±Infinity, as IEEE does
}

function checkValue(value: number, where: string): void {
  if (typeof value !== 'number') throw new RangeArgumentError(`${where}: expected a number, got ${show(value)}`);
}

/**
 * The code of `value` rounded to nearest (ties to even) from its float32 value; overflow, NaN
 * and ±0 as described in the module comment. `saturate` (default true, as in ONNX) matters for
 * the float8 formats only.
 */
export function encodeMinifloat(format: MinifloatFormat, value: number, saturate = true): number {
  const f = formatSpec(format, 'encodeMinifloat(format)');
  checkValue(value, 'encodeMinifloat(value)');
  scratchFloat[0] = value;
  const bits = scratchBits[0];
  return format === 'bfloat16' ? encodeBfloat16Bits(bits) : encodeFloat32Bits(f, bits, saturate);
}

/** The nearest value of the format: decodeMinifloat(encodeMinifloat(value, saturate)). */
export function roundToMinifloat(format: MinifloatFormat, value: number, saturate = true): number {
  return decodeMinifloat(format, encodeMinifloat(format, value, saturate));
}

/**
 * Encodes every value as encodeMinifloat does: a Uint8Array of codes for the float8 formats,
 * a Uint16Array for float16/bfloat16.
 */
export function encodeMinifloatArray(format: MinifloatFormat, values: ArrayLike<number>, saturate = true): Uint8Array | Uint16Array {
  const f = formatSpec(format, 'encodeMinifloatArray(format)');
  const codes = f.bits === 8 ? new Uint8Array(values.length) : new Uint16Array(values.length);
  // float32 input is read through a bit view; anything else is rounded to float32 on the way.
  const bitsOf = values instanceof Float32Array ? new Uint32Array(values.buffer, values.byteOffset, values.length) : undefined;
  for (let i = 0; i < values.length; i++) {
    let bits: number;
    if (bitsOf !== undefined) {
      bits = bitsOf[i];
    } else {
      const value = values[i];
      if (typeof value !== 'number') checkValue(value, `encodeMinifloatArray(values[${i}])`);
      scratchFloat[0] = value;
      bits = scratchBits[0];
    }
    codes[i] = format === 'bfloat16' ? encodeBfloat16Bits(bits) : encodeFloat32Bits(f, bits, saturate);
  }
  return codes;
}
