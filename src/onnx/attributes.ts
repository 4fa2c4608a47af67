/**
 * AttributeProto ⇄ Attribute. Graph-valued attributes are (de)coded through callbacks so this
 * module does not depend on the graph codec that depends on it.
 */
import { ModelFormatError } from '../errors.ts';
import type { Attribute, Graph } from '../ir/graph.ts';
import { checkLimit, type Limits } from '../ir/limits.ts';
import type { Tensor } from '../ir/tensor.ts';
import { bytesField, hasField, int64Field, int64ToNumber } from './proto/codec.ts';
import { AttributeProto_AttributeType as T, type AttributeProto, type GraphProto, type TensorProto } from './proto/onnx.generated.ts';

export interface AttributeDecoder {
  readonly limits: Limits;
  tensor(proto: TensorProto, what: string): Tensor;
  graph(proto: GraphProto, what: string): Graph;
}

export interface AttributeEncoder {
  tensor(value: Tensor): TensorProto;
  graph(value: Graph): GraphProto;
}

const utf8Decoder = new TextDecoder();
const utf8Encoder = new TextEncoder();

/** The attribute type of a proto whose `type` field is missing (files from before it existed). */
function inferType(proto: AttributeProto): number {
  const singles: [string, number][] = [['f', T.FLOAT], ['i', T.INT], ['s', T.STRING], ['t', T.TENSOR], ['g', T.GRAPH]];
  const lists: [keyof AttributeProto, number][] = [['floats', T.FLOATS], ['ints', T.INTS], ['strings', T.STRINGS], ['tensors', T.TENSORS], ['graphs', T.GRAPHS]];
  for (const [field, type] of singles) if (hasField(proto, field)) return type;
  for (const [field, type] of lists) if (((proto[field] as unknown[] | undefined) ?? []).length > 0) return type;
  return T.UNDEFINED;
}

/** Decodes one attribute; `what` names the node for messages. */
export function decodeAttribute(proto: AttributeProto, decoder: AttributeDecoder, what: string): Attribute {
  const name = proto.name ?? '';
  const where = `${what}: attribute ${JSON.stringify(name)}`;
  if (proto.ref_attr_name) throw new ModelFormatError(`${where} refers to a function attribute; model-local functions are not supported`);
  const list = <V>(values: V[] | undefined): V[] => {
    const items = values ?? [];
    checkLimit(decoder.limits, 'maxAttributeElements', items.length, where);
    return items;
  };
  const type = proto.type || inferType(proto);
  switch (type) {
    case T.FLOAT:
      return { type: 'float', value: proto.f ?? 0 };
    case T.INT:
      return { type: 'int', value: int64ToNumber(proto.i) };
    case T.STRING:
      return { type: 'string', value: utf8Decoder.decode(bytesField(proto.s)) };
    case T.TENSOR:
      if (!proto.t) throw new ModelFormatError(`${where}: TENSOR attribute without a tensor`);
      return { type: 'tensor', value: decoder.tensor(proto.t, where) };
    case T.GRAPH:
      if (!proto.g) throw new ModelFormatError(`${where}: GRAPH attribute without a graph`);
      return { type: 'graph', value: decoder.graph(proto.g, where) };
    case T.FLOATS:
      return { type: 'floats', value: [...list(proto.floats)] };
    case T.INTS:
      return { type: 'ints', value: list(proto.ints).map(int64ToNumber) };
    case T.STRINGS:
      return { type: 'strings', value: list(proto.strings).map((s) => utf8Decoder.decode(bytesField(s))) };
    case T.TENSORS:
      return { type: 'tensors', value: list(proto.tensors).map((t, i) => decoder.tensor(t, `${where}[${i}]`)) };
    case T.GRAPHS:
      return { type: 'graphs', value: list(proto.graphs).map((g, i) => decoder.graph(g, `${where}[${i}]`)) };
    default: {
      const typeName = Object.entries(T).find(([, code]) => code === type)?.[0] ?? String(type);
      throw new ModelFormatError(`${where}: attribute type ${typeName} is not supported`);
    }
  }
}

/** Encodes one attribute. */
export function encodeAttribute(name: string, attribute: Attribute, encoder: AttributeEncoder): AttributeProto {
  switch (attribute.type) {
    case 'float':
      return { name, type: T.FLOAT, f: attribute.value };
    case 'int':
      return { name, type: T.INT, i: int64Field(attribute.value) };
    case 'string':
      return { name, type: T.STRING, s: utf8Encoder.encode(attribute.value) };
    case 'tensor':
      return { name, type: T.TENSOR, t: encoder.tensor(attribute.value) };
    case 'graph':
      return { name, type: T.GRAPH, g: encoder.graph(attribute.value) };
    case 'floats':
      return { name, type: T.FLOATS, floats: [...attribute.value] };
    case 'ints':
      return { name, type: T.INTS, ints: attribute.value.map(int64Field) };
    case 'strings':
      return { name, type: T.STRINGS, strings: attribute.value.map((s) => utf8Encoder.encode(s)) };
    case 'tensors':
      return { name, type: T.TENSORS, tensors: attribute.value.map((t) => encoder.tensor(t)) };
    case 'graphs':
      return { name, type: T.GRAPHS, graphs: attribute.value.map((g) => encoder.graph(g)) };
  }
}
