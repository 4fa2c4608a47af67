/**
 * Gemm (ONNX Gemm-13): Y = alpha · A' · B' + beta · C, where A' = transA ? Aᵀ : A (M × K),
 * B' = transB ? Bᵀ : B (K × N), and the optional C is unidirectionally broadcast to M × N
 * (shapes [], [N], [1, N], [M, 1], [M, N], ...). Float types run on the blocked GEMM; int32/int64
 * and their unsigned forms on the float64 reference loop (exact below 2^53).
 */
import { ShapeError } from '../../../errors.ts';
import { allocate, type DType, type TensorData } from '../../../ir/dtype.ts';
import { attrFloat, attrInt } from '../../../ir/attributes.ts';
import type { Node } from '../../../ir/graph.ts';
import { formatShape, tensor, type Tensor } from '../../../ir/tensor.ts';
import type { KernelConfig } from '../../kernel.ts';
import { gemm } from './blas.ts';
import { roundToDtypeInPlace } from './narrow-float.ts';
import { FLOAT_TYPES, nodeLabel, requireDtype, requireInput, requireSameDtype } from './node-io.ts';

/** Float types plus the integer types Gemm-13 and MatMul-13 allow. */
export const MATMUL_TYPES: ReadonlySet<DType> = new Set([...FLOAT_TYPES, 'int32', 'int64', 'uint32', 'uint64']);

/** A (rows × cols) operand broadcast along its size-1 axes. */
export interface BroadcastMatrix {
  readonly data: TensorData;
  readonly rows: number;
  readonly cols: number;
}

/**
 * y (m × n) = alpha · op(a) · op(b) + beta · c, with c broadcast from rows × cols where either
 * may be 1. `a` is m × k (k × m when transA), `b` is k × n (n × k when transB).
 */
export function gemmImpl(
  a: TensorData,
  b: TensorData,
  c: BroadcastMatrix | undefined,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
  alpha: number,
  beta: number,
  y: TensorData,
): void {
  const withC = c !== undefined && beta !== 0;
  if (withC) {
    const rowStep = c.rows === 1 ? 0 : c.cols;
    const colStep = c.cols === 1 ? 0 : 1;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) y[i * n + j] = beta * c.data[i * rowStep + j * colStep];
    }
  }
  gemm(transA, transB, m, n, k, alpha, a, transA ? m : k, b, transB ? k : n, withC ? 1 : 0, y, n);
}

function gemmKernel(inputs: readonly (Tensor | undefined)[], node: Node): Tensor[] {
  const label = nodeLabel(node);
  const a = requireInput(inputs, 0, node, 'A');
  const b = requireInput(inputs, 1, node, 'B');
  const c = inputs[2];
  requireDtype(a, MATMUL_TYPES, label, 'A');
  requireSameDtype(c === undefined ? [a, b] : [a, b, c], label);
  if (a.shape.length !== 2 || b.shape.length !== 2) {
    throw new ShapeError(`${label}: A ${formatShape(a.shape)} and B ${formatShape(b.shape)} must be matrices`);
  }
  const transA = attrInt(node, 'transA', 0) !== 0;
  const transB = attrInt(node, 'transB', 0) !== 0;
  const [m, k] = transA ? [a.shape[1], a.shape[0]] : a.shape;
  const [kb, n] = transB ? [b.shape[1], b.shape[0]] : b.shape;
  if (k !== kb) throw new ShapeError(`${label}: inner dimensions differ: A' is ${m}×${k}, B' is ${kb}×${n}`);
  let matrixC: BroadcastMatrix | undefined;
  if (c !== undefined) {
    const [rows, cols] = c.shape.length === 0 ? [1, 1] : c.shape.length === 1 ? [1, c.shape[0]] : c.shape;
    if (c.shape.length > 2 || (rows !== 1 && rows !== m) || (cols !== 1 && cols !== n)) {
      throw new ShapeError(`${label}: C ${formatShape(c.shape)} does not broadcast to [${m}, ${n}]`);
    }
    matrixC = { data: c.data, rows, cols };
  }
  const y = allocate(a.dtype, m * n);
  gemmImpl(a.data, b.data, matrixC, m, n, k, transA, transB, attrFloat(node, 'alpha', 1), attrFloat(node, 'beta', 1), y);
  roundToDtypeInPlace(a.dtype, y);
  return [tensor(a.dtype, [m, n], y)];
}

export const gemmConfig: KernelConfig = { op: 'Gemm', impl: gemmKernel };
