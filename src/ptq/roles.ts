/**
 * How each op takes part in quantization — one registry, like the kernel registries:
 *
 * - weighted:     a layer with a constant weight (and maybe a bias): its activation input and output
 *                 are quantized, its weight per tensor/channel/group, its bias to int32 (s_in·s_w);
 * - compute:      every float activation input and output gets its own quantization parameters;
 * - passthrough:  moves or selects values without changing them (MaxPool, Reshape, ...): its output
 *                 shares the input's parameters, so an integer runtime needs no requantization;
 * - concat:       inputs and output share one set of parameters.
 *
 * Ops not listed (Softmax, LayerNormalization, ...) stay in float between Dequantize and Quantize.
 */
import { attrInt } from '../ir/attributes.ts';
import type { Node } from '../ir/graph.ts';

export interface WeightedRole {
  readonly kind: 'weighted';
  /** Input index of the weight and of the (optional) bias. */
  readonly weightInput: number;
  readonly biasInput?: number;
  /** Axis of the weight holding output channels (per-channel scales) for a weight of `rank`. */
  channelAxis(node: Node, rank: number): number;
  /** Axis of the weight along which per-group blocks run (the reduction axis). */
  groupAxis(node: Node, rank: number): number;
}

export interface ComputeRole {
  readonly kind: 'compute';
  /** Which inputs are data (quantized): all (Add, Sub, Mul) or only the first (the rest are parameters). */
  readonly inputs: 'all' | 'first';
}

export type Role = WeightedRole | ComputeRole | { readonly kind: 'passthrough' } | { readonly kind: 'concat' };

const BINARY: ComputeRole = { kind: 'compute', inputs: 'all' };
const UNARY: ComputeRole = { kind: 'compute', inputs: 'first' };
const PASSTHROUGH = { kind: 'passthrough' } as const;

export const ROLES: ReadonlyMap<string, Role> = new Map<string, Role>([
  // Conv weight [M, C/g, k...]: output channels on axis 0, reduction over axis 1.
  ['Conv', { kind: 'weighted', weightInput: 1, biasInput: 2, channelAxis: () => 0, groupAxis: () => 1 }],
  // ConvTranspose weight [C, M/g, k...]: output channels on axis 1.
  ['ConvTranspose', { kind: 'weighted', weightInput: 1, biasInput: 2, channelAxis: () => 1, groupAxis: () => 0 }],
  // Gemm B is [K, N], or [N, K] with transB.
  ['Gemm', { kind: 'weighted', weightInput: 1, biasInput: 2, channelAxis: (n) => (attrInt(n, 'transB', 0) ? 0 : 1), groupAxis: (n) => (attrInt(n, 'transB', 0) ? 1 : 0) }],
  // MatMul B is [..., K, N].
  ['MatMul', { kind: 'weighted', weightInput: 1, channelAxis: (_n, rank) => rank - 1, groupAxis: (_n, rank) => rank - 2 }],
  ...['Add', 'Sub', 'Mul'].map((op) => [op, BINARY] as const),
  ...['AveragePool', 'GlobalAveragePool', 'Relu', 'Clip', 'LeakyRelu', 'Sigmoid', 'HardSigmoid', 'HardSwish', 'Tanh', 'Resize'].map((op) => [op, UNARY] as const),
  ...['MaxPool', 'GlobalMaxPool', 'Reshape', 'Flatten', 'Transpose', 'Squeeze', 'Unsqueeze', 'Identity', 'Slice', 'Split'].map((op) => [op, PASSTHROUGH] as const),
  ['Concat', { kind: 'concat' }],
]);

export function roleOf(node: Node): Role | undefined {
  return node.domain === '' ? ROLES.get(node.opType) : undefined;
}
