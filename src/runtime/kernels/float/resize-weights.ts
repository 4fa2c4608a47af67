/**
 * The one-dimensional half of Resize: where each output position of an axis samples the input
 * (the coordinate transformation) and with which weights (nearest, linear, cubic, antialiased).
 * Resize is separable, so the N-d op applies these per axis.
 *
 * Symbols follow the ONNX spec: x_resized (output index), x_original (input coordinate),
 * length_original, length_resized = length_original · scale (fractional when the output size
 * came from a scale), and the axis' roi [start, end] for tf_crop_and_resize.
 */
export type CoordinateMode = 'half_pixel' | 'half_pixel_symmetric' | 'pytorch_half_pixel' | 'align_corners' | 'asymmetric' | 'tf_crop_and_resize';
export type NearestMode = 'round_prefer_floor' | 'round_prefer_ceil' | 'floor' | 'ceil';

/** How one axis is resized. */
export interface AxisResize {
  readonly inLength: number;
  /** Integer output length. */
  readonly outLength: number;
  readonly scale: number;
  readonly mode: CoordinateMode;
  /** roi start and end (fractions of the axis) for tf_crop_and_resize. */
  readonly roiStart: number;
  readonly roiEnd: number;
}

/**
 * x_original for output index x, or NaN when tf_crop_and_resize samples outside the input
 * (the caller then writes extrapolation_value).
 */
export function sourceCoordinate(x: number, axis: AxisResize): number {
  const { inLength, outLength, scale, mode } = axis;
  const resized = inLength * scale;
  switch (mode) {
    case 'half_pixel':
      return (x + 0.5) / scale - 0.5;
    case 'half_pixel_symmetric': {
      // Centres the sampled window when the output length was rounded from a fractional one.
      const adjustment = outLength / resized;
      const offset = (inLength / 2) * (1 - adjustment);
      return offset + (x + 0.5) / scale - 0.5;
    }
    case 'pytorch_half_pixel':
      return resized > 1 ? (x + 0.5) / scale - 0.5 : 0;
    case 'align_corners':
      return resized === 1 ? 0 : (x * (inLength - 1)) / (resized - 1);
    case 'asymmetric':
      return x / scale;
    case 'tf_crop_and_resize': {
      const { roiStart, roiEnd } = axis;
      const v =
        resized > 1
          ? roiStart * (inLength - 1) + (x * (roiEnd - roiStart) * (inLength - 1)) / (resized - 1)
          : (0.5 * (roiStart + roiEnd) * (inLength - 1));
      return v < 0 || v > inLength - 1 ? NaN : v;
    }
  }
}

/** The input index nearest to coordinate c (which is not NaN), clamped into the axis. */
export function nearestIndex(c: number, mode: NearestMode, inLength: number): number {
  const lower = Math.floor(c);
  const frac = c - lower;
  let i: number;
  if (frac === 0) i = lower;
  else if (mode === 'floor') i = lower;
  else if (mode === 'ceil') i = lower + 1;
  else if (mode === 'round_prefer_floor') i = frac <= 0.5 ? lower : lower + 1;
  else i = frac < 0.5 ? lower : lower + 1;
  return Math.min(Math.max(i, 0), inLength - 1);
}

/** Nearest-neighbour source index per output position; −1 marks extrapolation. */
export function nearestMap(axis: AxisResize, mode: NearestMode): Int32Array {
  const map = new Int32Array(axis.outLength);
  for (let x = 0; x < map.length; x++) {
    const c = sourceCoordinate(x, axis);
    map[x] = Number.isNaN(c) ? -1 : nearestIndex(c, mode, axis.inLength);
  }
  return map;
}

/** Weights of an axis: output x reads input index[x·taps + t] with weight[x·taps + t]. */
export interface AxisWeights {
  readonly taps: number;
  readonly index: Int32Array;
  readonly weight: Float64Array;
  /** 1 where tf_crop_and_resize samples outside the input. */
  readonly extrapolate: Uint8Array;
}

export interface FilterOptions {
  readonly mode: 'linear' | 'cubic';
  /** Cubic's a (−0.75 as in PyTorch, −0.5 in some TensorFlow versions). */
  readonly cubicA: number;
  /** Stretch the filter by 1/scale when downscaling, so every input contributes. */
  readonly antialias: boolean;
  /** Give weight 0 to taps outside the input (renormalising the rest) instead of clamping to the edge. */
  readonly excludeOutside: boolean;
}

/** Keys' cubic convolution kernel with parameter a, at distance t. */
export function cubicKernel(t: number, a: number): number {
  t = Math.abs(t);
  if (t <= 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
  if (t < 2) return ((a * t - 5 * a) * t + 8 * a) * t - 4 * a;
  return 0;
}

/** The interpolation weights of every output position of an axis. */
export function filterWeights(axis: AxisResize, options: FilterOptions): AxisWeights {
  const { inLength, outLength } = axis;
  const support = options.mode === 'linear' ? 1 : 2;
  // Antialiasing widens the filter by 1/scale when shrinking; otherwise it has unit width.
  const stretch = options.antialias && axis.scale < 1 ? axis.scale : 1;
  const radius = support / stretch;
  const taps = Math.ceil(2 * radius) + 1;
  const index = new Int32Array(outLength * taps);
  const weight = new Float64Array(outLength * taps);
  const extrapolate = new Uint8Array(outLength);
  for (let x = 0; x < outLength; x++) {
    const c = sourceCoordinate(x, axis);
    if (Number.isNaN(c)) {
      extrapolate[x] = 1;
      continue;
    }
    // Taps cover every input j with |j − c| < radius (those outside weigh 0).
    const first = Math.floor(c - radius) + 1;
    let total = 0;
    for (let t = 0; t < taps; t++) {
      const j = first + t;
      const d = (j - c) * stretch;
      let w = options.mode === 'linear' ? Math.max(0, 1 - Math.abs(d)) : cubicKernel(d, options.cubicA);
      if (options.excludeOutside && (j < 0 || j >= inLength)) w = 0;
      index[x * taps + t] = Math.min(Math.max(j, 0), inLength - 1);
      weight[x * taps + t] = w;
      total += w;
    }
    // Antialiased and edge-excluded filters no longer sum to 1 by construction.
    if (total !== 0 && total !== 1) for (let t = 0; t < taps; t++) weight[x * taps + t] /= total;
  }
  return { taps, index, weight, extrapolate };
}
