/**
 * `sfp` — static fixed point, the lecture's baseline: one fractional length for all activations
 * of the network and one for all weights, each the finest that covers the network-wide extreme
 * without overflow. Layers with small values then keep few significant bits — why it fails at
 * 8 bits ("Impossible" / 28.2% top-1 in the lecture's table).
 */
import { coveringFractionalLength } from './fixed-point.ts';
import type { NetworkRangeMethod } from './method.ts';

export const sfpMethod: NetworkRangeMethod = {
  name: 'sfp',
  level: 'network',
  summary: 'static fixed point: one fractional length for all activations, one for all weights',
  needsHistogram: false,
};

/** The network-wide fractional length covering the largest |x| over all `maxAbs`. */
export function staticFractionalLength(maxAbs: Iterable<number>, bits: number): number {
  let m = 0;
  for (const v of maxAbs) m = Math.max(m, v);
  return coveringFractionalLength(m, bits);
}
