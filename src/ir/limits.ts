/**
 * Resource limits applied to untrusted models before anything is allocated: a hostile or broken
 * file must not make quantkit allocate gigabytes or recurse without bound. Exceeding a limit throws
 * LimitError naming the value and the limit.
 */
import { LimitError, RangeArgumentError } from '../errors.ts';

export interface Limits {
  /** Largest element count of one tensor (default 2^31). */
  readonly maxTensorElements: number;
  /** Largest total of tensor bytes (initializers, Constant values, attributes) in a model (default 4 GiB). */
  readonly maxTotalBytes: number;
  /** Largest number of nodes, counting the nodes of subgraphs (default 1,000,000). */
  readonly maxNodes: number;
  /** Deepest nesting of subgraphs (If/Loop bodies) (default 16). */
  readonly maxSubgraphDepth: number;
  /** Largest element count of one list attribute (ints, floats, strings, ...) (default 2^24). */
  readonly maxAttributeElements: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxTensorElements: 2 ** 31,
  maxTotalBytes: 4 * 2 ** 30,
  maxNodes: 1_000_000,
  maxSubgraphDepth: 16,
  maxAttributeElements: 2 ** 24,
};

/** The defaults overridden by `overrides`; each given value must be a positive integer. */
export function resolveLimits(overrides: Partial<Limits> = {}): Limits {
  const limits = { ...DEFAULT_LIMITS };
  for (const [key, value] of Object.entries(overrides) as [keyof Limits, number | undefined][]) {
    if (value === undefined) continue;
    if (!(key in DEFAULT_LIMITS)) throw new RangeArgumentError(`limits: unknown limit ${JSON.stringify(key)}`);
    if (!Number.isInteger(value) || value < 0) throw new RangeArgumentError(`limits.${key}: ${value} is not a non-negative integer`);
    limits[key] = value;
  }
  return limits;
}

/** Throws LimitError if `value` exceeds `limits[key]`; `what` names the offending object. */
export function checkLimit(limits: Limits, key: keyof Limits, value: number, what: string): void {
  if (value > limits[key]) {
    throw new LimitError(`${what}: ${value} exceeds the limit ${key} = ${limits[key]}`);
  }
}

/**
 * A running total of tensor bytes against `maxTotalBytes`; `add` throws LimitError naming the
 * tensor that crosses the limit.
 */
export class ByteBudget {
  private used = 0;
  constructor(private readonly limits: Limits) {}

  add(bytes: number, what: string): void {
    this.used += bytes;
    if (this.used > this.limits.maxTotalBytes) {
      throw new LimitError(`${what}: tensor data totals ${this.used} bytes, above the limit maxTotalBytes = ${this.limits.maxTotalBytes}`);
    }
  }

  get total(): number {
    return this.used;
  }
}
