/** Constant (a tensor held in an attribute) and ConstantOfShape (a shape filled with one value). */
import { ModelFormatError, ShapeError, UnsupportedOpError } from '../../../errors.ts';
import { attrFloat, attrFloats, attrInt, attrInts, attrTensor } from '../../../ir/attributes.ts';
import type { Node } from '../../../ir/graph.ts';
import { formatShape, tensor, type Tensor } from '../../../ir/tensor.ts';
import type { KernelConfig } from '../../kernel.ts';
import { integerListOf, nodeLabel, requireInput } from './node-io.ts';

/**
 * The value of a Constant node: exactly one of value (a tensor), value_float / value_floats
 * (float32 scalar / vector), value_int / value_ints (int64 scalar / vector). String and sparse
 * forms have no dtype in quantkit and are rejected.
 */
export function constantValue(node: Node): Tensor {
  const where = nodeLabel(node);
  const present = Object.keys(node.attributes).filter((name) => name.startsWith('value') || name === 'sparse_value');
  if (present.length !== 1) throw new ModelFormatError(`${where}: needs exactly one value attribute, found ${present.length === 0 ? 'none' : present.join(', ')}`);
  switch (present[0]) {
    case 'value':
      return attrTensor(node, 'value') as Tensor;
    case 'value_float':
      return tensor('float32', [], Float32Array.of(attrFloat(node, 'value_float') as number));
    case 'value_floats':
      return tensor('float32', [attrFloats(node, 'value_floats')?.length ?? 0], Float32Array.from(attrFloats(node, 'value_floats') ?? []));
    case 'value_int':
      return tensor('int64', [], Float64Array.of(attrInt(node, 'value_int') as number));
    case 'value_ints': {
      const values = attrInts(node, 'value_ints') ?? [];
      return tensor('int64', [values.length], Float64Array.from(values));
    }
    default:
      throw new UnsupportedOpError(`${where}: attribute ${present[0]} is not supported (quantkit has no string or sparse tensors)`);
  }
}

/** A tensor of `shape` filled with the one element of `value` (float32 0 when omitted). */
export function constantOfShapeImpl(shape: readonly number[], value?: Tensor, where = 'ConstantOfShape'): Tensor {
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new ShapeError(`${where}: invalid shape ${formatShape(shape)}`);
  if (value !== undefined && value.data.length !== 1) throw new ShapeError(`${where}: value must hold one element, got shape ${formatShape(value.shape)}`);
  const out = tensor(value?.dtype ?? 'float32', shape);
  if (value !== undefined) out.data.fill(value.data[0]);
  return out;
}

export const constantKernels: readonly KernelConfig[] = [
  { op: 'Constant', impl: (_inputs, node) => [constantValue(node)] },
  {
    op: 'ConstantOfShape',
    impl: (inputs, node) => {
      const where = nodeLabel(node);
      const shape = integerListOf(requireInput(inputs, 0, node, 'input'), where, 'input');
      return [constantOfShapeImpl(shape, attrTensor(node, 'value'), where)];
    },
  },
];
