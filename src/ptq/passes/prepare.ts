/**
 * The float rewrites that prepare a model for quantization, in order:
 * 1. constant folding with the float kernels, then dead-node removal (fold-constants.ts);
 * 2. Identity and inference Dropout removal (remove-identities.ts);
 * 3. BatchNormalization folding into the Conv / ConvTranspose / Gemm / MatMul before it (fold-batchnorm.ts);
 * 4. bias folding: Conv + Add → Conv with bias, MatMul + Add → Gemm (fold-bias.ts);
 * 5. shape inference, so every intermediate value carries its dtype/shape in valueInfo when known.
 * Each step returns a new graph; the input model is never modified. Activation fusion is not a
 * rewrite: the quantizer asks fusedActivation (fused-activation.ts).
 */
import type { Graph, Model } from '../../ir/graph.ts';
import { inferShapes } from '../../ir/shape-inference.ts';
import { foldBatchNorms } from './fold-batchnorm.ts';
import { foldBiases } from './fold-bias.ts';
import { foldFloatConstants } from './fold-constants.ts';
import { removeIdentities } from './remove-identities.ts';
import type { PassChange, PassResult } from './types.ts';

/** Which steps run (all by default) and the folding limit. */
export interface PrepareOptions {
  /** Step 1, constant folding. */
  readonly foldConstants?: boolean;
  /** Step 1, dead-node removal. */
  readonly removeDeadNodes?: boolean;
  /** Step 2. */
  readonly removeIdentities?: boolean;
  /** Step 3. */
  readonly foldBatchNorm?: boolean;
  /** Step 4. */
  readonly foldBias?: boolean;
  /** Step 5. */
  readonly inferShapes?: boolean;
  /** Largest element count of one folded constant (default 2^20). */
  readonly maxFoldElements?: number;
}

/** The prepared model and what changed. */
export interface PrepareResult {
  readonly model: Model;
  /** Every change, in the order the steps made them. */
  readonly changes: readonly PassChange[];
}

/**
 * Runs the preparation steps on `model`'s graph (see the module comment).
 * @throws ShapeError from shape inference when the prepared graph's shapes are inconsistent.
 */
export function prepareForQuantization(model: Model, options: PrepareOptions = {}): PrepareResult {
  const steps: ((graph: Graph) => PassResult)[] = [];
  const fold = options.foldConstants !== false;
  const dead = options.removeDeadNodes !== false;
  if (fold || dead) {
    const maxElements = options.maxFoldElements;
    steps.push((g) => foldFloatConstants(g, { fold, removeDeadNodes: dead, ...(maxElements === undefined ? {} : { maxElements }) }));
  }
  if (options.removeIdentities !== false) steps.push(removeIdentities);
  if (options.foldBatchNorm !== false) steps.push(foldBatchNorms);
  if (options.foldBias !== false) steps.push(foldBiases);
  let graph = model.graph;
  const changes: PassChange[] = [];
  for (const step of steps) {
    const result = step(graph);
    graph = result.graph;
    changes.push(...result.changes);
  }
  if (options.inferShapes !== false) graph = inferShapes(graph, { what: 'prepareForQuantization' });
  return { model: graph === model.graph ? model : { ...model, graph }, changes };
}
