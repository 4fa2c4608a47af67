/**
 * The layers folding passes fold into: Conv, ConvTranspose, Gemm and MatMul with a 2-D input.
 * For all four the output channels lie on axis 1 of the output (N×M×spatial, or M×N for the
 * matrix products), which is what BatchNormalization normalises and what a bias must vary along.
 */
import { attrFloat, attrInt } from '../../ir/attributes.ts';
import type { DType } from '../../ir/dtype.ts';
import type { Attribute, Node } from '../../ir/graph.ts';
import type { Tensor } from '../../ir/tensor.ts';
import { perChannelValues } from './per-channel.ts';
import type { GraphRewriter } from './rewriter.ts';

/** A foldable layer as the folding passes see it. */
export interface Layer {
  readonly node: Node;
  /** Float dtype of the layer's weight (and of the bias it takes). */
  readonly dtype: DType;
  /** Number of output channels (axis 1 of the output). */
  readonly channels: number;
  /** Rank of the output. */
  readonly outputRank: number;
  readonly weightName: string;
  /** The weight when it is an initializer. */
  readonly weight: Tensor | undefined;
  /** True if the layer adds a bias now. */
  readonly hasBias: boolean;
  /**
   * The bias it adds per output channel (zeros without one; Gemm's β·C), or undefined when the
   * bias is not a constant with one value per channel.
   */
  readonly bias: Float64Array | undefined;
  /** Output channel of the weight element at a row-major index (for a known weight shape). */
  channelOf(index: number): number;
  /** The layer writing `output` with the given weight and bias (names of initializers). */
  withParams(weight: string, bias: string, output: string): Node;
}

/**
 * The node as a foldable layer: a default-domain Conv, ConvTranspose, Gemm or MatMul with a
 * float32/float64 weight of known shape (for MatMul: an initializer of rank 2, and an input known
 * to be of rank 2, so that it can become Gemm). Undefined for anything else.
 */
export function asLayer(rw: GraphRewriter, node: Node): Layer | undefined {
  if (node.domain !== '' || node.outputs.length !== 1) return undefined;
  const weightName = node.inputs[1];
  if (weightName === undefined || weightName === '') return undefined;
  const info = rw.infoOf(weightName);
  const shape = info?.shape;
  if (info?.dtype === undefined || shape === undefined || !(info.dtype === 'float32' || info.dtype === 'float64')) return undefined;
  if (!shape.every((d): d is number => typeof d === 'number')) return undefined;
  const dims = shape as readonly number[];
  const weight = rw.constant(weightName);
  switch (node.opType) {
    case 'Conv':
    case 'ConvTranspose':
      return convLayer(rw, node, info.dtype, dims, weight);
    case 'Gemm':
      return gemmLayer(rw, node, info.dtype, dims, weight);
    case 'MatMul':
      return matMulLayer(rw, node, info.dtype, dims, weight);
    default:
      return undefined;
  }
}

/**
 * A bias input: zeros when omitted, its values × `factor` when a constant with one value per
 * channel (`exact`: of shape [channels], as Conv requires; else broadcastable as Gemm's C is),
 * undefined otherwise.
 */
function biasValues(rw: GraphRewriter, name: string | undefined, channels: number, dtype: DType, exact: boolean, factor = 1): Float64Array | undefined {
  if (name === undefined || name === '') return new Float64Array(channels);
  const t = rw.constant(name);
  if (t === undefined || t.dtype !== dtype || (exact && (t.shape.length !== 1 || t.shape[0] !== channels))) return undefined;
  const values = perChannelValues(t, 2, channels);
  if (values !== undefined && factor !== 1) for (let c = 0; c < channels; c++) values[c] *= factor;
  return values;
}

function convLayer(rw: GraphRewriter, node: Node, dtype: DType, w: readonly number[], weight: Tensor | undefined): Layer | undefined {
  if (w.length < 3) return undefined;
  const group = attrInt(node, 'group', 1);
  const inner = w.slice(2).reduce((a, b) => a * b, 1);
  let channels: number;
  let channelOf: (i: number) => number;
  if (node.opType === 'Conv') {
    // W [M, C/group, k...]: output channel = axis 0 whatever the group count.
    channels = w[0];
    channelOf = (i) => Math.floor(i / (w[1] * inner));
  } else {
    // W [C, M/group, k...]: input channel c of group g = ⌊c / (C/group)⌋ feeds maps g·(M/group) + m'.
    if (!Number.isInteger(group) || group < 1 || w[0] % group !== 0) return undefined;
    const perGroupIn = w[0] / group;
    channels = w[1] * group;
    channelOf = (i) => {
      const c = Math.floor(i / (w[1] * inner));
      const m = Math.floor(i / inner) % w[1];
      return Math.floor(c / perGroupIn) * w[1] + m;
    };
  }
  const biasName = node.inputs[2];
  return {
    node, dtype, channels, outputRank: w.length, weightName: node.inputs[1], weight, channelOf,
    hasBias: biasName !== undefined && biasName !== '',
    bias: biasValues(rw, biasName, channels, dtype, true),
    withParams: (weightName, bias, output) => ({ ...node, inputs: [node.inputs[0], weightName, bias], outputs: [output] }),
  };
}

function gemmLayer(rw: GraphRewriter, node: Node, dtype: DType, w: readonly number[], weight: Tensor | undefined): Layer | undefined {
  if (w.length !== 2) return undefined;
  const transB = attrInt(node, 'transB', 0) !== 0;
  const channels = transB ? w[0] : w[1];
  const cols = w[1];
  const biasName = node.inputs[2];
  const { beta: _beta, ...attributes } = node.attributes;
  return {
    node, dtype, channels, outputRank: 2, weightName: node.inputs[1], weight,
    // B [K, N] (channel = column) or, with transB, [N, K] (channel = row).
    channelOf: transB ? (i) => Math.floor(i / cols) : (i) => i % cols,
    hasBias: biasName !== undefined && biasName !== '',
    bias: biasValues(rw, biasName, channels, dtype, false, attrFloat(node, 'beta', 1)),
    // β is folded into the new C.
    withParams: (weightName, bias, output) => ({ ...node, inputs: [node.inputs[0], weightName, bias], outputs: [output], attributes }),
  };
}

function matMulLayer(rw: GraphRewriter, node: Node, dtype: DType, w: readonly number[], weight: Tensor | undefined): Layer | undefined {
  // Gemm needs a 2-D A; a batched (3-D) A stays MatMul (+ Add).
  if (w.length !== 2 || weight === undefined || rw.infoOf(node.inputs[0])?.shape?.length !== 2) return undefined;
  const attributes: Record<string, Attribute> = {};
  return {
    node, dtype, channels: w[1], outputRank: 2, weightName: node.inputs[1], weight,
    channelOf: (i) => i % w[1],
    hasBias: false,
    bias: new Float64Array(w[1]),
    withParams: (weightName, bias, output) => ({ ...node, opType: 'Gemm', inputs: [node.inputs[0], weightName, bias], outputs: [output], attributes }),
  };
}
