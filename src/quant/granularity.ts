/**
 * Granularity (docs/QUANTIZATION.md eq. (9)): the ranges of a tensor per tensor, per channel
 * (any axis, negative axes counted from the back) and per group of `groupSize` elements along an
 * axis (ONNX blocked quantization; a group size that does not divide the axis dimension leaves a
 * shorter last group), and the parameters computed from them.
 */
import { RangeArgumentError } from '../errors.ts';
import { elementCount, normalizeAxis, scaleLayout } from './layout.ts';
import type { ScaleLayout } from './layout.ts';
import { paramsFromRange, paramsFromRanges } from './params.ts';
import type { QuantOptions, QuantParams } from './params.ts';

export type Granularity = 'tensor' | 'channel' | 'group';

/** Minimum and maximum per scale index (in the layout's order). An empty slice reports [0, 0]. */
export interface Ranges {
  readonly min: Float32Array;
  readonly max: Float32Array;
}

/** [min, max] of the whole tensor. */
export function tensorRange(data: Float32Array): { min: number; max: number } {
  const r = rangesForLayout(data, scaleLayout([data.length]));
  return { min: r.min[0], max: r.max[0] };
}

/** Per-channel ranges along `axis` (negative counts from the back): one per index of that dimension. */
export function channelRanges(data: Float32Array, shape: readonly number[], axis: number): Ranges {
  return rangesForLayout(data, checkedLayout(data, shape, axis, undefined, 'channelRanges'));
}

/** Per-group ranges: blocks of `groupSize` along `axis`, in the blocked scale tensor's row-major order. */
export function groupRanges(data: Float32Array, shape: readonly number[], axis: number, groupSize: number): Ranges {
  return rangesForLayout(data, checkedLayout(data, shape, axis, groupSize, 'groupRanges'));
}

/**
 * Min and max of the elements sharing each scale index of `layout`.
 * @throws RangeArgumentError for a NaN or ±∞ element (naming its index).
 */
export function rangesForLayout(data: Float32Array, layout: ScaleLayout): Ranges {
  const min = new Float32Array(layout.count).fill(Infinity);
  const max = new Float32Array(layout.count).fill(-Infinity);
  const { outer, channels, inner, groupSize, outerStride, blockStride, innerStride } = layout;
  let i = 0;
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const base = o * outerStride + Math.floor(c / groupSize) * blockStride;
      for (let k = 0; k < inner; k++, i++) {
        const x = data[i];
        if (x - x !== 0) throw new RangeArgumentError(`ranges: element ${i} is ${x}; quantization ranges need finite values`);
        const j = base + k * innerStride;
        if (x < min[j]) min[j] = x;
        if (x > max[j]) max[j] = x;
      }
    }
  }
  for (let j = 0; j < layout.count; j++) {
    if (min[j] > max[j]) min[j] = max[j] = 0; // no elements
  }
  return { min, max };
}

export interface TensorQuantOptions extends QuantOptions {
  readonly granularity: Granularity;
  /** Channel/group axis (negative counts from the back); required for 'channel' and 'group'. */
  readonly axis?: number;
  /** Elements per group along axis; required for 'group'. */
  readonly groupSize?: number;
}

/**
 * Quantization parameters of a tensor from its own min/max at the requested granularity
 * (eqs. (5), (6), (9)). The returned axis is normalised to ≥ 0.
 */
export function paramsForTensor(data: Float32Array, shape: readonly number[], options: TensorQuantOptions): QuantParams {
  const { granularity } = options;
  if (granularity === 'tensor') {
    checkedLayout(data, shape, undefined, undefined, 'paramsForTensor');
    const { min, max } = tensorRange(data);
    return paramsFromRange(min, max, options);
  }
  if (granularity !== 'channel' && granularity !== 'group') {
    throw new RangeArgumentError(`paramsForTensor: granularity ${JSON.stringify(granularity)} is not 'tensor', 'channel' or 'group'`);
  }
  if (options.axis === undefined) throw new RangeArgumentError(`paramsForTensor: granularity '${granularity}' needs an axis`);
  if (granularity === 'group' && options.groupSize === undefined) throw new RangeArgumentError(`paramsForTensor: granularity 'group' needs a groupSize`);
  const groupSize = granularity === 'group' ? options.groupSize : undefined;
  const layout = checkedLayout(data, shape, options.axis, groupSize, 'paramsForTensor');
  const axis = normalizeAxis(options.axis, shape.length, 'paramsForTensor');
  const { min, max } = rangesForLayout(data, layout);
  return paramsFromRanges(min, max, { ...options, axis, groupSize });
}

function checkedLayout(data: Float32Array, shape: readonly number[], axis: number | undefined, groupSize: number | undefined, where: string): ScaleLayout {
  const size = elementCount(shape, where);
  if (data.length !== size) {
    throw new RangeArgumentError(`${where}: data has ${data.length} elements but shape [${shape.join(', ')}] has ${size}`);
  }
  return scaleLayout(shape, axis, groupSize, where);
}
