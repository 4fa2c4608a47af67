/**
 * The mutation registry: kind → how to damage a model file. Byte-level kinds work on the raw
 * file; proto-level kinds decode it (src/onnx/proto/codec.ts), change fields, and encode it
 * again, so the damage reaches the importer's checks instead of the protobuf decoder.
 */
import { decodeModelProto, encodeModelProto } from '../onnx/proto/codec.ts';
import type { ModelProto } from '../onnx/proto/onnx.generated.ts';
import { duplicateRange, flipBits, randomBytes, splice, truncate } from './mutate-bytes.ts';
import { mutateAttributes } from './mutate-attributes.ts';
import { mutateCycle, mutateNames, mutateNesting, mutateNode, mutateOpset, mutateValueTypes } from './mutate-graph.ts';
import { mutateDataType, mutateDims, mutateInputToConstant, mutatePayload, mutateQuantParams, mutateValues } from './mutate-tensors.ts';
import { collectSites, type ProtoSites } from './proto-sites.ts';
import type { FuzzRandom } from './random.ts';

export interface Mutation {
  readonly level: 'none' | 'bytes' | 'proto';
  /** One line for the report. */
  readonly what: string;
  /** Relative frequency in a campaign. */
  readonly weight: number;
  /** The mutated file, or undefined when the model has nothing this kind applies to. `donor` is another corpus file. */
  apply(bytes: Uint8Array, rng: FuzzRandom, donor: Uint8Array): Uint8Array | undefined;
}

function bytesKind(what: string, fn: (bytes: Uint8Array, rng: FuzzRandom, donor: Uint8Array) => Uint8Array): Mutation {
  return { level: 'bytes', what, weight: 3, apply: fn };
}

function protoKind(what: string, fn: (sites: ProtoSites, rng: FuzzRandom, model: ModelProto) => boolean): Mutation {
  return {
    level: 'proto',
    what,
    weight: 4,
    apply(bytes, rng) {
      const model = decodeModelProto(bytes);
      return fn(collectSites(model), rng, model) ? encodeModelProto(model) : undefined;
    },
  };
}

export const MUTATIONS: Readonly<Record<string, Mutation>> = {
  none: { level: 'none', what: 'the corpus model unchanged (mnist-8 and its quantized forms pass; backend-test models with several inputs cannot be calibrated)', weight: 1, apply: (bytes) => bytes },
  bitflip: bytesKind('1–16 random bits flipped', flipBits),
  truncate: bytesKind('the file cut short at a random byte', truncate),
  splice: bytesKind('a random range replaced by bytes of another corpus model', splice),
  duplicate: bytesKind('a random range of the file repeated', duplicateRange),
  random: bytesKind('random bytes, sometimes after a valid prefix', randomBytes),
  dims: protoKind('tensor dims huge, negative, zero, added or removed', mutateDims),
  dtype: protoKind('tensor data_type unknown, unsupported or wrong for the payload', mutateDataType),
  payload: protoKind('raw_data truncated, lengthened or dropped; typed fields of the wrong length; external data', mutatePayload),
  values: protoKind('tensor elements NaN, ±∞, denormal, huge or negative (weights, shapes, indices)', mutateValues),
  constant: protoKind('a graph input turned into an initializer with small or absurd values (ops fold at preparation)', mutateInputToConstant),
  qparams: protoKind('Q/DQ scales 0, NaN, negative, ±∞, wrong length; zero points of the wrong type or range', mutateQuantParams),
  attributes: protoKind('attributes absurd: huge lists, negative kernels, zero strides, pads past the input, bad group/axis, wrong type', mutateAttributes),
  names: protoKind('value names duplicated, dangling or empty', mutateNames),
  cycle: protoKind('a node input rewired to its own or a later output', mutateCycle),
  node: protoKind('op type / domain changed, inputs dropped, added or swapped, node removed or duplicated', mutateNode),
  types: protoKind('graph input/output/value_info dims and element types wrong', mutateValueTypes),
  opset: protoKind('opset / IR version unknown, negative, huge, missing or repeated', (_, rng, model) => mutateOpset(model, rng)),
  nesting: protoKind('the first node wrapped in If subgraphs nested up to 30 deep', mutateNesting),
};

export type MutationKind = keyof typeof MUTATIONS;
