/**
 * The `axes` attribute that became an optional int64 input: Squeeze and Unsqueeze (opset 13),
 * ReduceSum (13) and the other Reduce* ops (18). An absent attribute stays an absent input, which
 * means the same (squeeze all 1-dims / reduce over all axes, noop_with_empty_axes = 0).
 */
import { ModelFormatError } from '../../errors.ts';
import { attrInts } from '../../ir/attributes.ts';
import type { Node } from '../../ir/graph.ts';
import { int64Vector, withoutAttributes, type UpgradeContext, type UpgradeStep } from './types.ts';

function axesStep(since: number, required: boolean): UpgradeStep {
  return {
    since,
    change: 'axes attribute → input',
    apply(node: Node, ctx: UpgradeContext): Node {
      const axes = attrInts(node, 'axes');
      if (axes === undefined || axes.length === 0) {
        if (required) throw new ModelFormatError(`${ctx.what}: ${node.opType} needs an axes attribute before opset ${since}`);
        return withoutAttributes(node, ['axes']);
      }
      const name = ctx.constant(`${node.name || node.outputs[0]}_axes`, int64Vector(axes));
      return { ...withoutAttributes(node, ['axes']), inputs: [node.inputs[0], name] };
    },
  };
}

const REDUCE_18 = ['ReduceMean', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceL1', 'ReduceL2', 'ReduceLogSum', 'ReduceLogSumExp', 'ReduceSumSquare'];

export const axesSteps: Readonly<Record<string, readonly UpgradeStep[]>> = {
  Squeeze: [axesStep(13, false)],
  Unsqueeze: [axesStep(13, true)],
  ReduceSum: [axesStep(13, false)],
  ...Object.fromEntries(REDUCE_18.map((op) => [op, [axesStep(18, false)]])),
};
