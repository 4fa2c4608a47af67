/** Shape rules of BatchNormalization and LayerNormalization (Y keeps X's shape). */
import { attrInt } from '../attributes.ts';
import { dtypeFromOnnx } from '../dtype.ts';
import { normalizeAxis } from './dims.ts';
import type { ShapeRule } from './types.ts';

const batchNormalization: ShapeRule = (node, ctx) => {
  const x = ctx.info(node.inputs[0]);
  const stats = ctx.info(node.inputs[3]);
  return [{ dtype: x?.dtype, shape: x?.shape }, { dtype: stats?.dtype, shape: stats?.shape }, { dtype: stats?.dtype, shape: stats?.shape }];
};

const layerNormalization: ShapeRule = (node, ctx) => {
  const x = ctx.info(node.inputs[0]);
  const stashType = dtypeFromOnnx(attrInt(node, 'stash_type', 1));
  if (x?.shape === undefined) return [{ dtype: x?.dtype }, { dtype: stashType }, { dtype: stashType }];
  const axis = normalizeAxis(attrInt(node, 'axis', -1), x.shape.length, ctx.what);
  // Mean and InvStdDev keep the leading dims and have 1 for each normalized dim.
  const statsShape = x.shape.map((d, i) => (i < axis ? d : 1));
  return [{ dtype: x.dtype, shape: x.shape }, { dtype: stashType, shape: statsShape }, { dtype: stashType, shape: statsShape }];
};

export const normalizationRules: Readonly<Record<string, ShapeRule>> = {
  BatchNormalization: batchNormalization,
  InstanceNormalization: (node, ctx) => [{ dtype: ctx.info(node.inputs[0])?.dtype, shape: ctx.info(node.inputs[0])?.shape }],
  LayerNormalization: layerNormalization,
};
