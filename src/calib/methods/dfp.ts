/**
 * `dfp` — dynamic fixed point, the greedy layer-wise quantization of Qiu et al. 2016 (lecture,
 * "Greedy Layer-wise Quantization"): every layer gets its own fractional lengths.
 *   weights:      f_l = argmin_f Σ |W_float − W(bw, f)|                       (this module)
 *   activations:  f_l = argmin_f Σ |x⁺_float − x⁺(bw, f)|, layer by layer, with the layers before
 *                 l already in fixed point, so each choice sees the errors the earlier ones made
 *                 (the PTQ pipeline runs the network and calls `argminFractionalLength`).
 */
import { fakeQuantize } from '../../quant/quantize.ts';
import { argminFractionalLength, fixedPointParams, fractionalLengthCandidates } from './fixed-point.ts';
import type { NetworkRangeMethod } from './method.ts';

export const dfpMethod: NetworkRangeMethod = {
  name: 'dfp',
  level: 'network',
  summary: 'dynamic fixed point (Qiu et al. 2016): power-of-two scales chosen greedily layer by layer',
  needsHistogram: false,
};

/** Σ |W − W(bw, f)| minimised over candidate f, for one weight tensor. */
export function weightFractionalLength(weights: Float32Array, bits: number): { fractionalLength: number; errors: number[]; candidates: number[] } {
  let maxAbs = 0;
  for (let i = 0; i < weights.length; i++) maxAbs = Math.max(maxAbs, Math.abs(weights[i]));
  const candidates = fractionalLengthCandidates(maxAbs, bits);
  const shape = [weights.length];
  const { fractionalLength, errors } = argminFractionalLength(candidates, (f) => {
    const q = fakeQuantize(weights, shape, fixedPointParams(bits, f));
    let sum = 0;
    for (let i = 0; i < weights.length; i++) sum += Math.abs(weights[i] - q[i]);
    return sum;
  });
  return { fractionalLength, errors, candidates };
}
