/**
 * Element types of the IR (the ONNX TensorProto data types quantkit handles) and how each is
 * held in memory. Sub-byte integers are held unpacked, one element per byte: packing happens
 * only at the ONNX boundary. Narrow floats (fp16, bf16, fp8) are held as float32 values that
 * are exactly representable in the narrow format. int64/uint64 are held as float64 (exact up to
 * 2^53, which covers shapes, indices and axes; values beyond round to the nearest double).
 */
export type DType =
  | 'float32'
  | 'float64'
  | 'float16'
  | 'bfloat16'
  | 'float8e4m3fn'
  | 'float8e4m3fnuz'
  | 'float8e5m2'
  | 'float8e5m2fnuz'
  | 'int2'
  | 'uint2'
  | 'int4'
  | 'uint4'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'bool';

export type TensorData = Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;

interface DTypeInfo {
  /** TensorProto.DataType number. */
  readonly onnx: number;
  readonly storage: 'f32' | 'f64' | 'i8' | 'u8' | 'i16' | 'u16' | 'i32' | 'u32';
  readonly kind: 'float' | 'int' | 'bool';
  /** Bits of the ONNX encoding (what a tensor costs in a model file). */
  readonly bits: number;
  /** For integer types: representable range. */
  readonly min?: number;
  readonly max?: number;
}

export const DTYPES: Readonly<Record<DType, DTypeInfo>> = {
  float32: { onnx: 1, storage: 'f32', kind: 'float', bits: 32 },
  uint8: { onnx: 2, storage: 'u8', kind: 'int', bits: 8, min: 0, max: 255 },
  int8: { onnx: 3, storage: 'i8', kind: 'int', bits: 8, min: -128, max: 127 },
  uint16: { onnx: 4, storage: 'u16', kind: 'int', bits: 16, min: 0, max: 65535 },
  int16: { onnx: 5, storage: 'i16', kind: 'int', bits: 16, min: -32768, max: 32767 },
  int32: { onnx: 6, storage: 'i32', kind: 'int', bits: 32, min: -2147483648, max: 2147483647 },
  // As float64, 2^63 − 1 rounds to 2^63 (and 2^64 − 1 to 2^64).
  int64: { onnx: 7, storage: 'f64', kind: 'int', bits: 64, min: -(2 ** 63), max: 2 ** 63 },
  bool: { onnx: 9, storage: 'u8', kind: 'bool', bits: 8, min: 0, max: 1 },
  float16: { onnx: 10, storage: 'f32', kind: 'float', bits: 16 },
  float64: { onnx: 11, storage: 'f64', kind: 'float', bits: 64 },
  uint32: { onnx: 12, storage: 'u32', kind: 'int', bits: 32, min: 0, max: 4294967295 },
  uint64: { onnx: 13, storage: 'f64', kind: 'int', bits: 64, min: 0, max: 2 ** 64 },
  bfloat16: { onnx: 16, storage: 'f32', kind: 'float', bits: 16 },
  float8e4m3fn: { onnx: 17, storage: 'f32', kind: 'float', bits: 8 },
  float8e4m3fnuz: { onnx: 18, storage: 'f32', kind: 'float', bits: 8 },
  float8e5m2: { onnx: 19, storage: 'f32', kind: 'float', bits: 8 },
  float8e5m2fnuz: { onnx: 20, storage: 'f32', kind: 'float', bits: 8 },
  uint4: { onnx: 21, storage: 'u8', kind: 'int', bits: 4, min: 0, max: 15 },
  int4: { onnx: 22, storage: 'i8', kind: 'int', bits: 4, min: -8, max: 7 },
  // TensorProto.DataType: UINT2 = 25, INT2 = 26 (onnx.proto, IR version 13).
  uint2: { onnx: 25, storage: 'u8', kind: 'int', bits: 2, min: 0, max: 3 },
  int2: { onnx: 26, storage: 'i8', kind: 'int', bits: 2, min: -2, max: 1 },
};

const BY_ONNX = new Map<number, DType>(Object.entries(DTYPES).map(([name, info]) => [info.onnx, name as DType]));

/** The DType for a TensorProto.DataType number, or undefined if quantkit does not handle it. */
export function dtypeFromOnnx(code: number): DType | undefined {
  return BY_ONNX.get(code);
}

export function isFloat(dtype: DType): boolean {
  return DTYPES[dtype].kind === 'float';
}

export function isInteger(dtype: DType): boolean {
  return DTYPES[dtype].kind === 'int';
}

/** Allocates zeroed storage for `length` elements of `dtype`. */
export function allocate(dtype: DType, length: number): TensorData {
  switch (DTYPES[dtype].storage) {
    case 'f32':
      return new Float32Array(length);
    case 'f64':
      return new Float64Array(length);
    case 'i8':
      return new Int8Array(length);
    case 'u8':
      return new Uint8Array(length);
    case 'i16':
      return new Int16Array(length);
    case 'u16':
      return new Uint16Array(length);
    case 'i32':
      return new Int32Array(length);
    case 'u32':
      return new Uint32Array(length);
  }
}

/** True if `data` is the storage class that `dtype` uses. */
export function storageMatches(dtype: DType, data: TensorData): boolean {
  switch (DTYPES[dtype].storage) {
    case 'f32':
      return data instanceof Float32Array;
    case 'f64':
      return data instanceof Float64Array;
    case 'i8':
      return data instanceof Int8Array;
    case 'u8':
      return data instanceof Uint8Array;
    case 'i16':
      return data instanceof Int16Array;
    case 'u16':
      return data instanceof Uint16Array;
    case 'i32':
      return data instanceof Int32Array;
    case 'u32':
      return data instanceof Uint32Array;
  }
}
