/**
 * Legacy broadcasting of the binary ops before opset 7: with broadcast = 1, B's shape matches a
 * contiguous run of A's dims starting at `axis` (or A's trailing dims when axis is absent).
 * Since 7 the ops broadcast like numpy, which agrees when B's dims end at A's last dim. Otherwise
 * B gets trailing 1-dims: a constant B is reshaped, a computed one goes through Unsqueeze.
 */
import { ModelFormatError, UnsupportedOpError } from '../../errors.ts';
import { attrInt } from '../../ir/attributes.ts';
import type { Node } from '../../ir/graph.ts';
import { int64Vector, withoutAttributes, type UpgradeContext, type UpgradeStep } from './types.ts';

function numpyBroadcast(node: Node, ctx: UpgradeContext): Node | Node[] {
  const broadcast = attrInt(node, 'broadcast', 0);
  const axis = attrInt(node, 'axis');
  const stripped = withoutAttributes(node, ['broadcast', 'axis']);
  if (broadcast === 0 || axis === undefined) return stripped;
  const [a, b] = node.inputs;
  const constant = ctx.initializer(b);
  const rankA = ctx.info(a)?.shape?.length;
  const shapeB = constant?.shape ?? ctx.info(b)?.shape;
  if (rankA === undefined || shapeB === undefined) {
    throw new UnsupportedOpError(`${ctx.what}: legacy broadcast with axis = ${axis} needs the ranks of both inputs, which are not known`);
  }
  const start = axis < 0 ? axis + rankA : axis;
  const trailing = rankA - start - shapeB.length;
  if (start < 0 || trailing < 0) {
    throw new ModelFormatError(`${ctx.what}: broadcast axis ${axis} does not fit ranks ${rankA} (A) and ${shapeB.length} (B)`);
  }
  if (trailing === 0) return stripped;
  const ones = new Array<number>(trailing).fill(1);
  if (constant !== undefined) {
    const reshaped = ctx.constant(`${b}_bcast`, { ...constant, shape: [...constant.shape, ...ones] });
    return { ...stripped, inputs: [a, reshaped] };
  }
  const axes = ctx.constant(`${b}_bcast_axes`, int64Vector(ones.map((_, i) => shapeB.length + i)));
  const expanded = ctx.fresh(`${b}_bcast`);
  const unsqueeze: Node = { name: ctx.fresh(`${node.name || node.outputs[0]}_unsqueeze`), opType: 'Unsqueeze', domain: '', inputs: [b, axes], outputs: [expanded], attributes: {} };
  return [unsqueeze, { ...stripped, inputs: [a, expanded] }];
}

const step: UpgradeStep = { since: 7, change: 'legacy broadcast/axis → numpy broadcasting', apply: numpyBroadcast };

export const broadcastSteps: Readonly<Record<string, readonly UpgradeStep[]>> = Object.fromEntries(
  ['Add', 'Sub', 'Mul', 'Div', 'Pow', 'And', 'Or', 'Xor', 'Equal', 'Greater', 'Less'].map((op) => [op, [step]]),
);
