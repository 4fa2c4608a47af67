/**
 * Gemm and MatMul. For Y = α·op(A)·op(B) + β·C:
 *   ∂L/∂op(A) = α·∂L/∂Y·op(B)ᵀ,   ∂L/∂op(B) = α·op(A)ᵀ·∂L/∂Y,   ∂L/∂C = β·∂L/∂Y summed over C's broadcast axes;
 * a transposed operand gets the transpose, which is the same GEMM with its operands swapped
 * and transposed. MatMul is the α = 1 case per batch matrix, summed over broadcast batch axes.
 */
import { attrFloat, attrInt } from '../../../ir/attributes.ts';
import type { Node } from '../../../ir/graph.ts';
import { stridesOf, type Tensor } from '../../../ir/tensor.ts';
import { gemm } from '../../../runtime/kernels/float/blas.ts';
import { broadcastStrides } from '../../../runtime/kernels/float/broadcast.ts';
import type { FloatArray } from '../../../runtime/kernels/float/float-io.ts';
import { planMatMul } from '../../../runtime/kernels/float/matmul.ts';
import { forEachRun, planStrided } from '../../../runtime/kernels/float/strided.ts';
import type { GradOp, OpRecord } from '../grad-op.ts';
import { floatForward, zerosLike } from './kernels.ts';
import { reduceToShape } from './broadcast-grad.ts';

/**
 * dA (+)= α·dY·op(B)ᵀ for op(A) = A (m × k), or its transpose (k × m) when transA;
 * `beta` 0 overwrites dA, 1 adds to it.
 */
function gradA(dy: FloatArray, b: FloatArray, m: number, n: number, k: number, transA: boolean, transB: boolean, alpha: number, beta: number, da: FloatArray): void {
  if (!transA) gemm(false, !transB, m, k, n, alpha, dy, n, b, transB ? k : n, beta, da, k);
  else gemm(transB, true, k, m, n, alpha, b, transB ? k : n, dy, n, beta, da, m);
}

/** dB (+)= α·op(A)ᵀ·dY for op(B) = B (k × n), or its transpose (n × k) when transB. */
function gradB(dy: FloatArray, a: FloatArray, m: number, n: number, k: number, transA: boolean, transB: boolean, alpha: number, beta: number, db: FloatArray): void {
  if (!transB) gemm(!transA, false, k, n, m, alpha, a, transA ? m : k, dy, n, beta, db, n);
  else gemm(true, transA, n, k, m, alpha, dy, n, a, transA ? m : k, beta, db, k);
}

function gemmForward(inputs: readonly (Tensor | undefined)[], node: Node): OpRecord {
  const outputs = floatForward(inputs, node);
  const [a, b, c] = inputs as [Tensor, Tensor, Tensor | undefined];
  const transA = attrInt(node, 'transA', 0) !== 0;
  const transB = attrInt(node, 'transB', 0) !== 0;
  const alpha = attrFloat(node, 'alpha', 1);
  const beta = attrFloat(node, 'beta', 1);
  const [m, n] = outputs[0].shape;
  const k = transA ? a.shape[0] : a.shape[1];
  return {
    outputs,
    backward([gy], wanted) {
      const dy = gy!;
      const da = wanted[0] ? zerosLike(a) : undefined;
      const db = wanted[1] ? zerosLike(b) : undefined;
      if (da) gradA(dy.data as FloatArray, b.data as FloatArray, m, n, k, transA, transB, alpha, 0, da.data as FloatArray);
      if (db) gradB(dy.data as FloatArray, a.data as FloatArray, m, n, k, transA, transB, alpha, 0, db.data as FloatArray);
      let dc: Tensor | undefined;
      if (wanted[2] && c !== undefined) {
        dc = reduceToShape(dy, c.shape);
        if (beta !== 1) dc = { ...dc, data: dc.data.map((v) => v * beta) };
      }
      return [da, db, dc];
    },
  };
}

function matmulForward(inputs: readonly (Tensor | undefined)[], node: Node): OpRecord {
  const outputs = floatForward(inputs, node);
  const [a, b] = inputs as [Tensor, Tensor];
  return {
    outputs,
    backward([gy], wanted) {
      const plan = planMatMul(a.shape, b.shape, node.name);
      const { m, n, k, batchShape } = plan;
      const dy = gy!.data as FloatArray;
      const da = wanted[0] ? zerosLike(a) : undefined;
      const db = wanted[1] ? zerosLike(b) : undefined;
      // One GEMM pair per output matrix; broadcast batch matrices receive the sum over the
      // batches that read them (beta 1 into zeroed gradients).
      const walk = planStrided(batchShape, [stridesOf(batchShape), broadcastStrides(plan.aBatch, batchShape), broadcastStrides(plan.bBatch, batchShape)]);
      forEachRun(walk, [0, 0, 0], (offsets) => {
        for (let i = 0; i < walk.run; i++) {
          const [out, aMatrix, bMatrix] = [0, 1, 2].map((k) => offsets[k] + i * walk.steps[k]);
          const dyMatrix = dy.subarray(out * m * n);
          if (da) gradA(dyMatrix, (b.data as FloatArray).subarray(bMatrix * k * n), m, n, k, false, false, 1, 1, (da.data as FloatArray).subarray(aMatrix * m * k));
          if (db) gradB(dyMatrix, (a.data as FloatArray).subarray(aMatrix * m * k), m, n, k, false, false, 1, 1, (db.data as FloatArray).subarray(bMatrix * k * n));
        }
      });
      return [da, db];
    },
  };
}

export const gemmGrad: GradOp = { op: 'Gemm', forward: gemmForward };
export const matmulGrad: GradOp = { op: 'MatMul', forward: matmulForward };
