/**
 * The observer contract (after PyTorch's ObserverBase, minus its duplicated qparam math):
 * `observe(values)` only updates statistics; turning statistics into a range is the job of a
 * RangeMethod (calib/methods/). Observers are streaming (constant memory whatever the number of
 * samples) and mergeable (`merge` combines the statistics of two shards as if one observer had
 * seen both), and serialise to plain JSON so ranges can be saved and resumed.
 */
import { DataError } from '../../errors.ts';

export interface Observer<State> {
  readonly kind: string;
  /** Updates the statistics with a batch of finite values. */
  observe(values: Float32Array): void;
  /** Folds another observer of the same kind (and configuration) into this one. */
  merge(other: Observer<State>): void;
  /** A plain-JSON snapshot of the statistics. */
  toJSON(): State;
}

/** Index of the first NaN or ±Infinity in `values`, or −1. */
export function firstNonFinite(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v - v !== 0) return i; // NaN − NaN and ∞ − ∞ are NaN
  }
  return -1;
}

/** A batch's extremes (over the values before its first NaN/±∞) and that NaN/±∞'s index, or −1. */
export interface BatchScan {
  readonly min: number;
  readonly max: number;
  readonly nonFinite: number;
}

/**
 * One pass over a batch: its extremes and the index of its first NaN/±∞ (−1 if none), so a
 * caller can check values and feed several observers without reading them again.
 */
export function scanExtremes(values: ArrayLike<number>): BatchScan {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v - v !== 0) return { min, max, nonFinite: i };
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max, nonFinite: -1 };
}

/** Throws a DataError naming `what` if `values` holds a NaN or ±Infinity. */
export function assertFinite(values: ArrayLike<number>, what: string): void {
  finiteExtremes(values, what);
}

export function assertSameKind(self: { kind: string }, other: { kind: string }): void {
  if (self.kind !== other.kind) throw new DataError(`cannot merge a ${other.kind} observer into a ${self.kind} observer`);
}

/** The extremes of a batch of finite values; a NaN/±∞ is a DataError naming `what` and its index. */
export function finiteExtremes(values: ArrayLike<number>, what: string): { min: number; max: number } {
  const { min, max, nonFinite } = scanExtremes(values);
  if (nonFinite >= 0) throw new DataError(`${what}: non-finite value ${values[nonFinite]} at element ${nonFinite}`);
  return { min, max };
}
