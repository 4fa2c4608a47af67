/** Concat (join along an axis) and Split (cut along an axis into parts). */
import { RangeArgumentError, ShapeError } from '../../../errors.ts';
import { attrInt } from '../../../ir/attributes.ts';
import { formatShape, tensor, type Tensor } from '../../../ir/tensor.ts';
import type { KernelConfig } from '../../kernel.ts';
import { integerListOf, nodeLabel, normalizeAxis, optionalInput, requireInput, requireSameDtype } from './node-io.ts';

function product(dims: readonly number[]): number {
  return dims.reduce((p, d) => p * d, 1);
}

/** The inputs joined along `axis`; all other dimensions (and the dtype) must agree. */
export function concatImpl(inputs: readonly Tensor[], axis: number, where = 'Concat'): Tensor {
  if (inputs.length === 0) throw new ShapeError(`${where}: needs at least one input`);
  requireSameDtype(inputs, where);
  const first = inputs[0].shape;
  const a = normalizeAxis(axis, first.length, where);
  let total = 0;
  for (const t of inputs) {
    if (t.shape.length !== first.length || t.shape.some((d, i) => i !== a && d !== first[i])) {
      throw new ShapeError(`${where}: cannot concatenate shapes ${inputs.map((x) => formatShape(x.shape)).join(', ')} along axis ${a}`);
    }
    total += t.shape[a];
  }
  const shape = [...first];
  shape[a] = total;
  const out = tensor(inputs[0].dtype, shape);
  const outer = product(first.slice(0, a));
  const inner = product(first.slice(a + 1));
  const dst = out.data;
  let o = 0;
  for (let p = 0; p < outer; p++) {
    for (const t of inputs) {
      const block = t.shape[a] * inner;
      dst.set(t.data.subarray(p * block, (p + 1) * block), o);
      o += block;
    }
  }
  return out;
}

/** Parts of x along `axis` with the given sizes (which must sum to the axis' size). */
export function splitImpl(x: Tensor, sizes: readonly number[], axis = 0, where = 'Split'): Tensor[] {
  const a = normalizeAxis(axis, x.shape.length, where);
  const dim = x.shape[a];
  if (sizes.some((s) => !Number.isInteger(s) || s < 0) || sizes.reduce((p, s) => p + s, 0) !== dim) {
    throw new ShapeError(`${where}: split sizes [${sizes.join(', ')}] do not add up to ${dim} (axis ${a} of ${formatShape(x.shape)})`);
  }
  const outer = product(x.shape.slice(0, a));
  const inner = product(x.shape.slice(a + 1));
  let offset = 0;
  return sizes.map((size) => {
    const shape = [...x.shape];
    shape[a] = size;
    const out = tensor(x.dtype, shape);
    const block = size * inner;
    for (let p = 0; p < outer; p++) {
      const s = p * dim * inner + offset;
      out.data.set(x.data.subarray(s, s + block), p * block);
    }
    offset += block;
    return out;
  });
}

/**
 * The part sizes when Split has no `split` input: `numOutputs` parts of ceil(dim / n) with a
 * smaller last part (opset 18), or, without num_outputs, `outputs` equal parts.
 */
export function splitSizes(dim: number, outputs: number, numOutputs: number | undefined, where = 'Split'): number[] {
  if (numOutputs !== undefined) {
    if (numOutputs !== outputs || numOutputs < 1) throw new RangeArgumentError(`${where}: num_outputs = ${numOutputs} but the node has ${outputs} outputs`);
    const chunk = Math.ceil(dim / numOutputs);
    const last = dim - chunk * (numOutputs - 1);
    if (last < 0) throw new ShapeError(`${where}: an axis of size ${dim} cannot be split into ${numOutputs} parts of ${chunk}`);
    return [...new Array<number>(numOutputs - 1).fill(chunk), last];
  }
  if (outputs < 1 || dim % outputs !== 0) throw new ShapeError(`${where}: an axis of size ${dim} cannot be split into ${outputs} equal parts`);
  return new Array<number>(outputs).fill(dim / outputs);
}

export const concatSplitKernels: readonly KernelConfig[] = [
  {
    op: 'Concat',
    impl: (inputs, node) => {
      const axis = attrInt(node, 'axis');
      if (axis === undefined) throw new ShapeError(`${nodeLabel(node)}: attribute axis is required`);
      return [concatImpl(inputs.map((t, i) => t ?? requireInput(inputs, i, node, `inputs[${i}]`)), axis, nodeLabel(node))];
    },
  },
  {
    op: 'Split',
    impl: (inputs, node) => {
      const where = nodeLabel(node);
      const x = requireInput(inputs, 0, node, 'input');
      const axis = attrInt(node, 'axis', 0);
      const split = optionalInput(inputs, 1);
      const sizes = split
        ? integerListOf(split, where, 'split')
        : splitSizes(x.shape[normalizeAxis(axis, x.shape.length, where)], node.outputs.length, attrInt(node, 'num_outputs'), where);
      if (sizes.length !== node.outputs.length) throw new ShapeError(`${where}: ${sizes.length} split sizes for ${node.outputs.length} outputs`);
      return splitImpl(x, sizes, axis, where);
    },
  },
];
