/**
 * Upsample (deprecated in opset 10) and old Resize forms → Resize in its newest form.
 *
 * - Upsample-1 (height_scale/width_scale on NCHW), -7 (scales attribute), -9/-10 (scales input)
 *   and Resize-10 compute x_original = x_resized / scale ("asymmetric"); Resize 11+ defaults to
 *   half_pixel, so the mode is set. Their nearest rounding is not specified; onnxruntime (the
 *   reference these forms were written for) rounds down on upsampled axes and up on downsampled
 *   ones, which becomes nearest_mode floor / ceil. With constant scales that go both ways, the
 *   node is split into a downsampling and an upsampling Resize (nearest is separable per axis);
 *   with computed scales, floor (upsampling, the usual case) is assumed.
 *   'bilinear' (Upsample-1) is 'linear'.
 * - Resize-11 added the roi input; Resize-13 made roi and scales optional ('' instead of an
 *   empty tensor) and removed the mode tf_half_pixel_for_nn, which has no newer equivalent.
 */
import { ModelFormatError, UnsupportedOpError } from '../../errors.ts';
import { attrFloat, attrFloats, attrString } from '../../ir/attributes.ts';
import type { Attribute, Node } from '../../ir/graph.ts';
import { tensor } from '../../ir/tensor.ts';
import { trimInputs, type UpgradeContext, type UpgradeStep } from './types.ts';

function asymmetricAttributes(node: Node, nearestMode: string): Record<string, Attribute> {
  const mode = attrString(node, 'mode', 'nearest').toLowerCase();
  const newMode = mode === 'bilinear' || mode === 'trilinear' ? 'linear' : mode;
  const attributes: Record<string, Attribute> = {
    mode: { type: 'string', value: newMode },
    coordinate_transformation_mode: { type: 'string', value: 'asymmetric' },
  };
  if (newMode === 'nearest') attributes.nearest_mode = { type: 'string', value: nearestMode };
  return attributes;
}

/** Resize nodes with the old nearest rounding: ceil on axes with scale < 1, floor on the others. */
function asymmetricResize(node: Node, x: string, scales: string, ctx: UpgradeContext): Node[] {
  const base: Node = { ...node, opType: 'Resize', inputs: [x, '', scales] };
  const values = ctx.initializer(scales)?.data;
  const isNearest = attrString(node, 'mode', 'nearest').toLowerCase() === 'nearest';
  const down = values !== undefined && Array.from(values).some((v) => v < 1);
  const up = values !== undefined && Array.from(values).some((v) => v > 1);
  if (!isNearest || !down) return [{ ...base, attributes: asymmetricAttributes(node, 'floor') }];
  if (!up) return [{ ...base, attributes: asymmetricAttributes(node, 'ceil') }];
  const all = Array.from(values!);
  const name = node.name || node.outputs[0];
  const downScales = ctx.constant(`${name}_down_scales`, tensor('float32', [all.length], Float32Array.from(all, (v) => Math.min(v, 1))));
  const upScales = ctx.constant(`${name}_up_scales`, tensor('float32', [all.length], Float32Array.from(all, (v) => Math.max(v, 1))));
  const middle = ctx.fresh(`${name}_down`);
  return [
    { ...base, name: ctx.fresh(`${name}_down`), inputs: [x, '', downScales], outputs: [middle], attributes: asymmetricAttributes(node, 'ceil') },
    { ...base, inputs: [middle, '', upScales], attributes: asymmetricAttributes(node, 'floor') },
  ];
}

function upsampleScales(node: Node, ctx: UpgradeContext): string {
  const base = node.name || node.outputs[0];
  if (ctx.opset >= 9) return node.inputs[1];
  const scales = attrFloats(node, 'scales');
  if (scales !== undefined) return ctx.constant(`${base}_scales`, tensor('float32', [scales.length], Float32Array.from(scales)));
  const height = attrFloat(node, 'height_scale');
  const width = attrFloat(node, 'width_scale');
  if (height === undefined || width === undefined) throw new ModelFormatError(`${ctx.what}: Upsample needs scales (or height_scale and width_scale)`);
  return ctx.constant(`${base}_scales`, tensor('float32', [4], Float32Array.from([1, 1, height, width])));
}

function upsampleToResize(node: Node, ctx: UpgradeContext): Node[] {
  return asymmetricResize(node, node.inputs[0], upsampleScales(node, ctx), ctx);
}

function resize10to11(node: Node, ctx: UpgradeContext): Node[] {
  return asymmetricResize(node, node.inputs[0], node.inputs[1], ctx);
}

function optionalRoiAndScales(node: Node, ctx: UpgradeContext): Node {
  const mode = attrString(node, 'coordinate_transformation_mode', 'half_pixel');
  if (mode === 'tf_half_pixel_for_nn') {
    throw new UnsupportedOpError(`${ctx.what}: Resize coordinate_transformation_mode tf_half_pixel_for_nn (removed in opset 13) is not supported`);
  }
  const isEmpty = (name: string | undefined) => name === undefined || name === '' || ctx.initializer(name)?.data.length === 0;
  const [x, roi, scales, sizes] = node.inputs;
  const newRoi = mode !== 'tf_crop_and_resize' || isEmpty(roi) ? '' : roi;
  const newScales = isEmpty(scales) ? '' : scales;
  const inputs = trimInputs([x, newRoi, newScales, sizes ?? '']);
  const same = inputs.length === node.inputs.length && inputs.every((name, i) => name === node.inputs[i]);
  return same ? node : { ...node, inputs };
}

export const resizeSteps: Readonly<Record<string, readonly UpgradeStep[]>> = {
  Upsample: [{ since: 13, change: 'Upsample → Resize (asymmetric coordinates, old nearest rounding)', apply: upsampleToResize }],
  Resize: [
    { since: 11, change: 'roi input added; Resize-10 coordinate semantics made explicit', apply: resize10to11 },
    { since: 13, change: 'empty roi/scales → omitted inputs', apply: optionalRoiAndScales },
  ],
};
