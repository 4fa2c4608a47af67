/**
 * What a report draws for each quantized activation group: its calibration histogram (downsampled
 * to a few hundred bins), the clipping range every tensor-level range method picks from the same
 * statistics (the lecture's "no saturation" max vs saturation thresholds), and the curves the
 * methods searched — entropy's KL divergence D(T) per threshold, mse's expected squared error.
 * Everything is plain JSON: an infinite divergence is written as null.
 */
import type { HistogramObserver } from '../../calib/observers/histogram.ts';
import type { MethodCurve, TensorRangeMethod } from '../../calib/methods/method.ts';
import { RANGE_METHODS } from '../../calib/methods/registry.ts';
import type { Calibration } from '../calibrate.ts';
import type { PtqConfig } from '../config.ts';
import { mergedStatistics } from '../plan.ts';

/** A histogram over [start, start + counts.length · binWidth): only the occupied span of the observer's range. */
export interface HistogramJSON {
  readonly start: number;
  readonly binWidth: number;
  readonly counts: number[];
  /** Values observed (the sum of `counts`). */
  readonly count: number;
  /** Exact extremes observed. */
  readonly min: number;
  readonly max: number;
}

/** The range one method picks. */
export interface MethodPick {
  readonly method: string;
  readonly min: number;
  readonly max: number;
}

export interface CurveJSON {
  readonly method: string;
  readonly label: string;
  readonly x: number[];
  /** null where the curve is infinite (a KL divergence with Q(j) = 0 < P(j)). */
  readonly y: (number | null)[];
}

export interface TensorDistribution {
  /** The group's first member: the tensor whose statistics (merged over `members`) choose the range. */
  readonly tensor: string;
  readonly members: string[];
  readonly bits: number;
  /** Absent when calibration kept no histogram (methods `max`, `dfp`, `sfp` need none). */
  readonly histogram?: HistogramJSON;
  /** Every tensor-level method's range for these statistics, in registry order. */
  readonly picks: MethodPick[];
  readonly curves: CurveJSON[];
}

/** An activation of the plan: its tensor, shared-parameter group and bit width. */
export interface PlannedActivation {
  readonly tensor: string;
  readonly group: string;
  readonly bits: number;
}

export interface DistributionOptions {
  /** Histogram bins kept at most (default 256). */
  readonly bins?: number;
  /** Curve points kept at most (default 256). */
  readonly points?: number;
}

/** One distribution per activation group, in plan order. */
export function tensorDistributions(
  activations: Iterable<PlannedActivation>,
  calibration: Calibration,
  config: PtqConfig,
  options: DistributionOptions = {},
): TensorDistribution[] {
  const groups = new Map<string, { members: string[]; bits: number }>();
  for (const a of activations) {
    const entry = groups.get(a.group);
    if (entry) entry.members.push(a.tensor);
    else groups.set(a.group, { members: [a.tensor], bits: a.bits });
  }
  const methods = [...RANGE_METHODS.values()].filter((m): m is TensorRangeMethod => m.level === 'tensor');
  return [...groups].map(([group, { members, bits }]) => {
    // The group's members in plan order start with the group itself (its first producer).
    const stats = mergedStatistics(members, calibration);
    const seen = { min: stats.minmax.min, max: stats.minmax.max, ...(stats.histogram ? { histogram: stats.histogram } : {}) };
    const request = { bits, scheme: config.activationScheme, signed: config.activationSigned, percentile: config.percentile };
    const picks: MethodPick[] = [];
    const curves: CurveJSON[] = [];
    for (const method of methods) {
      if (method.needsHistogram && stats.histogram === undefined) continue;
      const choice = method.choose(seen, request);
      picks.push({ method: method.name, min: choice.min, max: choice.max });
      if (choice.curve) curves.push(curveJSON(method.name, choice.curve, options.points ?? 256));
    }
    return {
      tensor: group,
      members,
      bits,
      ...(stats.histogram ? { histogram: downsampleHistogram(stats.histogram, options.bins ?? 256) } : {}),
      picks,
      curves,
    };
  });
}

/**
 * The occupied span of a histogram (first to last non-empty bin) in at most `maxBins` bins, each
 * merging k = ⌈span / maxBins⌉ neighbours: counts are preserved exactly.
 */
export function downsampleHistogram(histogram: HistogramObserver, maxBins: number): HistogramJSON {
  const counts = histogram.counts;
  let first = 0;
  while (first < counts.length && counts[first] === 0) first++;
  let last = counts.length - 1;
  while (last >= first && counts[last] === 0) last--;
  const extremes = { count: histogram.count, min: histogram.min, max: histogram.max };
  if (first > last) return { start: 0, binWidth: 0, counts: [], ...extremes };
  const k = Math.ceil((last - first + 1) / maxBins);
  const merged: number[] = [];
  for (let j = first; j <= last; j += k) {
    let sum = 0;
    for (let i = j; i < Math.min(j + k, counts.length); i++) sum += counts[i];
    merged.push(sum);
  }
  return { start: -histogram.halfRange + first * histogram.binWidth, binWidth: k * histogram.binWidth, counts: merged, ...extremes };
}

/**
 * At most `maxPoints` points of a curve: each window of ⌈n / maxPoints⌉ consecutive points keeps
 * its lowest one, so the curve's minimum — the point the method chose — is always kept.
 */
export function decimateCurve(x: readonly number[], y: readonly number[], maxPoints: number): { x: number[]; y: number[] } {
  const k = Math.max(1, Math.ceil(x.length / maxPoints));
  const out = { x: [] as number[], y: [] as number[] };
  for (let start = 0; start < x.length; start += k) {
    let best = start;
    for (let i = start + 1; i < Math.min(start + k, x.length); i++) if (y[i] < y[best]) best = i;
    out.x.push(x[best]);
    out.y.push(y[best]);
  }
  return out;
}

function curveJSON(method: string, curve: MethodCurve, maxPoints: number): CurveJSON {
  const { x, y } = decimateCurve(curve.x, curve.y, maxPoints);
  return { method, label: curve.label, x, y: y.map((v) => (Number.isFinite(v) ? v : null)) };
}
