/**
 * BatchNormalization. In training (the tape's context, whatever the node's training_mode says)
 * it normalises with the batch's statistics, as the float kernel does in training mode, and
 * updates the running ones as ONNX defines it: running = running·momentum + batch·(1 − momentum)
 * (population variance). With x̂ = (x − μ_B)/σ_B, σ_B = √(var_B + ε) and m values per channel:
 *   ∂L/∂γ = Σ ∂L/∂y·x̂,   ∂L/∂β = Σ ∂L/∂y,
 *   ∂L/∂x = γ/(m·σ_B) · (m·∂L/∂y − Σ ∂L/∂y − x̂·Σ ∂L/∂y·x̂)   (μ_B and σ_B depend on x).
 * In evaluation it is the inference form's per-channel affine map f·(x − μ) + β, f = γ/σ, with
 * frozen statistics: ∂L/∂x = f·∂L/∂y, ∂L/∂γ = Σ ∂L/∂y·(x − μ)/σ, ∂L/∂β = Σ ∂L/∂y.
 */
import { attrFloat } from '../../../ir/attributes.ts';
import type { Node } from '../../../ir/graph.ts';
import { tensor, type Tensor } from '../../../ir/tensor.ts';
import { batchNormImpl, channelMoments } from '../../../runtime/kernels/float/batch-norm.ts';
import type { FloatArray } from '../../../runtime/kernels/float/float-io.ts';
import type { GradOp, OpRecord, TapeContext } from '../grad-op.ts';
import { floatForward, zerosLike } from './kernels.ts';

/** Per channel: Σ dy and Σ dy·(x − mean)·invStd over the batch and spatial axes. */
function channelSums(x: FloatArray, dy: FloatArray, mean: ArrayLike<number>, invStd: ArrayLike<number>, batch: number, channels: number, plane: number) {
  const sumDy = new Float64Array(channels);
  const sumDyXhat = new Float64Array(channels);
  for (let n = 0; n < batch; n++) {
    for (let c = 0; c < channels; c++) {
      const start = (n * channels + c) * plane;
      let s = 0;
      let sx = 0;
      for (let i = start; i < start + plane; i++) {
        s += dy[i];
        sx += dy[i] * (x[i] - mean[c]);
      }
      sumDy[c] += s;
      sumDyXhat[c] += sx * invStd[c];
    }
  }
  return { sumDy, sumDyXhat };
}

function forward(inputs: readonly (Tensor | undefined)[], node: Node, context: TapeContext): OpRecord {
  const [x, scale, bias, runningMean, runningVar] = inputs as Tensor[];
  const [batch, channels] = x.shape;
  const plane = x.data.length / Math.max(1, batch * channels);
  const epsilon = attrFloat(node, 'epsilon', 1e-5);
  let mean: ArrayLike<number>;
  let variance: ArrayLike<number>;
  let outputs: Tensor[];
  let updates: Map<number, Tensor> | undefined;
  if (context.training) {
    ({ mean, variance } = channelMoments(x.data as FloatArray, batch, channels, plane));
    const y = zerosLike(x);
    batchNormImpl(x.data as FloatArray, batch, channels, plane, scale.data as FloatArray, bias.data as FloatArray, mean, variance, epsilon, y.data as FloatArray);
    const momentum = attrFloat(node, 'momentum', 0.9);
    const running = (old: Tensor, batchValue: ArrayLike<number>) => tensor(old.dtype, old.shape, old.data.map((v, c) => v * momentum + batchValue[c] * (1 - momentum)));
    const newMean = running(runningMean, mean);
    const newVar = running(runningVar, variance);
    updates = new Map([[3, newMean], [4, newVar]]);
    outputs = [y, newMean, newVar].slice(0, node.outputs.length);
  } else {
    mean = runningMean.data;
    variance = runningVar.data;
    outputs = floatForward(inputs, node);
  }
  const invStd = Float64Array.from(variance, (v) => 1 / Math.sqrt(v + epsilon));
  return {
    outputs,
    ...(updates ? { updates } : {}),
    backward([gy], wanted) {
      const dy = gy!.data as FloatArray;
      const xs = x.data as FloatArray;
      const gamma = scale.data;
      const { sumDy, sumDyXhat } = channelSums(xs, dy, mean, invStd, batch, channels, plane);
      let dx: Tensor | undefined;
      if (wanted[0]) {
        dx = zerosLike(x);
        const d = dx.data;
        const count = batch * plane;
        for (let n = 0; n < batch; n++) {
          for (let c = 0; c < channels; c++) {
            const start = (n * channels + c) * plane;
            const f = gamma[c] * invStd[c];
            if (!context.training) {
              for (let i = start; i < start + plane; i++) d[i] = f * dy[i];
              continue;
            }
            const meanDy = sumDy[c] / count;
            const meanDyXhat = sumDyXhat[c] / count;
            for (let i = start; i < start + plane; i++) d[i] = f * (dy[i] - meanDy - (xs[i] - mean[c]) * invStd[c] * meanDyXhat);
          }
        }
      }
      const perChannel = (values: Float64Array, like: Tensor) => tensor(like.dtype, like.shape, like.data.map((_, c) => values[c]));
      return [dx, wanted[1] ? perChannel(sumDyXhat, scale) : undefined, wanted[2] ? perChannel(sumDy, bias) : undefined];
    },
  };
}

export const batchNormGrad: GradOp = { op: 'BatchNormalization', forward };
