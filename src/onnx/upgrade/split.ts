/**
 * Split: opset 13 moved `split` from an attribute to an optional int64 input; opset 18 requires
 * `num_outputs` when that input is absent (equal parts, as before). Split-1 could already take
 * the sizes as a second input, and its axis had no stated default; 0 (Split-2's default) is used.
 */
import { attrInts } from '../../ir/attributes.ts';
import type { Node } from '../../ir/graph.ts';
import { int64Vector, withAttributes, withoutAttributes, type UpgradeContext, type UpgradeStep } from './types.ts';

function splitToInput(node: Node, ctx: UpgradeContext): Node {
  const split = attrInts(node, 'split');
  if (split === undefined) return node;
  const name = ctx.constant(`${node.name || node.outputs[0]}_split`, int64Vector(split));
  return { ...withoutAttributes(node, ['split']), inputs: [node.inputs[0], name] };
}

function numOutputs(node: Node): Node {
  if ((node.inputs[1] ?? '') !== '' || 'num_outputs' in node.attributes) return node;
  return withAttributes(node, { num_outputs: { type: 'int', value: node.outputs.length } });
}

export const splitSteps: readonly UpgradeStep[] = [
  { since: 13, change: 'split attribute → input', apply: splitToInput },
  { since: 18, change: 'equal split: num_outputs attribute set', apply: numOutputs },
];
