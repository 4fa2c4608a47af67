/**
 * Gemm → QGemm (com.microsoft): A per tensor, B a constant per tensor or per output column, C the
 * int32 bias (scale s_a·s_b[n]), a fused Relu/Clip as an integer clamp. eqs. (10)–(13), (18)
 *
 * B is stored [K, N] (transB = 0) whatever the float Gemm said: a per-column scale then runs
 * along B's last axis, the one form both QGemm's spec and onnxruntime's check accept.
 * alpha or beta other than 1 keep the Gemm in float (QGemm has no beta, and folding alpha into
 * the scales would change what the simulated graph rounds).
 */
import { attrFloat, attrInt } from '../../../ir/attributes.ts';
import { tensor, type Tensor } from '../../../ir/tensor.ts';
import { accumulatorBound, biasOverflow } from '../accumulator.ts';
import { int32Bias } from '../bias.ts';
import { intAttribute, MICROSOFT, type LoweringContext } from '../context.ts';
import { activationOperand, dequantizedInput, weightOperand, type Operand } from '../operands.ts';
import { quantizedOutput, writeOutput, type QuantizedOutput } from '../outputs.ts';
import { fail, found, type Found } from '../qdq-index.ts';
import type { Lowering } from '../context.ts';
import type { Node } from '../../../ir/graph.ts';
import type { Pattern } from './pattern.ts';

/** A 2-D tensor transposed. */
export function transpose2d(t: Tensor): Tensor {
  const [rows, cols] = t.shape;
  const out = tensor(t.dtype, [cols, rows]);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out.data[c * rows + r] = t.data[r * cols + c];
  return out;
}

export const gemmPattern: Pattern = (ctx, node) => {
  if (attrFloat(node, 'alpha', 1) !== 1 || attrFloat(node, 'beta', 1) !== 1) return fail('alpha or beta is not 1');
  const a = activationOperand(ctx, node.inputs[0]);
  if (!a.ok) return a;
  const bv = dequantizedInput(ctx, node.inputs[1]);
  if (!bv.ok) return bv;
  const transB = attrInt(node, 'transB', 0) !== 0;
  if (bv.value.constant?.shape.length !== 2) return fail(`B ${JSON.stringify(node.inputs[1])} is not a constant matrix`);
  const b = weightOperand(ctx, bv.value, transB ? 0 : 1);
  if (!b.ok) return b;
  const out = quantizedOutput(ctx.index, node, node.outputs[0]);
  if (!out.ok) return out;
  return qgemm(ctx, node, a.value, b.value, transB, node.inputs[2] ?? '', out.value);
};

/** The QGemm of `a` and the constant `b` (given transposed when `transB`), with an optional float bias `c`. */
export function qgemm(ctx: LoweringContext, node: Node, a: Operand, b: Operand, transB: boolean, c: string, out: QuantizedOutput): Found<Lowering> {
  const shape = b.constant!.shape;
  const [k, n] = transB ? [shape[1], shape[0]] : [shape[0], shape[1]];
  const notes: string[] = [];
  let bias = '';
  let maxBias = 0;
  if (c !== '') {
    const q = int32Bias(ctx, c, a.value.scale[0], b.value.scale, n);
    if (!q.ok) return q;
    bias = q.value.name;
    maxBias = q.value.maxCode;
    if (q.value.requantized) notes.push(`${node.name}: bias ${c} requantized to int32 at s_a·s_b`);
  }
  const accumulator = accumulatorBound(node.name, 'QGemm', k, a, b, maxBias);
  const overflow = biasOverflow(accumulator);
  if (overflow !== undefined) return fail(overflow);
  const weight = transB ? ctx.constant(`${b.name}_kn`, transpose2d(b.constant!)) : b.name;
  const q = out.q;
  const { name, tail, absorbed } = writeOutput(ctx, out, node.name);
  const transA = attrInt(node, 'transA', 0);
  const gemm = ctx.node(
    'QGemm',
    [a.name, a.scaleName, a.zeroPointName, weight, b.scaleName, b.zeroPointName, bias, q.scaleName, ctx.zeroPoint(q.zeroPointName, q.dtype)],
    [name],
    { name: node.name, domain: MICROSOFT, attributes: transA === 0 ? {} : { transA: intAttribute(transA) } },
  );
  return found({ nodes: [gemm, ...tail], absorbed, accumulator, notes });
}
