/**
 * MatMul (ONNX MatMul-13, numpy.matmul semantics): the last two axes are matrices, leading axes
 * are batch axes broadcast against each other; a 1-D A is a row vector [1, K] and a 1-D B a
 * column vector [K, 1], whose unit axis is dropped from the result.
 */
import { ShapeError } from '../../../errors.ts';
import { allocate, type TensorData } from '../../../ir/dtype.ts';
import type { Node } from '../../../ir/graph.ts';
import { formatShape, shapeSize, stridesOf, tensor, type Tensor } from '../../../ir/tensor.ts';
import type { KernelConfig } from '../../kernel.ts';
import { gemm } from './blas.ts';
import { broadcastShapes, broadcastStrides } from './broadcast.ts';
import { MATMUL_TYPES } from './gemm.ts';
import { roundToDtypeInPlace } from './narrow-float.ts';
import { nodeLabel, requireDtype, requireInput, requireSameDtype } from './node-io.ts';

/** Shapes of a MatMul after promoting 1-D operands: batch shape, M, K, N and the result shape. */
export interface MatMulPlan {
  readonly batchShape: readonly number[];
  readonly aBatch: readonly number[];
  readonly bBatch: readonly number[];
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly outShape: readonly number[];
}

/** Works out the shapes of A·B, or throws ShapeError naming `where`. */
export function planMatMul(aShape: readonly number[], bShape: readonly number[], where: string): MatMulPlan {
  if (aShape.length === 0 || bShape.length === 0) throw new ShapeError(`${where}: MatMul operands must have rank ≥ 1, got ${formatShape(aShape)} and ${formatShape(bShape)}`);
  const aMatrix = aShape.length === 1 ? [1, aShape[0]] : aShape.slice(-2);
  const bMatrix = bShape.length === 1 ? [bShape[0], 1] : bShape.slice(-2);
  const [m, k] = aMatrix;
  const [kb, n] = bMatrix;
  if (k !== kb) throw new ShapeError(`${where}: inner dimensions differ: A ${formatShape(aShape)}, B ${formatShape(bShape)}`);
  const aBatch = aShape.slice(0, -2);
  const bBatch = bShape.slice(0, -2);
  const batchShape = broadcastShapes([aBatch, bBatch], where);
  const outShape = [...batchShape, ...(aShape.length === 1 ? [] : [m]), ...(bShape.length === 1 ? [] : [n])];
  return { batchShape, aBatch, bBatch, m, k, n, outShape };
}

/** y = a · b for the shapes of `plan` (dense row-major arrays; y is overwritten). */
export function matmulImpl(a: TensorData, b: TensorData, plan: MatMulPlan, y: TensorData): void {
  const { batchShape, m, k, n } = plan;
  const batches = shapeSize(batchShape);
  const bBatches = shapeSize(plan.bBatch);
  if (bBatches === 1 && shapeSize(plan.aBatch) === batches) {
    // Shared B (x · W): the batch of A stacks into one tall matrix, one GEMM.
    gemm(false, false, batches * m, n, k, 1, a, k, b, n, 0, y, n);
    return;
  }
  const aStrides = broadcastStrides(plan.aBatch, batchShape);
  const bStrides = broadcastStrides(plan.bBatch, batchShape);
  const outStrides = stridesOf(batchShape);
  for (let index = 0; index < batches; index++) {
    let aMatrix = 0;
    let bMatrix = 0;
    let rest = index;
    for (let axis = 0; axis < batchShape.length; axis++) {
      const coordinate = Math.floor(rest / outStrides[axis]);
      rest -= coordinate * outStrides[axis];
      aMatrix += coordinate * aStrides[axis];
      bMatrix += coordinate * bStrides[axis];
    }
    gemm(false, false, m, n, k, 1, a.subarray(aMatrix * m * k), k, b.subarray(bMatrix * k * n), n, 0, y.subarray(index * m * n), n);
  }
}

function matmul(inputs: readonly (Tensor | undefined)[], node: Node): Tensor[] {
  const label = nodeLabel(node);
  const a = requireInput(inputs, 0, node, 'A');
  const b = requireInput(inputs, 1, node, 'B');
  requireDtype(a, MATMUL_TYPES, label, 'A');
  requireSameDtype([a, b], label);
  const plan = planMatMul(a.shape, b.shape, label);
  const y = allocate(a.dtype, shapeSize(plan.outShape, undefined, `${label} output`));
  matmulImpl(a.data, b.data, plan, y);
  roundToDtypeInPlace(a.dtype, y);
  return [tensor(a.dtype, plan.outShape, y)];
}

export const matmulConfig: KernelConfig = { op: 'MatMul', impl: matmul };
