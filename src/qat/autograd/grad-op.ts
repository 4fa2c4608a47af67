/**
 * The contract of an op on the autograd tape (tape.ts). Forward runs the op — through the float
 * kernels wherever one exists, so training computes exactly what inference computes — and
 * returns, besides the outputs, the op's vector-Jacobian product as a closure over what the
 * backward pass needs (inputs, masks, batch statistics).
 *
 * Gradients are tensors of the dtype of the value they belong to: float32 in training, float64
 * when a test checks them against finite differences.
 */
import type { Node } from '../../ir/graph.ts';
import type { Tensor } from '../../ir/tensor.ts';

export interface TapeContext {
  /**
   * Training mode: BatchNormalization normalises with the batch statistics and updates its running
   * ones. Off for evaluation, where every op computes what the inference graph computes.
   */
  readonly training: boolean;
}

export interface OpRecord {
  readonly outputs: readonly Tensor[];
  /**
   * The gradients of the loss with respect to the inputs flagged in `wanted`, given those with
   * respect to the outputs (undefined for an output nothing downstream reads). Entries not wanted
   * may be undefined. May return a gradient that shares storage with `gradOutputs`.
   */
  backward(gradOutputs: readonly (Tensor | undefined)[], wanted: readonly boolean[]): (Tensor | undefined)[];
  /** New values of inputs that are state, by input index (BatchNormalization running statistics). */
  readonly updates?: ReadonlyMap<number, Tensor>;
}

export interface GradOp {
  /** ONNX op type, e.g. 'Conv'. */
  readonly op: string;
  /** '' (the default ONNX domain) when omitted. */
  readonly domain?: string;
  forward(inputs: readonly (Tensor | undefined)[], node: Node, context: TapeContext): OpRecord;
}
