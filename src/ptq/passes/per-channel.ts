/** Constants that hold one value per output channel once broadcast against a layer's output. */
import type { Tensor } from '../../ir/tensor.ts';

/**
 * The values of `t` per channel when `t`, broadcast (numpy-style, aligned on the right) against an
 * output of rank `rank` whose axis 1 has `channels` entries, varies along axis 1 only and leaves
 * the output shape unchanged: every dim 1 except the one meeting axis 1, which is 1 or `channels`.
 * [C], [1, C] for a 2-D output; [C, 1, 1], [1, C, 1, 1] (and [1], []) for N×C×H×W. Undefined otherwise.
 */
export function perChannelValues(t: Tensor, rank: number, channels: number): Float64Array | undefined {
  if (t.shape.length > rank) return undefined;
  const offset = rank - t.shape.length;
  for (let axis = 0; axis < t.shape.length; axis++) {
    const dim = t.shape[axis];
    if (dim !== 1 && !(axis + offset === 1 && dim === channels)) return undefined;
  }
  const values = new Float64Array(channels);
  for (let c = 0; c < channels; c++) values[c] = t.data.length === 1 ? t.data[0] : t.data[c];
  return values;
}
