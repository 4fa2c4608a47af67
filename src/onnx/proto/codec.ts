/**
 * Encoding and decoding of ONNX protobuf messages through protobufjs's light build: the schema
 * comes from the generated JSON descriptor, so nothing parses .proto text at run time (the
 * library runs in a browser). Decoded messages are read through the interfaces of
 * onnx.generated.ts; absent repeated fields decode as empty arrays, absent messages as null.
 */
import { Root, type INamespace, type Type } from 'protobufjs/light.js';
import { ModelFormatError, describeError } from '../../errors.ts';
import { onnxDescriptor, type Int64, type ModelProto, type TensorProto } from './onnx.generated.ts';

const root = Root.fromJSON(onnxDescriptor as INamespace);

const modelType: Type = root.lookupType('onnx.ModelProto');
const tensorType: Type = root.lookupType('onnx.TensorProto');

function decodeWith<T>(type: Type, bytes: Uint8Array, what: string): T {
  try {
    return type.decode(bytes) as unknown as T;
  } catch (error) {
    // protobufjs throws RangeError/Error for truncated input, bad wire types, invalid UTF-8 lengths...
    throw new ModelFormatError(`${what}: not a valid ${type.name} (${describeError(error)})`, { cause: error });
  }
}

/** Decodes a serialized ModelProto; malformed bytes throw ModelFormatError naming `what` (the file). */
export function decodeModelProto(bytes: Uint8Array, what = 'model'): ModelProto {
  return decodeWith<ModelProto>(modelType, bytes, what);
}

/** Decodes a serialized TensorProto (the ONNX test data files input_*.pb / output_*.pb). */
export function decodeTensorProtoMessage(bytes: Uint8Array, what = 'tensor'): TensorProto {
  return decodeWith<TensorProto>(tensorType, bytes, what);
}

/** Serializes a ModelProto given as a plain object of the generated interfaces. */
export function encodeModelProto(model: ModelProto): Uint8Array {
  return modelType.encode(model).finish();
}

/** Serializes a TensorProto given as a plain object of the generated interfaces. */
export function encodeTensorProto(tensor: TensorProto): Uint8Array {
  return tensorType.encode(tensor).finish();
}

/** A decoded 64-bit integer as a number (exact up to 2^53; beyond, the nearest double). */
export function int64ToNumber(value: Int64 | undefined | null): number {
  if (value === undefined || value === null) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}

/**
 * A number for an int64 field of a message to encode. protobufjs converts numbers beyond 2^63
 * with the wrong sign, so those (how float64 holds INT64_MAX) are passed as low/high words of
 * INT64_MAX / INT64_MIN; safe integers pass through unchanged.
 */
export function int64Field(value: number): Int64 {
  if (Number.isSafeInteger(value)) return value;
  const clamped = Number.isNaN(value) ? 0 : Math.max(-(2 ** 63), Math.min(2 ** 63, Math.trunc(value)));
  if (clamped >= 2 ** 63) return { low: -1, high: 0x7fffffff, unsigned: false, toNumber: () => 2 ** 63 };
  if (clamped <= -(2 ** 63)) return { low: 0, high: -0x80000000, unsigned: false, toNumber: () => -(2 ** 63) };
  // |v| > 2^53 is a multiple of 2^11 here, so both words are exact.
  const high = Math.floor(clamped / 2 ** 32);
  const low = clamped - high * 2 ** 32;
  return { low: low | 0, high: high | 0, unsigned: false, toNumber: () => clamped };
}

/** A bytes field as a Uint8Array (protobufjs's default for an absent bytes field is a plain empty array). */
export function bytesField(value: Uint8Array | undefined | null): Uint8Array {
  return value instanceof Uint8Array ? value : new Uint8Array(0);
}

/** True if the decoded message carries `field` itself (proto2 presence), not the prototype default. */
export function hasField(message: object | null | undefined, field: string): boolean {
  return message !== null && message !== undefined && Object.prototype.hasOwnProperty.call(message, field);
}
