/**
 * BatchNormalization at inference is a per-channel affine map, so it folds into the weight and
 * bias of the linear layer before it:
 *
 *   BN(y) = γ·(y − μ)/√(σ² + ε) + β = f·y + (β − μ·f),   f = γ/√(σ² + ε)
 *   BN(W·x + b) = (f·W)·x + (b − μ)·f + β,   so  W' = f·W (per output channel),  b' = (b − μ)·f + β.
 *
 * Computed in float64, rounded once into the weight's dtype.
 */
import { allocate } from '../../ir/dtype.ts';
import { tensor, type Tensor } from '../../ir/tensor.ts';

/** The per-channel statistics and parameters of an inference-mode BatchNormalization. */
export interface BatchNormParams {
  /** γ */
  readonly scale: ArrayLike<number>;
  /** β */
  readonly bias: ArrayLike<number>;
  /** μ */
  readonly mean: ArrayLike<number>;
  /** σ² */
  readonly variance: ArrayLike<number>;
  /** ε */
  readonly epsilon: number;
}

/** f[c] = γ[c]/√(σ²[c] + ε), as the BatchNormalization kernel computes it. */
export function batchNormFactors(p: BatchNormParams): Float64Array {
  return Float64Array.from(p.scale, (gamma, c) => gamma / Math.sqrt(p.variance[c] + p.epsilon));
}

/** W' = f·W: every weight element times the factor of its output channel. */
export function scaleWeight(w: Tensor, channelOf: (index: number) => number, factors: Float64Array): Tensor {
  const data = allocate(w.dtype, w.data.length);
  for (let i = 0; i < data.length; i++) data[i] = w.data[i] * factors[channelOf(i)];
  return tensor(w.dtype, w.shape, data);
}

/** b' = (b − μ)·f + β, one value per channel, as a 1-D tensor of `like`'s dtype. */
export function foldedBias(like: Tensor, bias: ArrayLike<number>, p: BatchNormParams, factors: Float64Array): Tensor {
  const data = allocate(like.dtype, factors.length);
  for (let c = 0; c < data.length; c++) data[c] = (bias[c] - p.mean[c]) * factors[c] + p.bias[c];
  return tensor(like.dtype, [factors.length], data);
}
