/**
 * The IDX format of the MNIST files (optionally gzip-compressed): a magic number whose third
 * byte is the element type and fourth the rank, then big-endian uint32 dimensions, then the
 * elements, big-endian. http://yann.lecun.com/exdb/mnist/ describes it.
 */
import { gunzipSync } from 'fflate';
import { DataError } from '../errors.ts';

export interface IdxArray {
  readonly type: 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';
  readonly shape: readonly number[];
  readonly data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

const TYPES = {
  0x08: { type: 'uint8', bytes: 1 },
  0x09: { type: 'int8', bytes: 1 },
  0x0b: { type: 'int16', bytes: 2 },
  0x0c: { type: 'int32', bytes: 4 },
  0x0d: { type: 'float32', bytes: 4 },
  0x0e: { type: 'float64', bytes: 8 },
} as const;

/** True for the gzip magic bytes 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Decodes IDX bytes (gzip-compressed or not). `name` is used in error messages. */
export function parseIdx(input: Uint8Array, name = 'IDX data', maxElements = 2 ** 31): IdxArray {
  let bytes = input;
  if (isGzip(input)) {
    try {
      bytes = gunzipSync(input);
    } catch (error) {
      throw new DataError(`${name}: corrupt gzip stream (${(error as Error).message})`, { cause: error });
    }
  }
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) throw new DataError(`${name}: not an IDX file (bad magic number)`);
  const info = TYPES[bytes[2] as keyof typeof TYPES];
  if (info === undefined) throw new DataError(`${name}: unknown IDX element type 0x${bytes[2].toString(16)}`);
  const rank = bytes[3];
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) throw new DataError(`${name}: truncated IDX header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  let count = 1;
  for (let i = 0; i < rank; i++) {
    const dim = view.getUint32(4 + 4 * i, false);
    shape.push(dim);
    count *= dim;
  }
  if (count > maxElements) throw new DataError(`${name}: ${count} elements exceed the limit of ${maxElements}`);
  const expected = headerBytes + count * info.bytes;
  if (bytes.length !== expected) {
    throw new DataError(`${name}: shape [${shape.join(', ')}] needs ${expected} bytes, the file has ${bytes.length}`);
  }
  return { type: info.type, shape, data: readElements(view, headerBytes, count, info.type) };
}

function readElements(view: DataView, offset: number, count: number, type: IdxArray['type']): IdxArray['data'] {
  switch (type) {
    case 'uint8':
      return new Uint8Array(view.buffer, view.byteOffset + offset, count).slice();
    case 'int8':
      return new Int8Array(view.buffer, view.byteOffset + offset, count).slice();
    case 'int16': {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(offset + 2 * i, false);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(offset + 4 * i, false);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(offset + 4 * i, false);
      return out;
    }
    case 'float64': {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(offset + 8 * i, false);
      return out;
    }
  }
}

/** Encodes a uint8 array as IDX (used to write the bundled calibration set). */
export function encodeIdxUint8(shape: readonly number[], data: Uint8Array): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new DataError(`IDX: shape [${shape.join(', ')}] needs ${count} elements, got ${data.length}`);
  const out = new Uint8Array(4 + 4 * shape.length + count);
  const view = new DataView(out.buffer);
  out[2] = 0x08;
  out[3] = shape.length;
  shape.forEach((dim, i) => view.setUint32(4 + 4 * i, dim, false));
  out.set(data, 4 + 4 * shape.length);
  return out;
}
