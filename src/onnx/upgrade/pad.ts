/**
 * Pad: opset 2 renamed `paddings` to `pads`; opset 11 moved pads (int64) and the constant value
 * (of the input's type) from attributes to inputs. The layout [x1_begin, x2_begin, ..., x1_end,
 * x2_end, ...] never changed.
 */
import { ModelFormatError } from '../../errors.ts';
import { attrFloat, attrInts } from '../../ir/attributes.ts';
import type { Node } from '../../ir/graph.ts';
import { dtypeOr32, int64Vector, scalarTensor, withAttributes, withoutAttributes, type UpgradeContext, type UpgradeStep } from './types.ts';

function renamePaddings(node: Node): Node {
  const paddings = node.attributes.paddings;
  if (paddings === undefined) return node;
  return withAttributes(withoutAttributes(node, ['paddings']), { pads: paddings });
}

function attributesToInputs(node: Node, ctx: UpgradeContext): Node {
  const pads = attrInts(node, 'pads');
  if (pads === undefined) throw new ModelFormatError(`${ctx.what}: Pad needs a pads attribute before opset 11`);
  const base = node.name || node.outputs[0];
  const inputs = [node.inputs[0], ctx.constant(`${base}_pads`, int64Vector(pads))];
  const value = attrFloat(node, 'value');
  if (value !== undefined && value !== 0) inputs.push(ctx.constant(`${base}_value`, scalarTensor(dtypeOr32(ctx, node.inputs[0]), value)));
  return { ...withoutAttributes(node, ['pads', 'value']), inputs };
}

export const padSteps: readonly UpgradeStep[] = [
  { since: 2, change: 'paddings attribute renamed pads', apply: renamePaddings },
  { since: 11, change: 'pads/value attributes → inputs', apply: attributesToInputs },
];
