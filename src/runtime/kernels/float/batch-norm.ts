/**
 * BatchNormalization (ONNX-15). Inference (training_mode = 0):
 *   Y = (X − input_mean) / sqrt(input_var + epsilon) · scale + B      per channel (axis 1).
 * Training mode normalises with the batch statistics instead (mean and population variance
 * over every axis but the channel) and also returns
 *   running_mean = input_mean · momentum + current_mean · (1 − momentum)   (same for var).
 */
import { ShapeError } from '../../../errors.ts';
import { attrFloat, attrInt } from '../../../ir/attributes.ts';
import type { Node } from '../../../ir/graph.ts';
import { formatShape, type Tensor } from '../../../ir/tensor.ts';
import type { KernelConfig } from '../../kernel.ts';
import { allocateFloat, floatInput, floatResult, type FloatArray, type FloatTensor } from './float-io.ts';
import { nodeLabel } from './node-io.ts';

/** Y[n, c, :] = (X[n, c, :] − mean[c]) · scale[c] / sqrt(variance[c] + epsilon) + bias[c]. */
export function batchNormImpl(
  x: FloatArray,
  batch: number,
  channels: number,
  plane: number,
  scale: FloatArray,
  bias: FloatArray,
  mean: ArrayLike<number>,
  variance: ArrayLike<number>,
  epsilon: number,
  y: FloatArray,
): void {
  for (let c = 0; c < channels; c++) {
    const factor = scale[c] / Math.sqrt(variance[c] + epsilon);
    const m = mean[c];
    const b = bias[c];
    for (let n = 0; n < batch; n++) {
      const start = (n * channels + c) * plane;
      for (let i = start; i < start + plane; i++) y[i] = (x[i] - m) * factor + b;
    }
  }
}

/** Per-channel mean and population variance over the batch and spatial axes (float64). */
export function channelMoments(x: FloatArray, batch: number, channels: number, plane: number): { mean: Float64Array; variance: Float64Array } {
  const mean = new Float64Array(channels);
  const variance = new Float64Array(channels);
  const count = batch * plane;
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    for (let n = 0; n < batch; n++) {
      const start = (n * channels + c) * plane;
      for (let i = start; i < start + plane; i++) sum += x[i];
    }
    const mu = sum / count;
    let squares = 0;
    for (let n = 0; n < batch; n++) {
      const start = (n * channels + c) * plane;
      for (let i = start; i < start + plane; i++) squares += (x[i] - mu) ** 2;
    }
    mean[c] = mu;
    variance[c] = squares / count;
  }
  return { mean, variance };
}

function batchNorm(inputs: readonly (Tensor | undefined)[], node: Node): Tensor[] {
  const label = nodeLabel(node);
  const x = floatInput(inputs, 0, node, 'X');
  const params = (['scale', 'B', 'input_mean', 'input_var'] as const).map((what, i) => floatInput(inputs, i + 1, node, what));
  if (x.shape.length < 2) throw new ShapeError(`${label}: input X has shape ${formatShape(x.shape)}; needs N × C × ...`);
  const [batch, channels] = x.shape;
  params.forEach((p, i) => {
    if (p.data.length !== channels || p.shape.length !== 1) {
      throw new ShapeError(`${label}: input ${i + 1} has shape ${formatShape(p.shape)}, expected [${channels}] (one value per channel)`);
    }
  });
  const [scale, bias, inputMean, inputVar] = params;
  const plane = x.shape.slice(2).reduce((a, b) => a * b, 1);
  const epsilon = attrFloat(node, 'epsilon', 1e-5);
  const y = allocateFloat(x.dtype, x.data.length);
  if (attrInt(node, 'training_mode', 0) === 0) {
    batchNormImpl(x.data, batch, channels, plane, scale.data, bias.data, inputMean.data, inputVar.data, epsilon, y);
    return [floatResult(x.dtype, x.shape, y)];
  }
  const { mean, variance } = channelMoments(x.data, batch, channels, plane);
  batchNormImpl(x.data, batch, channels, plane, scale.data, bias.data, mean, variance, epsilon, y);
  const momentum = attrFloat(node, 'momentum', 0.9);
  const running = (input: FloatTensor, current: Float64Array): Tensor => {
    const out = allocateFloat(input.dtype, channels);
    for (let c = 0; c < channels; c++) out[c] = input.data[c] * momentum + current[c] * (1 - momentum);
    return floatResult(input.dtype, [channels], out);
  };
  return [floatResult(x.dtype, x.shape, y), running(inputMean, mean), running(inputVar, variance)];
}

export const batchNormConfig: KernelConfig = { op: 'BatchNormalization', impl: batchNorm };
