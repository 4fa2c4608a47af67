/**
 * Bias folding: a layer followed by Add of a constant with one value per output channel becomes
 * the layer with that bias (added to the bias it has), so weight and int32 bias quantize as one
 * layer, as onnxruntime's quantizer expects.
 *
 * - Conv / ConvTranspose + Add(c), c broadcastable to [1, M, 1, ...]: [M], … [M, 1, 1], [1, M, 1, 1];
 * - Gemm + Add(c), c of shape [N] or [1, N]: C' = β·C + c (β then 1);
 * - MatMul(A, W) + Add(c), W a constant [K, N], c of shape [N] or [1, N], A known to be 2-D
 *   (value info or shape inference): Gemm(A, W, c). With a batched or unknown-rank A, MatMul and
 *   Add stay.
 *
 * The layer's output must be read by the Add alone (and be no graph output). The fused layer
 * keeps the layer's node name and writes the Add's output; a new bias is called `<layer>_bias`.
 */
import { allocate } from '../../ir/dtype.ts';
import type { Graph, Node } from '../../ir/graph.ts';
import { tensor, type Tensor } from '../../ir/tensor.ts';
import { nodeId } from './cleanup.ts';
import { asLayer } from './layer.ts';
import { perChannelValues } from './per-channel.ts';
import { GraphRewriter } from './rewriter.ts';
import type { PassChange, PassResult } from './types.ts';

/** Folds every Add of a per-channel constant into the layer that computes its other operand. */
export function foldBiases(graph: Graph): PassResult {
  const rw = new GraphRewriter(graph);
  const changes: PassChange[] = [];
  for (let index = 0; index < rw.size; index++) {
    const node = rw.node(index);
    if (node === undefined || node.opType !== 'Add' || node.domain !== '' || node.inputs.length !== 2 || node.outputs.length !== 1) continue;
    // Add commutes: the constant may come first or second.
    const change = foldOne(rw, node, index, 0) ?? foldOne(rw, node, index, 1);
    if (change !== undefined) changes.push(change);
  }
  return changes.length === 0 ? { graph, changes } : { graph: rw.build(), changes };
}

function foldOne(rw: GraphRewriter, add: Node, index: number, constantInput: number): PassChange | undefined {
  const addend = rw.constant(add.inputs[constantInput]);
  const x = add.inputs[1 - constantInput];
  const producer = rw.producerOf(x);
  if (addend === undefined || producer === undefined || !rw.onlyReadBy(x, index)) return undefined;
  const layer = asLayer(rw, producer.node);
  if (layer === undefined || layer.bias === undefined || addend.dtype !== layer.dtype) return undefined;
  const values = perChannelValues(addend, layer.outputRank, layer.channels);
  if (values === undefined) return undefined;
  const bias = reuseAsBias(addend, layer.channels) && !layer.hasBias
    ? add.inputs[constantInput]
    : rw.addInitializer(`${producer.node.name !== '' ? producer.node.name : producer.node.outputs[0]}_bias`, sum(addend, layer.bias, values));
  const fused = layer.withParams(layer.weightName, bias, add.outputs[0]);
  rw.fuse(producer.index, index, fused);
  const into = fused.opType === producer.node.opType ? producer.node.opType : `${producer.node.opType} (now ${fused.opType})`;
  return {
    pass: 'fold-bias',
    nodes: [nodeId(add), nodeId(producer.node)],
    message: `Add ${JSON.stringify(nodeId(add))} folded into ${into} ${JSON.stringify(nodeId(producer.node))} as bias ${JSON.stringify(bias)}`,
  };
}

/** An addend already of shape [channels] serves as the bias itself (no copy, its name kept). */
function reuseAsBias(addend: Tensor, channels: number): boolean {
  return addend.shape.length === 1 && addend.shape[0] === channels;
}

/** b + c per channel, as a 1-D tensor of the addend's dtype. */
function sum(like: Tensor, bias: Float64Array, values: Float64Array): Tensor {
  const data = allocate(like.dtype, values.length);
  for (let c = 0; c < data.length; c++) data[c] = bias[c] + values[c];
  return tensor(like.dtype, [values.length], data);
}
