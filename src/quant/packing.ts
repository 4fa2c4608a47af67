/**
 * ONNX sub-byte packing (TensorProto of INT4/UINT4/INT2/UINT2). In memory quantkit holds these
 * values unpacked, one per byte; only the ONNX boundary packs them:
 *
 * - 4 bits: two elements per byte, element 2i in the low nibble, element 2i+1 in the high nibble;
 * - 2 bits: four elements per byte, element 4i+j in bits 2j..2j+1 (element 4i in the lowest bits);
 * - a tail that does not fill the last byte is padded with zero bits.
 *
 * A byte holds the two's complement bit pattern for the signed types and is sign-extended on
 * unpacking. See docs/QUANTIZATION.md § Storage.
 */
import { RangeArgumentError } from '../errors.ts';

/** Number of bytes that hold `count` packed elements of `bits` each: ceil(count·bits / 8). */
export function packedByteLength(count: number, bits: 2 | 4): number {
  return Math.ceil((count * bits) / 8);
}

/**
 * Packs sub-byte integers, low bits first. Signed input (Int8Array) must lie in
 * [−2^(bits−1), 2^(bits−1) − 1], unsigned input (Uint8Array) in [0, 2^bits − 1].
 * @throws RangeArgumentError for a bit width other than 2 or 4, or a value out of range (names index and value).
 */
export function packSubByte(values: Int8Array | Uint8Array, bits: 2 | 4): Uint8Array {
  checkBits(bits);
  const signed = values instanceof Int8Array;
  const lo = signed ? -(1 << (bits - 1)) : 0;
  const hi = signed ? (1 << (bits - 1)) - 1 : (1 << bits) - 1;
  const mask = (1 << bits) - 1;
  const perByte = 8 / bits;
  const out = new Uint8Array(packedByteLength(values.length, bits));
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < lo || v > hi) {
      const kind = signed ? `int${bits}` : `uint${bits}`;
      throw new RangeArgumentError(`packSubByte: value ${v} at index ${i} is outside the ${kind} range [${lo}, ${hi}]`);
    }
    out[(i / perByte) | 0] |= (v & mask) << ((i % perByte) * bits);
  }
  return out;
}

/**
 * Unpacks `count` sub-byte integers from `bytes` (inverse of packSubByte). Signed values are
 * sign-extended into an Int8Array; unsigned ones come back as a Uint8Array.
 * @throws RangeArgumentError for a bit width other than 2 or 4, a bad count, or too few bytes.
 */
export function unpackSubByte(bytes: Uint8Array, count: number, bits: 2 | 4, signed: boolean): Int8Array | Uint8Array {
  checkBits(bits);
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeArgumentError(`unpackSubByte: count ${count} must be a non-negative integer`);
  }
  const needed = packedByteLength(count, bits);
  if (bytes.length < needed) {
    throw new RangeArgumentError(`unpackSubByte: ${count} ${signed ? 'int' : 'uint'}${bits} values need ${needed} bytes, got ${bytes.length}`);
  }
  const mask = (1 << bits) - 1;
  const perByte = 8 / bits;
  // Sign extension: shift the field to the top of an int32, then arithmetic-shift it back.
  const up = 32 - bits;
  const out = signed ? new Int8Array(count) : new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const field = (bytes[(i / perByte) | 0] >> ((i % perByte) * bits)) & mask;
    out[i] = signed ? (field << up) >> up : field;
  }
  return out;
}

function checkBits(bits: number): void {
  if (bits !== 2 && bits !== 4) {
    throw new RangeArgumentError(`sub-byte packing: bits ${bits} must be 2 or 4`);
  }
}
