/**
 * A minimal protobuf wire-format reader, independent of protobufjs, for checking what the
 * importer reads against the bytes of a file (field numbers from onnx.proto).
 */
export interface WireField {
  readonly field: number;
  /** Varint value (wire type 0) as a number. */
  readonly varint?: number;
  /** Payload of a length-delimited field (wire type 2), 32-bit (5) or 64-bit (1) field. */
  readonly bytes?: Uint8Array;
}

export function readFields(bytes: Uint8Array): WireField[] {
  const fields: WireField[] = [];
  let pos = 0;
  const varint = (): number => {
    let result = 0;
    let scale = 1;
    for (;;) {
      const b = bytes[pos++];
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 128;
    }
  };
  while (pos < bytes.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (wire === 0) fields.push({ field, varint: varint() });
    else if (wire === 2) {
      const length = varint();
      fields.push({ field, bytes: bytes.subarray(pos, pos + length) });
      pos += length;
    } else if (wire === 5) {
      fields.push({ field, bytes: bytes.subarray(pos, pos + 4) });
      pos += 4;
    } else if (wire === 1) {
      fields.push({ field, bytes: bytes.subarray(pos, pos + 8) });
      pos += 8;
    } else throw new Error(`wire type ${wire} not handled`);
  }
  return fields;
}

export function text(bytes: Uint8Array | undefined): string {
  return new TextDecoder().decode(bytes);
}

/** Little-endian float32 values of a packed repeated float field. */
export function floats(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: bytes.length / 4 }, (_, i) => view.getFloat32(4 * i, true));
}
