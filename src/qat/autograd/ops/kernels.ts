/**
 * The forward half of the tape's ops: the float kernel set, so a trained graph computes in
 * training exactly what the float (and simulated) executors compute at inference.
 */
import type { Node } from '../../../ir/graph.ts';
import { tensor, type Tensor } from '../../../ir/tensor.ts';
import { floatKernels } from '../../../runtime/kernels/float/register.ts';

const FLOAT = floatKernels();

/** Runs the float kernel of `node`'s op on `inputs`. */
export function floatForward(inputs: readonly (Tensor | undefined)[], node: Node): Tensor[] {
  const kernel = FLOAT.get(node.opType, node.domain);
  if (kernel === undefined) throw new Error(`no float kernel for ${node.opType}`);
  return kernel.impl(inputs, node);
}

/** A zero tensor of t's dtype and shape (gradients are accumulated into it). */
export function zerosLike(t: Tensor): Tensor {
  return tensor(t.dtype, t.shape);
}

/** The same storage seen with another shape (gradients of shape-only ops). */
export function withShape(t: Tensor, shape: readonly number[]): Tensor {
  return { dtype: t.dtype, shape: [...shape], data: t.data };
}
