/**
 * Shape rule of Resize (opset 18+ form): output dims from `sizes` (with keep_aspect_ratio_policy)
 * or ⌊d · scale⌋ (times the roi extent for tf_crop_and_resize), over `axes` (default all).
 */
import { ShapeError } from '../../errors.ts';
import { attrInts, attrString } from '../attributes.ts';
import type { Dim } from '../graph.ts';
import { formatShape } from '../tensor.ts';
import { intValues, normalizeAxis } from './dims.ts';
import type { ShapeRule } from './types.ts';

const resize: ShapeRule = (node, ctx) => {
  const info = ctx.info(node.inputs[0]);
  const shape = info?.shape;
  if (shape === undefined) return [{ dtype: info?.dtype }];
  const axes = (attrInts(node, 'axes') ?? shape.map((_, i) => i)).map((a) => normalizeAxis(a, shape.length, ctx.what));
  const scales = node.inputs[2] ? intValues(ctx.constant(node.inputs[2])) : undefined;
  const sizes = node.inputs[3] ? intValues(ctx.constant(node.inputs[3])) : undefined;
  const out: Dim[] = [...shape];
  if (sizes !== undefined && sizes.length > 0) {
    if (sizes.length !== axes.length) throw new ShapeError(`${ctx.what}: ${sizes.length} sizes for ${axes.length} axes`);
    const policy = attrString(node, 'keep_aspect_ratio_policy', 'stretch');
    if (policy === 'stretch') {
      axes.forEach((axis, i) => (out[axis] = sizes[i]));
    } else {
      const dims = axes.map((axis) => shape[axis]);
      if (!dims.every((d): d is number => typeof d === 'number')) return [{ dtype: info?.dtype, shape: shape.map((d, i) => (axes.includes(i) ? null : d)) }];
      const ratios = sizes.map((s, i) => s / dims[i]);
      const scale = policy === 'not_larger' ? Math.min(...ratios) : Math.max(...ratios);
      // round_int: nearest integer, halfway cases up.
      axes.forEach((axis, i) => (out[axis] = Math.floor(scale * dims[i] + 0.5)));
    }
  } else if (scales !== undefined && scales.length > 0) {
    if (scales.length !== axes.length) throw new ShapeError(`${ctx.what}: ${scales.length} scales for ${axes.length} axes (${formatShape(shape)})`);
    const roi = attrString(node, 'coordinate_transformation_mode', 'half_pixel') === 'tf_crop_and_resize' && node.inputs[1]
      ? intValues(ctx.constant(node.inputs[1]))
      : undefined;
    axes.forEach((axis, i) => {
      const d = shape[axis];
      const extent = roi === undefined ? 1 : roi[i + axes.length] - roi[i];
      out[axis] = typeof d === 'number' ? Math.floor(d * extent * scales[i]) : null;
    });
  } else {
    axes.forEach((axis) => (out[axis] = null));
  }
  return [{ dtype: info?.dtype, shape: out }];
};

export const resizeRules: Readonly<Record<string, ShapeRule>> = { Resize: resize };
