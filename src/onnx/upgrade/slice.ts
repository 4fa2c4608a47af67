/** Slice: before opset 10, starts/ends/axes were attributes; since 10 they are int64 inputs (steps added, default 1). */
import { ModelFormatError } from '../../errors.ts';
import { attrInts } from '../../ir/attributes.ts';
import type { Node } from '../../ir/graph.ts';
import { int64Vector, withoutAttributes, type UpgradeContext, type UpgradeStep } from './types.ts';

function attributesToInputs(node: Node, ctx: UpgradeContext): Node {
  const starts = attrInts(node, 'starts');
  const ends = attrInts(node, 'ends');
  if (starts === undefined || ends === undefined) throw new ModelFormatError(`${ctx.what}: Slice needs starts and ends attributes before opset 10`);
  const base = node.name || node.outputs[0];
  const inputs = [node.inputs[0], ctx.constant(`${base}_starts`, int64Vector(starts)), ctx.constant(`${base}_ends`, int64Vector(ends))];
  const axes = attrInts(node, 'axes');
  if (axes !== undefined) inputs.push(ctx.constant(`${base}_axes`, int64Vector(axes)));
  return { ...withoutAttributes(node, ['starts', 'ends', 'axes']), inputs };
}

export const sliceSteps: readonly UpgradeStep[] = [{ since: 10, change: 'starts/ends/axes attributes → inputs', apply: attributesToInputs }];
