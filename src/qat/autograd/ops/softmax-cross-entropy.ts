/**
 * SoftmaxCrossEntropyLoss (ONNX-13) for scores [N, C] and class labels [N]: with
 * p = softmax(scores) per row, the loss of sample i is −log p[i, label_i], reduced by 'mean'
 * (the default; over the samples not carrying ignore_index), 'sum' or 'none'. Its gradient is the
 * classic (p − onehot(label)) per sample, times the reduction's factor. The log-probabilities come
 * from the float kernels' log-softmax (max-shifted, float64 sums). Class weights are not supported.
 */
import { DataError, ShapeError, UnsupportedOpError } from '../../../errors.ts';
import { attrInt, attrString } from '../../../ir/attributes.ts';
import type { Node } from '../../../ir/graph.ts';
import { formatShape, tensor, type Tensor } from '../../../ir/tensor.ts';
import type { FloatArray } from '../../../runtime/kernels/float/float-io.ts';
import { nodeLabel, requireOneOf } from '../../../runtime/kernels/float/node-io.ts';
import { softmaxImpl } from '../../../runtime/kernels/float/softmax.ts';
import type { GradOp, OpRecord } from '../grad-op.ts';
import { zerosLike } from './kernels.ts';

function forward(inputs: readonly (Tensor | undefined)[], node: Node): OpRecord {
  const label = nodeLabel(node);
  const [scores, labels, weights] = inputs;
  if (scores === undefined || labels === undefined) throw new ShapeError(`${label}: needs scores and labels`);
  if (weights !== undefined) throw new UnsupportedOpError(`${label}: class weights are not supported`);
  if (scores.shape.length !== 2) throw new UnsupportedOpError(`${label}: scores ${formatShape(scores.shape)}: only [N, C] is supported`);
  const [batch, classes] = scores.shape;
  if (labels.shape.length !== 1 || labels.shape[0] !== batch) throw new ShapeError(`${label}: labels ${formatShape(labels.shape)} do not match scores ${formatShape(scores.shape)}`);
  const reduction = requireOneOf(attrString(node, 'reduction', 'mean'), ['mean', 'sum', 'none'] as const, label, 'reduction');
  const ignore = attrInt(node, 'ignore_index');
  const logProb = zerosLike(scores);
  softmaxImpl(scores.data as FloatArray, batch, classes, 1, true, logProb.data as FloatArray);
  const losses = new Float64Array(batch);
  let counted = 0;
  for (let i = 0; i < batch; i++) {
    const c = labels.data[i];
    if (c === ignore) continue;
    if (!Number.isInteger(c) || c < 0 || c >= classes) throw new DataError(`${label}: label ${c} of sample ${i} is not a class in [0, ${classes})`);
    losses[i] = -logProb.data[i * classes + c];
    counted++;
  }
  const factor = reduction === 'mean' ? 1 / Math.max(counted, 1) : 1;
  const total = losses.reduce((a, b) => a + b, 0) * factor;
  const output = reduction === 'none' ? tensor(scores.dtype, [batch]) : tensor(scores.dtype, []);
  if (reduction === 'none') output.data.set(losses);
  else output.data[0] = total;
  return {
    outputs: [output, logProb].slice(0, Math.max(1, node.outputs.length)),
    backward([gy]) {
      const dscores = zerosLike(scores);
      const d = dscores.data;
      for (let i = 0; i < batch; i++) {
        const c = labels.data[i];
        if (c === ignore) continue;
        const g = (reduction === 'none' ? gy!.data[i] : gy!.data[0]) * factor;
        for (let j = 0; j < classes; j++) d[i * classes + j] = g * (Math.exp(logProb.data[i * classes + j]) - (j === c ? 1 : 0));
      }
      return [dscores];
    },
  };
}

export const softmaxCrossEntropyGrad: GradOp = { op: 'SoftmaxCrossEntropyLoss', forward };
