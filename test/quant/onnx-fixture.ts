// Test helper: reads a TensorProto (.pb) of the vendored ONNX node tests by a minimal protobuf
// field scan, independent of the library's ONNX codec. Fields: 1 dims, 2 data_type,
// 4 float_data, 5 int32_data, 8 name, 9 raw_data (proto3 TensorProto numbering).
import { existsSync, readFileSync } from 'node:fs';

export interface FixtureTensor {
  dims: number[];
  dataType: number;
  name: string;
  raw?: Uint8Array;
  int32Data: number[];
  floatData: number[];
}

const FIXTURES = new URL('../fixtures/onnx-node/', import.meta.url);

export function hasFixtureTensor(test: string, file: string): boolean {
  return existsSync(new URL(`${test}/test_data_set_0/${file}.pb`, FIXTURES));
}

/** Reads `<test>/test_data_set_0/<file>.pb`. */
export function readFixtureTensor(test: string, file: string): FixtureTensor {
  const bytes = new Uint8Array(readFileSync(new URL(`${test}/test_data_set_0/${file}.pb`, FIXTURES)));
  return parseTensorProto(bytes);
}

export function parseTensorProto(bytes: Uint8Array): FixtureTensor {
  const t: FixtureTensor = { dims: [], dataType: 0, name: '', int32Data: [], floatData: [] };
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = bytes[pos++];
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  // int32/int64 fields are sign-extended to 64 bits on the wire.
  const int = (): number => Number(BigInt.asIntN(64, varint()));
  while (pos < bytes.length) {
    const key = Number(varint());
    const field = key >> 3;
    const wire = key & 7;
    if (wire === 0) {
      const v = int();
      if (field === 1) t.dims.push(v);
      else if (field === 2) t.dataType = v;
      else if (field === 5) t.int32Data.push(v);
    } else if (wire === 2) {
      const len = Number(varint());
      const body = bytes.subarray(pos, pos + len);
      const end = pos + len;
      if (field === 1 || field === 5) {
        // packed repeated varints
        while (pos < end) (field === 1 ? t.dims : t.int32Data).push(int());
      } else if (field === 4) {
        const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
        for (let i = 0; i < len; i += 4) t.floatData.push(view.getFloat32(i, true));
      } else if (field === 8) {
        t.name = new TextDecoder().decode(body);
      } else if (field === 9) {
        t.raw = body.slice();
      }
      pos = end;
    } else if (wire === 5) {
      pos += 4;
    } else if (wire === 1) {
      pos += 8;
    } else {
      throw new Error(`unexpected wire type ${wire} at byte ${pos}`);
    }
  }
  return t;
}

/** The float32 values of a FLOAT tensor (raw_data or float_data). */
export function floatValues(t: FixtureTensor): Float32Array {
  if (t.raw) return new Float32Array(t.raw.buffer.slice(t.raw.byteOffset, t.raw.byteOffset + t.raw.byteLength));
  return Float32Array.from(t.floatData);
}

/**
 * The integer values of an 8/16-bit tensor (raw_data little-endian, or int32_data one value each).
 * For the packed sub-byte types use packedBytes.
 */
export function intValues(t: FixtureTensor): number[] {
  if (!t.raw) return t.int32Data.slice();
  const view = new DataView(t.raw.buffer, t.raw.byteOffset, t.raw.byteLength);
  const out: number[] = [];
  switch (t.dataType) {
    case 2: for (let i = 0; i < t.raw.length; i++) out.push(view.getUint8(i)); break; // UINT8
    case 3: for (let i = 0; i < t.raw.length; i++) out.push(view.getInt8(i)); break; // INT8
    case 4: for (let i = 0; i < t.raw.length; i += 2) out.push(view.getUint16(i, true)); break; // UINT16
    case 5: for (let i = 0; i < t.raw.length; i += 2) out.push(view.getInt16(i, true)); break; // INT16
    case 6: for (let i = 0; i < t.raw.length; i += 4) out.push(view.getInt32(i, true)); break; // INT32
    default: throw new Error(`intValues: data type ${t.dataType} not handled`);
  }
  return out;
}

/** The packed bytes of a sub-byte tensor (raw_data, or int32_data holding one packed byte each). */
export function packedBytes(t: FixtureTensor): Uint8Array {
  return t.raw ? t.raw.slice() : Uint8Array.from(t.int32Data);
}

export function elementCount(t: FixtureTensor): number {
  return t.dims.reduce((a, b) => a * b, 1);
}
