/**
 * The kernel contract shared by every executor (float, simulated, integer).
 *
 * A kernel is a pure function from input tensors to output tensors: it never writes into its
 * inputs and never keeps state between calls. Omitted optional inputs arrive as `undefined`.
 * Kernels implement the newest ONNX form of their op (the importer upgrades older forms), and
 * throw ShapeError / UnsupportedOpError (src/errors.ts) naming the node when inputs do not fit.
 */
import type { Node } from '../ir/graph.ts';
import type { Tensor } from '../ir/tensor.ts';

export type KernelImpl = (inputs: readonly (Tensor | undefined)[], node: Node) => Tensor[];

export interface KernelConfig {
  /** ONNX op type, e.g. 'Conv'. */
  readonly op: string;
  /** Operator domain; '' (the default ONNX domain) when omitted. */
  readonly domain?: string;
  readonly impl: KernelImpl;
}
