/**
 * Resize(X, roi?, scales?, sizes?) in its opset-19 form: modes nearest, linear and cubic; every
 * coordinate_transformation_mode; antialias, exclude_outside, extrapolation_value, axes and
 * keep_aspect_ratio_policy. (Upsample is rewritten to Resize by the importer.)
 *
 * Output sizes: floor(length · scale) from scales; from sizes, the sizes themselves, or with
 * keep_aspect_ratio_policy not_larger / not_smaller one common scale (the min / max of the
 * per-axis ratios) and round_half_up(length · scale).
 *
 * Interpolation is separable: the axes are resized one at a time, last axis first, in float64,
 * and the result is stored once in X's dtype (integers are clamped to their range and truncated).
 */
import { RangeArgumentError, ShapeError } from '../../../errors.ts';
import { attrFloat, attrInt, attrInts, attrString } from '../../../ir/attributes.ts';
import { DTYPES } from '../../../ir/dtype.ts';
import type { Node } from '../../../ir/graph.ts';
import { formatShape, tensor, type Tensor } from '../../../ir/tensor.ts';
import type { KernelConfig } from '../../kernel.ts';
import { gatherAxisMaps } from './axis-map.ts';
import { roundToDtypeInPlace } from './narrow-float.ts';
import { integerListOf, nodeLabel, normalizeAxes, NUMERIC_TYPES, optionalInput, requireDtype, requireInput, requireOneOf } from './node-io.ts';
import { filterWeights, nearestMap, type AxisResize, type AxisWeights, type CoordinateMode, type NearestMode } from './resize-weights.ts';

export interface ResizeOptions {
  readonly mode?: 'nearest' | 'linear' | 'cubic';
  readonly coordinateTransformationMode?: CoordinateMode;
  readonly nearestMode?: NearestMode;
  readonly cubicCoeffA?: number;
  readonly antialias?: boolean;
  readonly excludeOutside?: boolean;
  readonly extrapolationValue?: number;
  readonly keepAspectRatioPolicy?: 'stretch' | 'not_larger' | 'not_smaller';
  /** The axes that roi, scales and sizes refer to (all axes by default). */
  readonly axes?: readonly number[];
  /** [start…, end…] per listed axis, for tf_crop_and_resize. */
  readonly roi?: readonly number[];
  /** Exactly one of scales and sizes. */
  readonly scales?: readonly number[];
  readonly sizes?: readonly number[];
}

/** The per-axis resize plan (scale and output length of every axis of X). */
export function resizePlan(shape: readonly number[], options: ResizeOptions, where = 'Resize'): AxisResize[] {
  const rank = shape.length;
  const axes = normalizeAxes(options.axes ?? shape.map((_, i) => i), rank, where);
  const { scales, sizes, roi } = options;
  if ((scales === undefined) === (sizes === undefined)) throw new ShapeError(`${where}: exactly one of scales and sizes must be given`);
  const given = (scales ?? sizes) as readonly number[];
  if (given.length !== axes.length) throw new ShapeError(`${where}: ${given.length} ${scales ? 'scales' : 'sizes'} for ${axes.length} axes`);
  if (roi !== undefined && roi.length !== 2 * axes.length) throw new ShapeError(`${where}: roi has ${roi.length} values, expected ${2 * axes.length}`);
  const scale = new Array<number>(rank).fill(1);
  const out = [...shape];
  if (scales) {
    axes.forEach((a, i) => {
      if (!(scales[i] > 0)) throw new RangeArgumentError(`${where}: scale ${scales[i]} for axis ${a} must be positive`);
      scale[a] = scales[i];
      out[a] = Math.floor(shape[a] * scales[i]);
    });
  } else {
    const target = sizes as readonly number[];
    target.forEach((s, i) => {
      if (!Number.isInteger(s) || s < 0) throw new ShapeError(`${where}: invalid size ${s} for axis ${axes[i]}`);
    });
    const policy = options.keepAspectRatioPolicy ?? 'stretch';
    const ratios = axes.map((a, i) => target[i] / shape[a]);
    if (policy === 'stretch') {
      axes.forEach((a, i) => {
        scale[a] = ratios[i];
        out[a] = target[i];
      });
    } else {
      const common = policy === 'not_larger' ? Math.min(...ratios) : Math.max(...ratios);
      for (const a of axes) {
        scale[a] = common;
        out[a] = Math.floor(shape[a] * common + 0.5);
      }
    }
  }
  const mode = options.coordinateTransformationMode ?? 'half_pixel';
  return shape.map((inLength, a) => {
    const i = axes.indexOf(a);
    return {
      inLength,
      outLength: out[a],
      scale: scale[a],
      mode,
      roiStart: roi && i >= 0 ? roi[i] : 0,
      roiEnd: roi && i >= 0 ? roi[i + axes.length] : 1,
    };
  });
}

/** X resized as described by `options` (see ResizeOptions and the module comment). */
export function resizeImpl(x: Tensor, options: ResizeOptions, where = 'Resize'): Tensor {
  requireDtype(x, NUMERIC_TYPES, where);
  const plan = resizePlan(x.shape, options, where);
  const mode = options.mode ?? 'nearest';
  for (const a of plan) {
    if (a.inLength === 0 && a.outLength > 0) throw new ShapeError(`${where}: cannot resize an empty axis of ${formatShape(x.shape)} to ${a.outLength}`);
  }
  const extrapolation = options.extrapolationValue ?? 0;
  if (mode === 'nearest') {
    if (options.antialias) throw new RangeArgumentError(`${where}: antialias applies to linear and cubic modes only`);
    const nearest = options.nearestMode ?? 'round_prefer_floor';
    return gatherAxisMaps(x, plan.map((a) => nearestMap(a, nearest)), extrapolation);
  }
  const filter = { mode, cubicA: options.cubicCoeffA ?? -0.75, antialias: options.antialias ?? false, excludeOutside: options.excludeOutside ?? false };
  let shape = [...x.shape];
  let data: ArrayLike<number> = x.data;
  for (let a = plan.length - 1; a >= 0; a--) {
    const weights = filterWeights(plan[a], filter);
    if (plan[a].outLength === plan[a].inLength && isIdentity(weights)) continue;
    const next = [...shape];
    next[a] = plan[a].outLength;
    data = resampleAxis(data, shape, a, weights, extrapolation);
    shape = next;
  }
  const out = tensor(x.dtype, shape);
  storeResult(out, data);
  return out;
}

/** True if every output position takes exactly the input at its own index (a no-op pass). */
function isIdentity(w: AxisWeights): boolean {
  const n = w.extrapolate.length;
  for (let x = 0; x < n; x++) {
    if (w.extrapolate[x]) return false;
    let own = 0;
    for (let k = x * w.taps; k < (x + 1) * w.taps; k++) {
      if (w.index[k] === x) own += w.weight[k];
      else if (w.weight[k] !== 0) return false;
    }
    if (own !== 1) return false;
  }
  return true;
}

/** One separable pass: resamples axis `a` of `src` (shape `shape`) with the given weights. */
function resampleAxis(src: ArrayLike<number>, shape: readonly number[], a: number, w: AxisWeights, extrapolation: number): Float64Array {
  const outer = shape.slice(0, a).reduce((p, d) => p * d, 1);
  const inner = shape.slice(a + 1).reduce((p, d) => p * d, 1);
  const inLength = shape[a];
  const outLength = w.extrapolate.length;
  const dst = new Float64Array(outer * outLength * inner);
  const { taps, index, weight } = w;
  for (let p = 0; p < outer; p++) {
    for (let x = 0; x < outLength; x++) {
      const d = (p * outLength + x) * inner;
      if (w.extrapolate[x]) {
        dst.fill(extrapolation, d, d + inner);
        continue;
      }
      for (let t = 0; t < taps; t++) {
        const c = weight[x * taps + t];
        if (c === 0) continue;
        const s = (p * inLength + index[x * taps + t]) * inner;
        for (let k = 0; k < inner; k++) dst[d + k] += c * src[s + k];
      }
    }
  }
  return dst;
}

function storeResult(out: Tensor, values: ArrayLike<number>): void {
  const info = DTYPES[out.dtype];
  const dst = out.data;
  if (info.kind === 'int') {
    const lo = info.min as number;
    const hi = info.max as number;
    for (let i = 0; i < dst.length; i++) dst[i] = Math.trunc(Math.min(Math.max(values[i], lo), hi));
  } else {
    for (let i = 0; i < dst.length; i++) dst[i] = values[i];
    roundToDtypeInPlace(out.dtype, dst);
  }
}

function floatsOf(t: Tensor | undefined): number[] | undefined {
  return t && Array.from(t.data, Number);
}

function optionsOf(inputs: readonly (Tensor | undefined)[], node: Node): ResizeOptions {
  const where = nodeLabel(node);
  const sizes = optionalInput(inputs, 3);
  return {
    mode: requireOneOf(attrString(node, 'mode', 'nearest'), ['nearest', 'linear', 'cubic'], where, 'mode'),
    coordinateTransformationMode: requireOneOf(
      attrString(node, 'coordinate_transformation_mode', 'half_pixel'),
      ['half_pixel', 'half_pixel_symmetric', 'pytorch_half_pixel', 'align_corners', 'asymmetric', 'tf_crop_and_resize'],
      where,
      'coordinate_transformation_mode',
    ),
    nearestMode: requireOneOf(attrString(node, 'nearest_mode', 'round_prefer_floor'), ['round_prefer_floor', 'round_prefer_ceil', 'floor', 'ceil'], where, 'nearest_mode'),
    cubicCoeffA: attrFloat(node, 'cubic_coeff_a', -0.75),
    antialias: attrInt(node, 'antialias', 0) !== 0,
    excludeOutside: attrInt(node, 'exclude_outside', 0) !== 0,
    extrapolationValue: attrFloat(node, 'extrapolation_value', 0),
    keepAspectRatioPolicy: requireOneOf(attrString(node, 'keep_aspect_ratio_policy', 'stretch'), ['stretch', 'not_larger', 'not_smaller'], where, 'keep_aspect_ratio_policy'),
    axes: attrInts(node, 'axes'),
    roi: floatsOf(optionalInput(inputs, 1)),
    scales: floatsOf(optionalInput(inputs, 2)),
    sizes: sizes && integerListOf(sizes, where, 'sizes'),
  };
}

export const resizeKernels: readonly KernelConfig[] = [
  { op: 'Resize', impl: (inputs, node) => [resizeImpl(requireInput(inputs, 0, node, 'X'), optionsOf(inputs, node), nodeLabel(node))] },
];
