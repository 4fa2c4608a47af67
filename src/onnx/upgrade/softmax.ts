/**
 * Softmax, LogSoftmax, Hardmax before opset 13 coerce the input to 2-D: dims [0, axis) become
 * the rows, dims [axis, rank) the columns, and the op runs over each row (default axis 1). Since
 * 13 they run over the single dimension `axis` (default −1). The two agree when axis is the last
 * dimension; otherwise the old meaning is spelled out as
 *   Flatten(x, axis) → Op(axis = 1) → Reshape(·, Shape(x)).
 */
import { attrInt } from '../../ir/attributes.ts';
import type { Node } from '../../ir/graph.ts';
import { withAttributes, type UpgradeContext, type UpgradeStep } from './types.ts';

function coerceTo2D(node: Node, ctx: UpgradeContext): Node | Node[] {
  const axis = attrInt(node, 'axis', 1);
  const input = node.inputs[0];
  const rank = ctx.info(input)?.shape?.length;
  if (rank !== undefined && (axis === rank - 1 || axis === -1)) {
    return withAttributes(node, { axis: { type: 'int', value: axis } });
  }
  const base = node.name || node.outputs[0];
  const flat = ctx.fresh(`${base}_2d`);
  const result2d = ctx.fresh(`${base}_2d_out`);
  const shape = ctx.fresh(`${base}_shape`);
  const int = (value: number) => ({ type: 'int', value }) as const;
  return [
    { name: ctx.fresh(`${base}_flatten`), opType: 'Flatten', domain: '', inputs: [input], outputs: [flat], attributes: { axis: int(axis) } },
    { ...node, inputs: [flat], outputs: [result2d], attributes: { ...node.attributes, axis: int(1) } },
    { name: ctx.fresh(`${base}_shape`), opType: 'Shape', domain: '', inputs: [input], outputs: [shape], attributes: {} },
    { name: ctx.fresh(`${base}_reshape`), opType: 'Reshape', domain: '', inputs: [result2d, shape], outputs: [node.outputs[0]], attributes: {} },
  ];
}

const step: UpgradeStep = { since: 13, change: 'coerce-to-2D axis semantics made explicit', apply: coerceTo2D };

export const softmaxSteps: Readonly<Record<string, readonly UpgradeStep[]>> = {
  Softmax: [step],
  LogSoftmax: [step],
  Hardmax: [step],
};
