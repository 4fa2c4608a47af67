/**
 * The range-method contract: statistics an observer collected → the clipping range [min, max]
 * from which quant/params.ts derives scale and zero point. Methods never compute scales
 * themselves (one home for qparam math), but may call params.ts to score a candidate range.
 */
import type { QuantScheme } from '../../quant/params.ts';
import type { HistogramObserver } from '../observers/histogram.ts';

export interface RangeRequest {
  readonly bits: number;
  readonly scheme: QuantScheme;
  /** Storage signedness (defaults as in quant/params.ts). */
  readonly signed?: boolean;
  /** Percentile for the `percentile` method, in (0, 100]; default 99.99. */
  readonly percentile?: number;
}

/** What a tensor-level method may read: the exact extremes, and the histogram when it asked for one. */
export interface TensorStatistics {
  readonly min: number;
  readonly max: number;
  readonly histogram?: HistogramObserver;
}

/** A curve a method explored (e.g. KL divergence per candidate threshold), kept for the report. */
export interface MethodCurve {
  readonly label: string;
  readonly x: readonly number[];
  readonly y: readonly number[];
}

export interface RangeChoice {
  readonly min: number;
  readonly max: number;
  readonly curve?: MethodCurve;
}

export interface TensorRangeMethod {
  readonly name: string;
  readonly level: 'tensor';
  readonly summary: string;
  readonly needsHistogram: boolean;
  choose(stats: TensorStatistics, request: RangeRequest): RangeChoice;
}

/**
 * Methods that choose ranges for the whole network at once (fixed point: `dfp`, `sfp`). They need
 * to run the network, which calib/ cannot do, so the PTQ pipeline drives them through the
 * callbacks their modules export; the registry entry names them and says what they need.
 */
export interface NetworkRangeMethod {
  readonly name: string;
  readonly level: 'network';
  readonly summary: string;
  readonly needsHistogram: false;
}

export type RangeMethod = TensorRangeMethod | NetworkRangeMethod;

/** The range a scheme can use from observed extremes: symmetric schemes need ±max|x|, unsigned [0, max]. */
export function schemeRange(min: number, max: number, scheme: QuantScheme): { min: number; max: number } {
  if (scheme === 'symmetric' || scheme === 'symmetric-full') {
    const m = Math.max(Math.abs(min), Math.abs(max));
    return { min: -m, max: m };
  }
  if (scheme === 'unsigned') return { min: 0, max: Math.max(max, 0) };
  return { min, max };
}

/** Clips the observed range [min, max] symmetrically at ±threshold, then applies the scheme. */
export function clipAtThreshold(stats: TensorStatistics, threshold: number, scheme: QuantScheme): { min: number; max: number } {
  const lo = Math.max(stats.min, -threshold);
  const hi = Math.min(stats.max, threshold);
  return schemeRange(Math.min(lo, hi), Math.max(lo, hi), scheme);
}
