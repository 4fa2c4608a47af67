/**
 * BatchNormalization folding: Conv / ConvTranspose / Gemm / MatMul (constant weight) followed by
 * an inference-mode BatchNormalization becomes one layer with W' = f·W and b' = (b − μ)·f + β
 * (batchnorm-affine.ts). A MatMul becomes Gemm(A, W', b'), so weight and bias quantize as one
 * layer. The fused layer keeps the layer's node name and writes the BatchNormalization's output.
 *
 * Folds only when it is exact: the layer's output is read by the BatchNormalization alone (and is
 * no graph output), the statistics and the layer's weight and bias are constants, and the
 * BatchNormalization is in inference form. Anything else is left as it is.
 */
import { attrFloat, attrInt } from '../../ir/attributes.ts';
import { isFloat } from '../../ir/dtype.ts';
import type { Graph, Node } from '../../ir/graph.ts';
import type { Tensor } from '../../ir/tensor.ts';
import { batchNormFactors, foldedBias, scaleWeight, type BatchNormParams } from './batchnorm-affine.ts';
import { nodeId } from './cleanup.ts';
import { asLayer } from './layer.ts';
import { GraphRewriter } from './rewriter.ts';
import type { PassChange, PassResult } from './types.ts';

/** Folds every foldable BatchNormalization into the layer before it. */
export function foldBatchNorms(graph: Graph): PassResult {
  const rw = new GraphRewriter(graph);
  const changes: PassChange[] = [];
  for (let index = 0; index < rw.size; index++) {
    const node = rw.node(index);
    if (node === undefined || node.opType !== 'BatchNormalization' || node.domain !== '') continue;
    const change = foldOne(rw, node, index);
    if (change !== undefined) changes.push(change);
  }
  return changes.length === 0 ? { graph, changes } : { graph: rw.build(), changes };
}

/** The parameters of a BatchNormalization in inference form with constant inputs, else undefined. */
function inferenceParams(rw: GraphRewriter, bn: Node): (BatchNormParams & { readonly channels: number }) | undefined {
  if (attrInt(bn, 'training_mode', 0) !== 0 || (bn.outputs[0] ?? '') === '' || bn.outputs.slice(1).some((name) => name !== '')) return undefined;
  const inputs = [1, 2, 3, 4].map((i) => rw.constant(bn.inputs[i]));
  if (!inputs.every((t): t is Tensor => t !== undefined && isFloat(t.dtype) && t.shape.length === 1)) return undefined;
  const [scale, bias, mean, variance] = inputs;
  const channels = scale.shape[0];
  if (inputs.some((t) => t.shape[0] !== channels)) return undefined;
  return { scale: scale.data, bias: bias.data, mean: mean.data, variance: variance.data, epsilon: attrFloat(bn, 'epsilon', 1e-5), channels };
}

function foldOne(rw: GraphRewriter, bn: Node, index: number): PassChange | undefined {
  const params = inferenceParams(rw, bn);
  const x = bn.inputs[0];
  const producer = rw.producerOf(x);
  if (params === undefined || producer === undefined || !rw.onlyReadBy(x, index)) return undefined;
  const layer = asLayer(rw, producer.node);
  if (layer?.weight === undefined || layer.bias === undefined || layer.channels !== params.channels) return undefined;
  const factors = batchNormFactors(params);
  const base = producer.node.name !== '' ? producer.node.name : producer.node.outputs[0];
  const weight = rw.addInitializer(`${base}_weight`, scaleWeight(layer.weight, layer.channelOf, factors));
  const bias = rw.addInitializer(`${base}_bias`, foldedBias(layer.weight, layer.bias, params, factors));
  const fused = layer.withParams(weight, bias, bn.outputs[0]);
  rw.fuse(producer.index, index, fused);
  const into = fused.opType === producer.node.opType ? producer.node.opType : `${producer.node.opType} (now ${fused.opType})`;
  return {
    pass: 'fold-batchnorm',
    nodes: [nodeId(bn), nodeId(producer.node)],
    message: `BatchNormalization ${JSON.stringify(nodeId(bn))} folded into ${into} ${JSON.stringify(nodeId(producer.node))}: weight ${JSON.stringify(weight)}, bias ${JSON.stringify(bias)}`,
  };
}
