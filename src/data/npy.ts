/**
 * NumPy .npy files (format versions 1–3): a magic string, a version, a header length and a
 * Python-literal header {'descr', 'fortran_order', 'shape'}, then the elements in C order.
 * The header parser is separate from the element decoder so loaders can stream rows.
 */
import { DataError } from '../errors.ts';

export type NpyType = 'float32' | 'float64' | 'uint8' | 'int8' | 'int16' | 'int32' | 'int64';

export interface NpyHeader {
  readonly type: NpyType;
  readonly littleEndian: boolean;
  readonly bytesPerElement: number;
  readonly shape: readonly number[];
  /** Byte offset of the first element. */
  readonly dataOffset: number;
}

const DESCR: Record<string, { type: NpyType; bytes: number }> = {
  f4: { type: 'float32', bytes: 4 },
  f8: { type: 'float64', bytes: 8 },
  u1: { type: 'uint8', bytes: 1 },
  i1: { type: 'int8', bytes: 1 },
  b1: { type: 'uint8', bytes: 1 },
  i2: { type: 'int16', bytes: 2 },
  i4: { type: 'int32', bytes: 4 },
  i8: { type: 'int64', bytes: 8 },
};

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** Parses the header from the first bytes of a .npy file (at least the whole header). */
export function parseNpyHeader(bytes: Uint8Array, name = '.npy data'): NpyHeader {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw new DataError(`${name}: not a .npy file (bad magic string)`);
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLength: number;
  let headerStart: number;
  if (major === 1) {
    headerLength = view.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new DataError(`${name}: truncated .npy header`);
    headerLength = view.getUint32(8, true);
    headerStart = 12;
  } else {
    throw new DataError(`${name}: unsupported .npy format version ${major}`);
  }
  if (headerLength > 1 << 20) throw new DataError(`${name}: .npy header of ${headerLength} bytes is implausibly large`);
  if (bytes.length < headerStart + headerLength) throw new DataError(`${name}: truncated .npy header`);
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, headerStart + headerLength));

  const descr = /'descr'\s*:\s*'([<>|=])([a-z]\d+)'/.exec(text);
  if (descr === null) throw new DataError(`${name}: .npy header has no simple 'descr' (structured arrays are not supported)`);
  const info = DESCR[descr[2]];
  if (info === undefined) throw new DataError(`${name}: unsupported .npy dtype '${descr[1]}${descr[2]}'`);
  if (/'fortran_order'\s*:\s*True/.test(text)) throw new DataError(`${name}: Fortran-ordered .npy arrays are not supported; save with C order`);
  const shapeMatch = /'shape'\s*:\s*\(([^)]*)\)/.exec(text);
  if (shapeMatch === null) throw new DataError(`${name}: .npy header has no 'shape'`);
  const shape = shapeMatch[1]
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => {
      const dim = Number(s.replace(/L$/, ''));
      if (!Number.isSafeInteger(dim) || dim < 0) throw new DataError(`${name}: invalid dimension '${s}' in .npy shape`);
      return dim;
    });
  return {
    type: info.type,
    littleEndian: descr[1] !== '>',
    bytesPerElement: info.bytes,
    shape,
    dataOffset: headerStart + headerLength,
  };
}

/** Decodes the first `count` elements of `bytes` (which begin at an element boundary) into `out`. */
export function decodeNpyElements(header: NpyHeader, bytes: Uint8Array, count: number, out: Float32Array | Float64Array | Int32Array): void {
  if (bytes.length < count * header.bytesPerElement) throw new DataError(`.npy data: truncated (need ${count * header.bytesPerElement} bytes, have ${bytes.length})`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = header.littleEndian;
  switch (header.type) {
    case 'float32':
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(4 * i, le);
      return;
    case 'float64':
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(8 * i, le);
      return;
    case 'uint8':
      for (let i = 0; i < count; i++) out[i] = bytes[i];
      return;
    case 'int8':
      for (let i = 0; i < count; i++) out[i] = view.getInt8(i);
      return;
    case 'int16':
      for (let i = 0; i < count; i++) out[i] = view.getInt16(2 * i, le);
      return;
    case 'int32':
      for (let i = 0; i < count; i++) out[i] = view.getInt32(4 * i, le);
      return;
    case 'int64':
      for (let i = 0; i < count; i++) out[i] = Number(view.getBigInt64(8 * i, le));
      return;
  }
}

/** Parses a whole .npy file held in memory. */
export function parseNpy(bytes: Uint8Array, name = '.npy data'): { header: NpyHeader; data: Float64Array } {
  const header = parseNpyHeader(bytes, name);
  const count = header.shape.reduce((a, b) => a * b, 1);
  // Before allocating: a header may claim any shape.
  const available = bytes.length - header.dataOffset;
  if (count * header.bytesPerElement > available) {
    throw new DataError(`${name}: truncated (shape [${header.shape.join(', ')}] needs ${count * header.bytesPerElement} bytes of data, the file has ${available})`);
  }
  const data = new Float64Array(count);
  decodeNpyElements(header, bytes.subarray(header.dataOffset), count, data);
  return { header, data };
}
