/**
 * Builds ONNX ModelProto bytes directly from the generated protobuf interfaces, so tests can
 * write models in old opsets (the forms the importer upgrades) without going through quantkit's
 * exporter.
 */
import { encodeModelProto } from '../../../src/onnx/proto/codec.ts';
import { AttributeProto_AttributeType as A, TensorProto_DataType as DT, type AttributeProto, type NodeProto, type TensorProto, type ValueInfoProto } from '../../../src/onnx/proto/onnx.generated.ts';

export { DT };

export type AttrValue =
  | { i: number }
  | { f: number }
  | { s: string }
  | { ints: number[] }
  | { floats: number[] }
  | { t: TensorProto };

function attribute(name: string, value: AttrValue): AttributeProto {
  if ('i' in value) return { name, type: A.INT, i: value.i };
  if ('f' in value) return { name, type: A.FLOAT, f: value.f };
  if ('s' in value) return { name, type: A.STRING, s: new TextEncoder().encode(value.s) };
  if ('ints' in value) return { name, type: A.INTS, ints: value.ints };
  if ('floats' in value) return { name, type: A.FLOATS, floats: value.floats };
  return { name, type: A.TENSOR, t: value.t };
}

export function node(opType: string, inputs: string[], outputs: string[], attrs: Record<string, AttrValue> = {}, name = ''): NodeProto {
  return { op_type: opType, input: inputs, output: outputs, name, attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)) };
}

export function value(name: string, elemType: number, dims?: (number | string)[]): ValueInfoProto {
  const shape = dims === undefined ? undefined : { dim: dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) };
  return { name, type: { tensor_type: { elem_type: elemType, ...(shape ? { shape } : {}) } } };
}

export function floatTensor(name: string, dims: number[], values: number[]): TensorProto {
  return { name, dims, data_type: DT.FLOAT, float_data: values };
}

export function int64Tensor(name: string, dims: number[], values: number[]): TensorProto {
  return { name, dims, data_type: DT.INT64, int64_data: values };
}

export interface ModelSpec {
  opset: number;
  irVersion?: number;
  nodes: NodeProto[];
  inputs: ValueInfoProto[];
  outputs: ValueInfoProto[];
  initializers?: TensorProto[];
  valueInfo?: ValueInfoProto[];
}

export function modelBytes(spec: ModelSpec): Uint8Array {
  return encodeModelProto({
    ir_version: spec.irVersion ?? (spec.opset <= 8 ? 3 : spec.opset <= 10 ? 5 : 7),
    opset_import: [{ domain: '', version: spec.opset }],
    producer_name: 'quantkit-test',
    graph: {
      name: 'g',
      node: spec.nodes,
      input: spec.inputs,
      output: spec.outputs,
      initializer: spec.initializers ?? [],
      value_info: spec.valueInfo ?? [],
    },
  });
}
