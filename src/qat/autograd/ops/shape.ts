/**
 * Ops that only reshape (Flatten, Reshape, Squeeze, Unsqueeze, Identity): the gradient is the
 * output's gradient seen with the input's shape. Shape and axes inputs get none.
 */
import type { Node } from '../../../ir/graph.ts';
import type { Tensor } from '../../../ir/tensor.ts';
import type { GradOp, OpRecord } from '../grad-op.ts';
import { floatForward, withShape } from './kernels.ts';

function reshaping(inputs: readonly (Tensor | undefined)[], node: Node): OpRecord {
  const outputs = floatForward(inputs, node);
  const x = inputs[0]!;
  return { outputs, backward: ([gy]) => [withShape(gy!, x.shape)] };
}

export const shapeGrads: readonly GradOp[] = ['Flatten', 'Reshape', 'Squeeze', 'Unsqueeze', 'Identity'].map((op) => ({ op, forward: reshaping }));
