/**
 * Dropout: opset 7 dropped `is_test` (Dropout became inference-only unless trained), opset 12
 * moved `ratio` to an optional input (and added training_mode, default false). quantkit runs
 * inference, where Dropout is the identity, so `is_test` carries no information.
 */
import { attrFloat } from '../../ir/attributes.ts';
import type { Node } from '../../ir/graph.ts';
import { scalarTensor, withoutAttributes, type UpgradeContext, type UpgradeStep } from './types.ts';

function ratioToInput(node: Node, ctx: UpgradeContext): Node {
  const ratio = attrFloat(node, 'ratio');
  const stripped = withoutAttributes(node, ['ratio']);
  if (ratio === undefined) return stripped;
  const name = ctx.constant(`${node.name || node.outputs[0]}_ratio`, scalarTensor('float32', ratio));
  return { ...stripped, inputs: [node.inputs[0], name] };
}

export const dropoutSteps: readonly UpgradeStep[] = [
  { since: 7, change: 'is_test attribute dropped', apply: (node: Node) => withoutAttributes(node, ['is_test']) },
  { since: 12, change: 'ratio attribute → input', apply: ratioToInput },
];
