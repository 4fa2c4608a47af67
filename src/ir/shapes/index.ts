/** The shape rules of every op shape inference knows: one plain map, op type → rule. */
import { convRules } from './conv.ts';
import { elementwiseRules } from './elementwise.ts';
import { matmulRules } from './matmul.ts';
import { normalizationRules } from './normalization.ts';
import { quantizeRules } from './quantize.ts';
import { reduceRules } from './reduce.ts';
import { resizeRules } from './resize.ts';
import { shapeOpRules } from './shape-ops.ts';
import type { ShapeRule } from './types.ts';

export const SHAPE_RULES: Readonly<Record<string, ShapeRule>> = {
  ...elementwiseRules,
  ...convRules,
  ...matmulRules,
  ...normalizationRules,
  ...shapeOpRules,
  ...reduceRules,
  ...resizeRules,
  ...quantizeRules,
};
