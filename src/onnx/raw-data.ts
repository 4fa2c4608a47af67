/**
 * The byte layout of TensorProto.raw_data (and of external data): fixed-width little-endian
 * elements, IEEE 754 floats, bool as one byte, (b)float16 / float8 as their bit patterns, int4 /
 * uint4 packed two per byte and int2 / uint2 four per byte, element 0 in the lowest bits. Reads and
 * writes go through DataView with explicit little-endian flags, never the platform's byte order.
 */
import { ModelFormatError } from '../errors.ts';
import { allocate, DTYPES, type DType, type TensorData } from '../ir/dtype.ts';
import { decodeMinifloatArray, encodeMinifloatArray, type MinifloatFormat } from '../numeric/minifloat.ts';
import { packedByteLength, packSubByte, unpackSubByte } from '../quant/packing.ts';

const TWO_32 = 2 ** 32;

/** Bytes that `count` elements of `dtype` occupy in raw_data. */
export function rawByteLength(dtype: DType, count: number): number {
  const bits = DTYPES[dtype].bits;
  return bits < 8 ? packedByteLength(count, bits as 2 | 4) : count * (bits / 8);
}

/** The minifloat format of a narrow float dtype, or undefined for every other dtype. */
export function minifloatFormat(dtype: DType): MinifloatFormat | undefined {
  switch (dtype) {
    case 'float16':
    case 'bfloat16':
    case 'float8e4m3fn':
    case 'float8e4m3fnuz':
    case 'float8e5m2':
    case 'float8e5m2fnuz':
      return dtype;
    default:
      return undefined;
  }
}

/**
 * Decodes `count` elements of `dtype` from little-endian bytes into the dtype's storage class.
 * @throws ModelFormatError (naming `what`) when the byte length does not match the count.
 */
export function readRawData(dtype: DType, count: number, bytes: Uint8Array, what: string): TensorData {
  const expected = rawByteLength(dtype, count);
  if (bytes.length !== expected) {
    throw new ModelFormatError(`${what}: raw data has ${bytes.length} bytes, ${count} ${dtype} elements need ${expected}`);
  }
  const info = DTYPES[dtype];
  if (info.bits < 8) return unpackSubByte(bytes, count, info.bits as 2 | 4, info.min! < 0);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const format = minifloatFormat(dtype);
  if (format !== undefined) {
    const codes = info.bits === 8 ? bytes.slice() : new Uint16Array(count);
    if (codes instanceof Uint16Array) for (let i = 0; i < count; i++) codes[i] = view.getUint16(2 * i, true);
    return decodeMinifloatArray(format, codes);
  }
  const out = allocate(dtype, count);
  switch (dtype) {
    case 'float32':
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(4 * i, true);
      break;
    case 'float64':
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(8 * i, true);
      break;
    case 'int8':
    case 'uint8':
      out.set(dtype === 'int8' ? new Int8Array(bytes.buffer, bytes.byteOffset, count) : bytes);
      break;
    case 'bool':
      for (let i = 0; i < count; i++) out[i] = bytes[i] === 0 ? 0 : 1;
      break;
    case 'int16':
      for (let i = 0; i < count; i++) out[i] = view.getInt16(2 * i, true);
      break;
    case 'uint16':
      for (let i = 0; i < count; i++) out[i] = view.getUint16(2 * i, true);
      break;
    case 'int32':
      for (let i = 0; i < count; i++) out[i] = view.getInt32(4 * i, true);
      break;
    case 'uint32':
      for (let i = 0; i < count; i++) out[i] = view.getUint32(4 * i, true);
      break;
    case 'int64':
      // high·2^32 is exact and the sum rounds once: the nearest double to the int64.
      for (let i = 0; i < count; i++) out[i] = view.getInt32(8 * i + 4, true) * TWO_32 + view.getUint32(8 * i, true);
      break;
    case 'uint64':
      for (let i = 0; i < count; i++) out[i] = view.getUint32(8 * i + 4, true) * TWO_32 + view.getUint32(8 * i, true);
      break;
    default:
      throw new ModelFormatError(`${what}: no raw-data decoding for ${dtype}`);
  }
  return out;
}

/** Encodes tensor storage as raw_data bytes (the inverse of readRawData). */
export function writeRawData(dtype: DType, data: TensorData): Uint8Array {
  const info = DTYPES[dtype];
  const count = data.length;
  if (info.bits < 8) return packSubByte(data as Int8Array | Uint8Array, info.bits as 2 | 4);
  const format = minifloatFormat(dtype);
  if (format !== undefined) {
    // No saturation: stored values are representable, ±inf included (float8e5m2, float16).
    const codes = encodeMinifloatArray(format, data, false);
    if (codes instanceof Uint8Array) return codes;
    const bytes = new Uint8Array(2 * count);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < count; i++) view.setUint16(2 * i, codes[i], true);
    return bytes;
  }
  const bytes = new Uint8Array(rawByteLength(dtype, count));
  const view = new DataView(bytes.buffer);
  switch (dtype) {
    case 'float32':
      for (let i = 0; i < count; i++) view.setFloat32(4 * i, data[i], true);
      break;
    case 'float64':
      for (let i = 0; i < count; i++) view.setFloat64(8 * i, data[i], true);
      break;
    case 'int8':
    case 'uint8':
    case 'bool':
      for (let i = 0; i < count; i++) bytes[i] = data[i] & 0xff;
      break;
    case 'int16':
    case 'uint16':
      for (let i = 0; i < count; i++) view.setUint16(2 * i, data[i] & 0xffff, true);
      break;
    case 'int32':
    case 'uint32':
      for (let i = 0; i < count; i++) view.setUint32(4 * i, data[i] >>> 0, true);
      break;
    case 'int64':
    case 'uint64':
      for (let i = 0; i < count; i++) writeInt64(view, 8 * i, data[i], dtype === 'int64');
      break;
    default:
      throw new ModelFormatError(`no raw-data encoding for ${dtype}`);
  }
  return bytes;
}

/** Writes an integral double as a little-endian 64-bit integer (see int64Bits). */
function writeInt64(view: DataView, offset: number, value: number, signed: boolean): void {
  view.setBigUint64(offset, BigInt.asUintN(64, int64Bits(value, signed)), true);
}

/**
 * The 64-bit integer a double stands for: truncated, and clamped to the type's range, so that
 * 2^63 (how float64 holds INT64_MAX) writes INT64_MAX again. NaN writes 0.
 */
export function int64Bits(value: number, signed: boolean): bigint {
  if (Number.isNaN(value)) return 0n;
  const v = Math.trunc(value);
  if (signed) {
    if (v >= 2 ** 63) return (1n << 63n) - 1n;
    if (v <= -(2 ** 63)) return -(1n << 63n);
  } else {
    if (v >= 2 ** 64) return (1n << 64n) - 1n;
    if (v <= 0) return 0n;
  }
  return BigInt(v);
}
