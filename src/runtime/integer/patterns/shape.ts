/** Shape / Size of a dequantized tensor read the integer tensor instead (same shape), so the float copy is not needed. */
import { dequantizedInput } from '../operands.ts';
import { found } from '../qdq-index.ts';
import type { Pattern } from './pattern.ts';

export const shapePattern: Pattern = (ctx, node) => {
  const x = dequantizedInput(ctx, node.inputs[0]);
  if (!x.ok) return x;
  return found({ nodes: [{ ...node, inputs: [x.value.integer] }], absorbed: [] });
};
