/**
 * BatchNormalization: opset 7 dropped `is_test`, opset 9 dropped `spatial` (spatial = 1, the
 * default, is the only remaining behaviour), opset 14 replaced the four optional training
 * outputs (mean, var, saved_mean, saved_var) by running_mean/running_var under training_mode.
 * Inference models use none of them; spatial = 0 or requested training outputs are rejected.
 */
import { UnsupportedOpError } from '../../errors.ts';
import { attrInt } from '../../ir/attributes.ts';
import type { Node } from '../../ir/graph.ts';
import { withoutAttributes, type UpgradeContext, type UpgradeStep } from './types.ts';

function dropSpatial(node: Node, ctx: UpgradeContext): Node {
  if (attrInt(node, 'spatial', 1) !== 1) {
    throw new UnsupportedOpError(`${ctx.what}: BatchNormalization with spatial = 0 (per-activation statistics, opset < 9) is not supported`);
  }
  return withoutAttributes(node, ['spatial']);
}

function inferenceOutputsOnly(node: Node, ctx: UpgradeContext): Node {
  if (node.outputs.slice(1).some((name) => name !== '')) {
    throw new UnsupportedOpError(`${ctx.what}: BatchNormalization training outputs (mean/var/saved_mean/saved_var, opset < 14) are not supported`);
  }
  return node.outputs.length > 1 ? { ...node, outputs: [node.outputs[0]] } : node;
}

export const batchNormSteps: readonly UpgradeStep[] = [
  { since: 7, change: 'is_test attribute dropped', apply: (node: Node) => withoutAttributes(node, ['is_test']) },
  { since: 9, change: 'spatial attribute dropped', apply: dropSpatial },
  { since: 14, change: 'unused training outputs dropped', apply: inferenceOutputsOnly },
];
