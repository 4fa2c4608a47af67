/**
 * TensorProto ⇄ Tensor for every DType of src/ir/dtype.ts. Reading accepts raw_data, the typed
 * fields (float_data, int32_data, int64_data, uint64_data, double_data) and external data (through
 * a resolver callback: the library never opens files). Writing always uses raw_data. Element
 * counts and byte totals are checked against the limits before anything is allocated.
 */
import { describeError, ModelFormatError } from '../errors.ts';
import { allocate, DTYPES, dtypeFromOnnx, type DType, type TensorData } from '../ir/dtype.ts';
import { ByteBudget, resolveLimits, type Limits } from '../ir/limits.ts';
import { shapeSize, type Tensor } from '../ir/tensor.ts';
import { decodeMinifloatArray } from '../numeric/minifloat.ts';
import { unpackSubByte } from '../quant/packing.ts';
import { bytesField, decodeTensorProtoMessage, encodeTensorProto, hasField, int64Field, int64ToNumber } from './proto/codec.ts';
import { TensorProto_DataLocation, TensorProto_DataType, type Int64, type TensorProto } from './proto/onnx.generated.ts';
import { minifloatFormat, rawByteLength, readRawData, writeRawData } from './raw-data.ts';

/**
 * Supplies external tensor data: the bytes of `location` (a path relative to the model's folder)
 * from `offset`, `length` bytes long (to the end of the file when undefined).
 */
export type ExternalDataResolver = (location: string, offset: number, length: number | undefined) => Uint8Array;

export interface TensorDecodeOptions {
  /** Names the tensor in error messages, e.g. 'model.onnx: initializer "W"'. */
  readonly what?: string;
  readonly limits?: Partial<Limits>;
  /** A running byte total shared by all tensors of one model (checked against maxTotalBytes). */
  readonly budget?: ByteBudget;
  readonly externalData?: ExternalDataResolver;
}

const DATA_TYPE_NAMES = new Map<number, string>(Object.entries(TensorProto_DataType).map(([name, code]) => [code, name]));

/** "7 (INT64)" for a TensorProto.DataType code, for messages. */
export function describeDataType(code: number): string {
  const name = DATA_TYPE_NAMES.get(code);
  return name === undefined ? `${code} (unknown)` : `${code} (${name})`;
}

/**
 * The DType of a TensorProto.DataType code.
 * @throws ModelFormatError naming `what` for codes quantkit does not handle (string, complex, float4, ...).
 */
export function dtypeOfCode(code: number, what: string): DType {
  const dtype = dtypeFromOnnx(code);
  if (dtype === undefined) {
    const known = DATA_TYPE_NAMES.has(code) ? 'is not supported by quantkit' : 'is not an ONNX data type';
    throw new ModelFormatError(`${what}: data type ${describeDataType(code)} ${known}`);
  }
  return dtype;
}

/** Reads the dims of a TensorProto, checking each is a non-negative integer. */
export function dimsOf(dims: readonly Int64[] | undefined, what: string): number[] {
  return (dims ?? []).map((d) => {
    const n = int64ToNumber(d);
    if (!Number.isSafeInteger(n) || n < 0) throw new ModelFormatError(`${what}: invalid dimension ${n} in dims`);
    return n;
  });
}

/** Decodes a TensorProto into a Tensor. */
export function tensorFromProto(proto: TensorProto, options: TensorDecodeOptions = {}): Tensor {
  const what = options.what ?? `tensor ${JSON.stringify(proto.name ?? '')}`;
  const limits = resolveLimits(options.limits);
  const dtype = dtypeOfCode(proto.data_type ?? 0, what);
  const shape = dimsOf(proto.dims, what);
  const count = shapeSize(shape, limits.maxTensorElements, what);
  (options.budget ?? new ByteBudget(limits)).add(count * (DTYPES[dtype].bits < 8 ? 1 : DTYPES[dtype].bits / 8), what);
  if (hasField(proto, 'segment')) throw new ModelFormatError(`${what}: segmented tensors are not supported`);
  let data: TensorData;
  if (proto.data_location === TensorProto_DataLocation.EXTERNAL) {
    data = readRawData(dtype, count, externalBytes(proto, options.externalData, rawByteLength(dtype, count), what), what);
  } else if (hasField(proto, 'raw_data')) {
    data = readRawData(dtype, count, bytesField(proto.raw_data), what);
  } else {
    data = readTypedFields(proto, dtype, count, what);
  }
  return { dtype, shape, data };
}

function externalBytes(proto: TensorProto, resolver: ExternalDataResolver | undefined, expected: number, what: string): Uint8Array {
  const entries = new Map((proto.external_data ?? []).map((e) => [e.key ?? '', e.value ?? '']));
  const location = entries.get('location');
  if (location === undefined || location === '') throw new ModelFormatError(`${what}: external data without a location`);
  if (resolver === undefined) {
    throw new ModelFormatError(`${what}: data is stored externally in ${JSON.stringify(location)}, but no externalData resolver was given`);
  }
  const offset = parseCount(entries.get('offset'), what, 'offset') ?? 0;
  const length = parseCount(entries.get('length'), what, 'length');
  // Refused before anything is read: the file may be large, the dims may be small.
  if (length !== undefined && length !== expected) throw new ModelFormatError(`${what}: external data length ${length} does not match the ${expected} bytes its dims and data type need`);
  try {
    return resolver(location, offset, length);
  } catch (error) {
    throw new ModelFormatError(`${what}: external data ${JSON.stringify(location)}: ${describeError(error)}`, { cause: error });
  }
}

function parseCount(text: string | undefined, what: string, key: string): number | undefined {
  if (text === undefined) return undefined;
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n)) throw new ModelFormatError(`${what}: external data ${key} ${JSON.stringify(text)} is not a non-negative integer`);
  return n;
}

function readTypedFields(proto: TensorProto, dtype: DType, count: number, what: string): TensorData {
  const info = DTYPES[dtype];
  const { field, values } = typedField(proto, dtype);
  const expected = info.bits < 8 ? rawByteLength(dtype, count) : count;
  if (values.length !== expected) {
    throw new ModelFormatError(`${what}: ${field} has ${values.length} values, ${count} ${dtype} elements need ${expected}`);
  }
  if (info.bits < 8) {
    // Each int32_data value holds one packed byte (two 4-bit or four 2-bit elements).
    const bytes = Uint8Array.from(values as readonly number[], (v) => v & 0xff);
    return unpackSubByte(bytes, count, info.bits as 2 | 4, info.min! < 0);
  }
  const format = minifloatFormat(dtype);
  if (format !== undefined) {
    // (b)float16 and float8 values are stored as their bit patterns.
    const codes = info.bits === 8 ? new Uint8Array(count) : new Uint16Array(count);
    for (let i = 0; i < count; i++) codes[i] = values[i] as number;
    return decodeMinifloatArray(format, codes);
  }
  const out = allocate(dtype, count);
  for (let i = 0; i < count; i++) out[i] = int64ToNumber(values[i]);
  if (dtype === 'bool') for (let i = 0; i < count; i++) out[i] = out[i] === 0 ? 0 : 1;
  return out;
}

function typedField(proto: TensorProto, dtype: DType): { field: string; values: readonly Int64[] } {
  switch (dtype) {
    case 'float32':
      return { field: 'float_data', values: proto.float_data ?? [] };
    case 'float64':
      return { field: 'double_data', values: proto.double_data ?? [] };
    case 'int64':
      return { field: 'int64_data', values: proto.int64_data ?? [] };
    case 'uint32':
    case 'uint64':
      return { field: 'uint64_data', values: proto.uint64_data ?? [] };
    default:
      return { field: 'int32_data', values: proto.int32_data ?? [] };
  }
}

/** Encodes a Tensor as a TensorProto with raw_data (sub-byte types packed, narrow floats as bit patterns). */
export function tensorToProto(tensor: Tensor, name = ''): TensorProto {
  return {
    name,
    dims: tensor.shape.map(int64Field),
    data_type: DTYPES[tensor.dtype].onnx,
    raw_data: writeRawData(tensor.dtype, tensor.data),
  };
}

/**
 * Decodes a serialized TensorProto, such as the ONNX test data files
 * test_data_set_N/input_K.pb and output_K.pb.
 * @throws ModelFormatError for malformed bytes or an unsupported data type, LimitError above the limits.
 */
export function decodeTensorProtoBytes(bytes: Uint8Array, options: TensorDecodeOptions = {}): { name: string; tensor: Tensor } {
  const proto = decodeTensorProtoMessage(bytes, options.what ?? 'tensor file');
  const name = proto.name ?? '';
  const what = options.what ?? `tensor ${JSON.stringify(name)}`;
  return { name, tensor: tensorFromProto(proto, { ...options, what }) };
}

/** Serializes a Tensor as a TensorProto (raw_data), the inverse of decodeTensorProtoBytes. */
export function encodeTensorProtoBytes(tensor: Tensor, name = ''): Uint8Array {
  return encodeTensorProto(tensorToProto(tensor, name));
}
