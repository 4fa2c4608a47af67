/**
 * Attribute mutations: absurd values for the attributes that drive geometry and indexing
 * (kernel_shape, strides, pads, dilations, group, axis, perm, ...), huge lists, wrong attribute
 * types, removed or unknown attributes.
 */
import { int64Field } from '../onnx/proto/codec.ts';
import { AttributeProto_AttributeType as A, type AttributeProto } from '../onnx/proto/onnx.generated.ts';
import { ABSURD_FLOATS, ABSURD_INTS } from './mutate-tensors.ts';
import type { ProtoSites } from './proto-sites.ts';
import type { FuzzRandom } from './random.ts';

/** Attributes whose values size outputs, index inputs or pick code paths. */
const GEOMETRY_INTS = ['kernel_shape', 'strides', 'pads', 'dilations', 'output_padding', 'output_shape', 'perm', 'axes', 'split'];
const GEOMETRY_INT = ['group', 'axis', 'keepdims', 'transA', 'transB', 'to', 'ceil_mode', 'storage_order', 'count_include_pad', 'block_size', 'select_last_index', 'allowzero', 'saturate'];
const STRINGS = ['auto_pad', 'mode', 'coordinate_transformation_mode', 'nearest_mode', 'direction'];

/** Small integers around the edge cases of geometry (0 strides, negative sizes, pads past the input). */
const EDGE_INTS = [-3, -2, -1, 0, 1, 2, 3, 7, 64, 1000, 65535];

function intsValue(rng: FuzzRandom, length: number): number[] {
  return Array.from({ length }, () => (rng.chance(0.5) ? rng.pick(EDGE_INTS) : rng.pick(ABSURD_INTS)));
}

/** Replaces (or adds) one geometry attribute of a node with an absurd value. */
export function mutateAttributes(sites: ProtoSites, rng: FuzzRandom): boolean {
  if (sites.nodes.length === 0) return false;
  const { node } = rng.pick(sites.nodes);
  const attributes = node.attribute ?? [];
  node.attribute = attributes;
  const existing = attributes.length > 0 && rng.chance(0.7) ? rng.pick(attributes) : undefined;
  const roll = rng.below(10);
  if (existing !== undefined && roll === 0) {
    attributes.splice(attributes.indexOf(existing), 1);
    return true;
  }
  if (existing !== undefined && roll === 1) {
    // The same name, another attribute type.
    Object.assign(existing, retype(existing, rng));
    return true;
  }
  const name = existing?.name ?? rng.pick([...GEOMETRY_INTS, ...GEOMETRY_INT, ...STRINGS, 'bogus_attribute']);
  const attribute = freshAttribute(name, existing, rng);
  if (existing !== undefined) attributes[attributes.indexOf(existing)] = attribute;
  else attributes.push(attribute);
  return true;
}

function freshAttribute(name: string, like: AttributeProto | undefined, rng: FuzzRandom): AttributeProto {
  const type = like?.type ?? (GEOMETRY_INTS.includes(name) ? A.INTS : STRINGS.includes(name) ? A.STRING : A.INT);
  switch (type) {
    case A.INTS: {
      const length = rng.chance(0.05) ? rng.between(70_000, 200_000) : rng.chance(0.7) ? (like?.ints?.length ?? 2) : rng.below(9);
      return { name, type, ints: intsValue(rng, length).map(int64Field) };
    }
    case A.FLOATS:
      return { name, type, floats: Array.from({ length: rng.below(6) }, () => rng.pick(ABSURD_FLOATS)) };
    case A.FLOAT:
      return { name, type, f: rng.pick(ABSURD_FLOATS) };
    case A.STRING:
      return { name, type, s: new TextEncoder().encode(rng.pick(['SAME_UPPER', 'SAME_LOWER', 'VALID', 'NOTSET', 'bogus', '', 'linear', 'cubic', 'nearest', 'floor'])) };
    default:
      return { name, type: A.INT, i: int64Field(rng.chance(0.5) ? rng.pick(EDGE_INTS) : rng.pick(ABSURD_INTS)) };
  }
}

/** A value of another attribute type under the same name. */
function retype(attribute: AttributeProto, rng: FuzzRandom): AttributeProto {
  const name = attribute.name ?? '';
  const types = [A.INT, A.INTS, A.FLOAT, A.FLOATS, A.STRING, A.UNDEFINED, A.GRAPH, 99].filter((t) => t !== attribute.type);
  const type = rng.pick(types);
  if (type === A.GRAPH) return { name, type, g: { name: 'empty' } };
  if (type === A.UNDEFINED || type === 99) return { name, type };
  return freshAttribute(name, { name, type }, rng);
}
