/**
 * Add / Mul of two quantized inputs → QLinearAdd / QLinearMul (com.microsoft; both inputs and the
 * output of one 8-bit type, per tensor). An Add, Sub, Mul, Div, Pow, Max or Min whose other operand
 * is a one-element float constant is a function of one input: a QLinearLookup (activation.ts).
 */
import { MICROSOFT } from '../context.ts';
import { activationOperand } from '../operands.ts';
import { emitOutput, quantizedOutput } from '../outputs.ts';
import { fail, found } from '../qdq-index.ts';
import { tabulate } from './activation.ts';
import type { Pattern } from './pattern.ts';

const QLINEAR: Readonly<Record<string, string>> = { Add: 'QLinearAdd', Mul: 'QLinearMul' };

export const binaryPattern: Pattern = (ctx, node) => {
  const out = quantizedOutput(ctx.index, node, node.outputs[0]);
  if (!out.ok) return out;
  const q = out.value.q;
  const dequantized = node.inputs.map((name) => ctx.index.dequantized(name));
  const scalarConstant = (i: number) => dequantized[i] === undefined && ctx.index.graph.initializers.get(node.inputs[i])?.data.length === 1;
  for (const [data, other] of [[0, 1], [1, 0]]) {
    if (dequantized[data] !== undefined && scalarConstant(other)) {
      const x = activationOperand(ctx, node.inputs[data]);
      return x.ok ? tabulate(ctx, node, data, x.value, out.value) : x;
    }
  }
  const op = QLINEAR[node.opType];
  if (op === undefined) return fail(`${node.opType} of two tensors has no integer form`);
  const a = activationOperand(ctx, node.inputs[0]);
  if (!a.ok) return a;
  const b = activationOperand(ctx, node.inputs[1]);
  if (!b.ok) return b;
  if (a.value.dtype !== b.value.dtype || a.value.dtype !== q.dtype) return fail(`${op} needs one 8-bit type, got ${a.value.dtype}, ${b.value.dtype} → ${q.dtype}`);
  const inputs = [a.value.name, a.value.scaleName, a.value.zeroPointName, b.value.name, b.value.scaleName, b.value.zeroPointName, q.scaleName, ctx.zeroPoint(q.zeroPointName, q.dtype)];
  return found(emitOutput(ctx, out.value, node.name, (y) => [ctx.node(op, inputs, [y], { name: node.name, domain: MICROSOFT })]));
};
