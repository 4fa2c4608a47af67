/**
 * Clip: before opset 11, min and max were float attributes; since 11 they are optional inputs of
 * the input's type. Clip 6–10 defaulted absent bounds to ∓FLT_MAX (so ±inf clamps to ±FLT_MAX);
 * those defaults become explicit inputs. Clip 1–5 had no defaults: an absent bound is no bound.
 */
import { attrFloat } from '../../ir/attributes.ts';
import type { Node } from '../../ir/graph.ts';
import { dtypeOr32, scalarTensor, trimInputs, withoutAttributes, type UpgradeContext, type UpgradeStep } from './types.ts';

const FLT_MAX = 3.4028234663852886e38;

function boundsToInputs(node: Node, ctx: UpgradeContext): Node {
  const dtype = dtypeOr32(ctx, node.inputs[0]);
  // Clip 6–10 defaults, meaningful for float32/float64 inputs.
  const defaults = ctx.opset >= 6 && (dtype === 'float32' || dtype === 'float64');
  const bound = (name: 'min' | 'max', fallback: number): string => {
    const value = attrFloat(node, name) ?? (defaults ? fallback : undefined);
    return value === undefined ? '' : ctx.constant(`${node.name || node.outputs[0]}_${name}`, scalarTensor(dtype, value));
  };
  const inputs = trimInputs([node.inputs[0], bound('min', -FLT_MAX), bound('max', FLT_MAX)]);
  return { ...withoutAttributes(node, ['min', 'max']), inputs };
}

export const clipSteps: readonly UpgradeStep[] = [
  { since: 11, change: 'min/max attributes → inputs', apply: boundsToInputs },
];
