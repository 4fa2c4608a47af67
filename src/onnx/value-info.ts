/** ValueInfoProto ⇄ ValueInfo: element type and shape (symbolic dims as strings, unknown as null). */
import { ModelFormatError } from '../errors.ts';
import { DTYPES } from '../ir/dtype.ts';
import type { Dim, ValueInfo } from '../ir/graph.ts';
import { hasField, int64Field, int64ToNumber } from './proto/codec.ts';
import type { TensorShapeProto, TypeProto, ValueInfoProto } from './proto/onnx.generated.ts';
import { dtypeOfCode } from './tensor.ts';

function decodeShape(shape: TensorShapeProto): Dim[] {
  return (shape.dim ?? []).map((dim): Dim => {
    if (hasField(dim, 'dim_param') && dim.dim_param !== '') return dim.dim_param!;
    if (hasField(dim, 'dim_value')) {
      const n = int64ToNumber(dim.dim_value);
      // Some exporters write -1 or 0-as-unknown; only non-negative values are sizes.
      return Number.isSafeInteger(n) && n >= 0 ? n : null;
    }
    return null;
  });
}

/** Decodes a ValueInfoProto. Non-tensor types (sequence, map, optional, sparse) throw ModelFormatError naming `what`. */
export function decodeValueInfo(proto: ValueInfoProto, what: string): ValueInfo {
  const name = proto.name ?? '';
  const type = proto.type;
  const doc = proto.doc_string ? { doc: proto.doc_string } : {};
  if (type === null || type === undefined) return { name, ...doc };
  const kind = (['sequence_type', 'map_type', 'optional_type', 'sparse_tensor_type', 'opaque_type'] as const).find((k) => hasField(type, k));
  if (kind !== undefined) {
    throw new ModelFormatError(`${what}: value ${JSON.stringify(name)} has ${kind.startsWith("o") ? "an" : "a"} ${kind.replace('_type', '').replace('_', ' ')} type; quantkit handles tensors only`);
  }
  const tensorType = type.tensor_type;
  if (tensorType === null || tensorType === undefined) return { name, ...doc };
  const code = tensorType.elem_type ?? 0;
  const dtype = code === 0 ? undefined : dtypeOfCode(code, `${what}: value ${JSON.stringify(name)}`);
  const shape = hasField(tensorType, 'shape') && tensorType.shape ? decodeShape(tensorType.shape) : undefined;
  return { name, ...(dtype === undefined ? {} : { dtype }), ...(shape === undefined ? {} : { shape }), ...doc };
}

/** Encodes a ValueInfo (a tensor type with whatever dtype/shape is known). */
export function encodeValueInfo(info: ValueInfo): ValueInfoProto {
  const tensorType: TypeProto['tensor_type'] = { elem_type: info.dtype === undefined ? 0 : DTYPES[info.dtype].onnx };
  if (info.shape !== undefined) {
    tensorType.shape = {
      dim: info.shape.map((d) => (typeof d === 'number' ? { dim_value: int64Field(d) } : typeof d === 'string' ? { dim_param: d } : {})),
    };
  }
  return { name: info.name, type: { tensor_type: tensorType }, ...(info.doc ? { doc_string: info.doc } : {}) };
}
