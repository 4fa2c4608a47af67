/**
 * MatMul → QGemm when A is a matrix and B a constant matrix (the fully connected layer), else
 * QLinearMatMul (ONNX; batched operands, or B an activation too, as attention's Q·Kᵀ). A constant
 * B may be per output column (its last axis). eqs. (10)–(12)
 */
import { valueInfoOf } from '../../../ir/graph-utils.ts';
import { accumulatorBound } from '../accumulator.ts';
import { activationOperand, dequantizedInput, weightOperand } from '../operands.ts';
import { quantizedOutput, writeOutput } from '../outputs.ts';
import { fail, found } from '../qdq-index.ts';
import { qgemm } from './gemm.ts';
import type { Pattern } from './pattern.ts';

export const matmulPattern: Pattern = (ctx, node) => {
  const a = activationOperand(ctx, node.inputs[0]);
  if (!a.ok) return a;
  const bv = dequantizedInput(ctx, node.inputs[1]);
  if (!bv.ok) return bv;
  const constant = bv.value.constant;
  const b = constant === undefined ? activationOperand(ctx, node.inputs[1]) : weightOperand(ctx, bv.value, constant.shape.length - 1);
  if (!b.ok) return b;
  if (constant !== undefined && constant.shape.length > 2 && bv.value.scale.length > 1) {
    return fail(`B ${JSON.stringify(node.inputs[1])} has rank ${constant.shape.length} and per-column scales (QLinearMatMul takes them for a matrix B)`);
  }
  const out = quantizedOutput(ctx.index, node, node.outputs[0]);
  if (!out.ok) return out;
  const rankA = ctx.index.rankOf(node.inputs[0]);
  if (constant !== undefined && constant.shape.length === 2 && rankA === 2) return qgemm(ctx, node, a.value, b.value, false, '', out.value);
  const q = out.value.q;
  const { name, tail, absorbed } = writeOutput(ctx, out.value, node.name);
  const matmul = ctx.node(
    'QLinearMatMul',
    [a.value.name, a.value.scaleName, a.value.zeroPointName, b.value.name, b.value.scaleName, b.value.zeroPointName, q.scaleName, ctx.zeroPoint(q.zeroPointName, q.dtype)],
    [name],
    { name: node.name },
  );
  // K: B's second-to-last dimension (A's last when B is 1-D), when known.
  const bShape = constant?.shape ?? valueInfoOf(ctx.index.graph, node.inputs[1])?.shape;
  const k = bShape === undefined ? undefined : bShape.length === 1 ? bShape[0] : bShape[bShape.length - 2];
  return found({ nodes: [matmul, ...tail], absorbed, ...(typeof k === 'number' ? { accumulator: accumulatorBound(node.name, 'QLinearMatMul', k, a.value, b.value) } : {}) });
};
