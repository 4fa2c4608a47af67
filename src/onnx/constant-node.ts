/**
 * The value of a Constant node in any of its attribute forms (exactly one must be present):
 * value (a tensor), value_float / value_floats (float32 scalar / 1-D), value_int / value_ints
 * (int64 scalar / 1-D). value_string(s) and sparse_value need string or sparse tensors, which
 * quantkit does not represent.
 */
import { ModelFormatError } from '../errors.ts';
import type { Node } from '../ir/graph.ts';
import { tensor, type Tensor } from '../ir/tensor.ts';

export function constantNodeValue(node: Node, what: string): Tensor {
  const keys = Object.keys(node.attributes);
  if (keys.length !== 1) throw new ModelFormatError(`${what}: needs exactly one value attribute, has ${keys.length === 0 ? 'none' : keys.join(', ')}`);
  const attribute = node.attributes[keys[0]];
  switch (`${keys[0]}:${attribute.type}`) {
    case 'value:tensor':
      return attribute.value as Tensor;
    case 'value_float:float':
      return tensor('float32', [], Float32Array.of(attribute.value as number));
    case 'value_floats:floats':
      return tensor('float32', [(attribute.value as number[]).length], Float32Array.from(attribute.value as number[]));
    case 'value_int:int':
      return tensor('int64', [], Float64Array.of(attribute.value as number));
    case 'value_ints:ints':
      return tensor('int64', [(attribute.value as number[]).length], Float64Array.from(attribute.value as number[]));
    case 'value_string:string':
    case 'value_strings:strings':
      throw new ModelFormatError(`${what}: string constants (${keys[0]}) are not supported`);
    default:
      throw new ModelFormatError(`${what}: unsupported Constant attribute ${keys[0]} of type ${attribute.type}`);
  }
}
