/** Reshape: before opset 5 the target shape was an attribute; since 5 it is an int64 input. */
import { ModelFormatError } from '../../errors.ts';
import { attrInts } from '../../ir/attributes.ts';
import type { Node } from '../../ir/graph.ts';
import { int64Vector, withoutAttributes, type UpgradeContext, type UpgradeStep } from './types.ts';

function shapeToInput(node: Node, ctx: UpgradeContext): Node {
  const shape = attrInts(node, 'shape');
  if (shape === undefined) throw new ModelFormatError(`${ctx.what}: Reshape needs a shape attribute before opset 5`);
  const name = ctx.constant(`${node.name || node.outputs[0]}_shape`, int64Vector(shape));
  return { ...withoutAttributes(node, ['shape']), inputs: [node.inputs[0], name] };
}

export const reshapeSteps: readonly UpgradeStep[] = [{ since: 5, change: 'shape attribute → input', apply: shapeToInput }];
