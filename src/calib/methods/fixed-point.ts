/**
 * Fixed-point formats for the lecture's dynamic/static fixed-point methods (Qiu et al. 2016):
 * a bw-bit two's complement number n = Σ Bᵢ·2^i · 2^−f with fractional length f is the
 * quantizer with scale 2^−f, zero point 0 and the full signed range [−2^(bw−1), 2^(bw−1) − 1].
 */
import { RangeArgumentError } from '../../errors.ts';
import { createParams, type QuantParams } from '../../quant/params.ts';

/** QuantParams of the fixed-point format (bw, f). */
export function fixedPointParams(bits: number, fractionalLength: number): QuantParams {
  if (!Number.isInteger(fractionalLength)) throw new RangeArgumentError(`fractional length ${fractionalLength} must be an integer`);
  return createParams({ scale: 2 ** -fractionalLength, zeroPoint: 0, bits, signed: true, scheme: 'symmetric-full' });
}

/**
 * The largest fractional length whose range still covers ±maxAbs without overflow:
 * (2^(bw−1) − 1)·2^−f ≥ maxAbs. (Finer formats clip the largest values.)
 */
export function coveringFractionalLength(maxAbs: number, bits: number): number {
  if (!(maxAbs > 0) || !Number.isFinite(maxAbs)) return bits - 1; // nothing to cover: Q0.(bw−1)
  let f = Math.floor(Math.log2((2 ** (bits - 1) - 1) / maxAbs));
  while ((2 ** (bits - 1) - 1) * 2 ** -f < maxAbs) f--;
  while ((2 ** (bits - 1) - 1) * 2 ** -(f + 1) >= maxAbs) f++;
  return f;
}

/**
 * Candidate fractional lengths for a tensor with extreme |x| = maxAbs: from the covering one up
 * to `extra` finer ones (trading overflow of the largest values for resolution), as Qiu et al.
 * search them.
 */
export function fractionalLengthCandidates(maxAbs: number, bits: number, extra = 8): number[] {
  const f0 = coveringFractionalLength(maxAbs, bits);
  return Array.from({ length: extra + 1 }, (_, k) => f0 + k);
}

/** argmin over candidates of `error(f)`; ties keep the first (coarsest) candidate. */
export function argminFractionalLength(candidates: readonly number[], error: (f: number) => number): { fractionalLength: number; errors: number[] } {
  if (candidates.length === 0) throw new RangeArgumentError('fixed point: no candidate fractional lengths');
  const errors = candidates.map(error);
  let best = 0;
  for (let k = 1; k < errors.length; k++) if (errors[k] < errors[best]) best = k;
  return { fractionalLength: candidates[best], errors };
}
