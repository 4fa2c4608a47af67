/**
 * Power-of-two (logarithmic) quantization, docs/QUANTIZATION.md eq. (19): levels 0 and ±2^k for
 * k in [minExponent, maxExponent], so multiplying by a level is a shift. With b bits the signed
 * code is sign·(k − minExponent + 1) ∈ [−(2^(b−1) − 1), 2^(b−1) − 1] (0 codes zero), the unsigned
 * code k − minExponent + 1 ∈ [1, 2^b − 1] (negative inputs code 0).
 *
 * Nearest level: 'linear' minimises |x − level| (threshold 1.5·2^k between 2^k and 2^(k+1), ties
 * to the larger level); 'log' rounds log2|x| (threshold √2·2^k). Below the smallest level both use
 * the linear threshold 2^(minExponent − 1) to 0. Values above 2^maxExponent saturate to it.
 */
import { RangeArgumentError } from '../errors.ts';

export type PowerOfTwoDomain = 'linear' | 'log';

export interface PowerOfTwoQuantizer {
  readonly bits: number;
  readonly signed: boolean;
  readonly domain: PowerOfTwoDomain;
  readonly minExponent: number;
  readonly maxExponent: number;
}

export interface PowerOfTwoOptions {
  /** 2–8. */
  readonly bits: number;
  /** Default true. */
  readonly signed?: boolean;
  /** Default 'linear'. */
  readonly domain?: PowerOfTwoDomain;
}

/** Exponents below float32's normal range are not used (their levels are not float32 normals). */
const MIN_EXPONENT = -126;

/**
 * The quantizer whose largest level 2^maxExponent is `maxExponent`, with as many smaller
 * exponents as the codes allow (2^(b−1) − 1 signed, 2^b − 1 unsigned), none below 2^−126.
 */
export function powerOfTwoQuantizer(maxExponent: number, options: PowerOfTwoOptions): PowerOfTwoQuantizer {
  const { bits, signed = true, domain = 'linear' } = options;
  if (!Number.isInteger(bits) || bits < 2 || bits > 8) throw new RangeArgumentError(`power-of-two quantizer: bits ${bits} must be an integer in 2–8`);
  if (domain !== 'linear' && domain !== 'log') throw new RangeArgumentError(`power-of-two quantizer: domain ${JSON.stringify(domain)} is not 'linear' or 'log'`);
  if (!Number.isInteger(maxExponent) || maxExponent < MIN_EXPONENT || maxExponent > 127) {
    throw new RangeArgumentError(`power-of-two quantizer: maxExponent ${maxExponent} must be an integer in [${MIN_EXPONENT}, 127]`);
  }
  const exponents = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
  const minExponent = Math.max(maxExponent - exponents + 1, MIN_EXPONENT);
  return { bits, signed, domain, minExponent, maxExponent };
}

/** Fits the largest level to the data: maxExponent is the exponent of the level nearest max|x|. eq. (19) */
export function fitPowerOfTwo(data: Float32Array, options: PowerOfTwoOptions): PowerOfTwoQuantizer {
  let absMax = 0;
  for (let i = 0; i < data.length; i++) {
    const x = data[i];
    if (x - x !== 0) throw new RangeArgumentError(`fitPowerOfTwo: element ${i} is ${x}; only finite values can be quantized`);
    const a = options.signed === false ? x : Math.abs(x);
    if (a > absMax) absMax = a;
  }
  const k = absMax === 0 ? 0 : nearestExponent(absMax, options.domain ?? 'linear');
  return powerOfTwoQuantizer(Math.min(Math.max(k, MIN_EXPONENT), 127), options);
}

/** All levels, ascending (0 included; negatives only when signed). */
export function powerOfTwoLevels(q: PowerOfTwoQuantizer): Float32Array {
  const positive: number[] = [];
  for (let k = q.minExponent; k <= q.maxExponent; k++) positive.push(2 ** k);
  const negative = q.signed ? positive.map((v) => -v).reverse() : [];
  return Float32Array.from([...negative, 0, ...positive]);
}

/** Codes of the nearest levels (Int8Array when signed, Uint8Array otherwise). */
export function encodePowerOfTwo(data: Float32Array, q: PowerOfTwoQuantizer): Int8Array | Uint8Array {
  const out = q.signed ? new Int8Array(data.length) : new Uint8Array(data.length);
  const { minExponent, maxExponent, domain } = q;
  const zeroThreshold = 2 ** (minExponent - 1);
  for (let i = 0; i < data.length; i++) {
    const x = data[i];
    if (x - x !== 0) throw new RangeArgumentError(`encodePowerOfTwo: element ${i} is ${x}; only finite values can be quantized`);
    const a = Math.abs(x);
    if (a < zeroThreshold || (x < 0 && !q.signed)) continue; // code 0
    const k = Math.min(Math.max(nearestExponent(a, domain), minExponent), maxExponent);
    const code = k - minExponent + 1;
    out[i] = x < 0 ? -code : code;
  }
  return out;
}

/** Levels of codes: sign(c)·2^(minExponent + |c| − 1), 0 for c = 0. */
export function decodePowerOfTwo(codes: Int8Array | Uint8Array, q: PowerOfTwoQuantizer): Float32Array {
  const out = new Float32Array(codes.length);
  const limit = q.maxExponent - q.minExponent + 1;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    if (c === 0) continue;
    const magnitude = c < 0 ? -c : c;
    if (magnitude > limit) throw new RangeArgumentError(`decodePowerOfTwo: code ${c} at index ${i} exceeds ±${limit}`);
    out[i] = c < 0 ? -(2 ** (q.minExponent + magnitude - 1)) : 2 ** (q.minExponent + magnitude - 1);
  }
  return out;
}

/** decode(encode(x)): the nearest level of each value. */
export function fakeQuantizePowerOfTwo(data: Float32Array, q: PowerOfTwoQuantizer): Float32Array {
  return decodePowerOfTwo(encodePowerOfTwo(data, q), q);
}

/** Exponent k of the level nearest a > 0, before saturation. */
function nearestExponent(a: number, domain: PowerOfTwoDomain): number {
  let e = Math.floor(Math.log2(a));
  // Math.log2 is not correctly rounded: settle e so that 2^e ≤ a < 2^(e+1).
  if (2 ** e > a) e -= 1;
  else if (2 ** (e + 1) <= a) e += 1;
  const base = 2 ** e;
  // log: a ≥ √2·2^e ⇔ a² ≥ 2·4^e, exact for float32 a (48-bit square).
  const up = domain === 'linear' ? a >= 1.5 * base : a * a >= 2 * base * base;
  return up ? e + 1 : e;
}
