/**
 * Rounding of exact rationals n/d to integers with BigInt, in every mode of rounding.ts. Used
 * where a float computation could misjudge a tie (slope-bias encoding, decimal arithmetic).
 */
import { RangeArgumentError } from '../errors.ts';
import type { RoundingMode } from './rounding.ts';
import { requireOneOf } from './validate.ts';

export const ROUNDING_MODES: readonly RoundingMode[] = ['halfToEven', 'halfAwayFromZero', 'floor', 'ceil', 'towardZero', 'stochastic'];

/** Throws RangeArgumentError unless `mode` is a RoundingMode. */
export function requireRoundingMode(mode: RoundingMode, where: string): RoundingMode {
  return requireOneOf(mode, ROUNDING_MODES, where);
}

/**
 * n/d rounded to an integer by `mode` (d ≠ 0). With n = q·d + r, 0 ≤ r < |d|, the candidates are
 * q (= ⌊n/d⌋) and q + 1; ties compare 2r with |d| exactly. Stochastic rounding goes up with
 * probability r/|d| and needs `random` (a source in [0, 1), e.g. seededRandom(seed)).
 */
export function roundRatio(numerator: bigint, denominator: bigint, mode: RoundingMode, random?: () => number): bigint {
  if (denominator === 0n) throw new RangeArgumentError('roundRatio(denominator): division by zero');
  let n = numerator;
  let d = denominator;
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  let q = n / d; // truncates toward zero
  let r = n % d; // has the sign of n
  if (r < 0n) {
    q -= 1n;
    r += d;
  }
  if (r === 0n) return q;
  const twice = 2n * r;
  switch (mode) {
    case 'floor':
      return q;
    case 'ceil':
      return q + 1n;
    case 'towardZero':
      return q < 0n ? q + 1n : q;
    case 'halfAwayFromZero':
      return twice > d || (twice === d && q >= 0n) ? q + 1n : q;
    case 'halfToEven':
      return twice > d || (twice === d && q % 2n !== 0n) ? q + 1n : q;
    case 'stochastic': {
      if (random === undefined) throw new RangeArgumentError('stochastic rounding needs a random source (options.random, e.g. seededRandom(seed))');
      const fraction = Number((r << 53n) / d) / 2 ** 53;
      return random() < fraction ? q + 1n : q;
    }
    default:
      throw new RangeArgumentError(`unknown rounding mode ${JSON.stringify(mode)}`);
  }
}
