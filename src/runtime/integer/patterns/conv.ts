/**
 * Conv → QLinearConv (ONNX): x per tensor, w per tensor or per output channel (axis 0), the bias
 * as int32 with scale s_x·s_w[c] (bias.ts), a fused Relu/Clip as an integer clamp (outputs.ts).
 * eqs. (10)–(13), (18)
 */
import { fail, found } from '../qdq-index.ts';
import { accumulatorBound, biasOverflow } from '../accumulator.ts';
import { int32Bias } from '../bias.ts';
import { activationOperand, dequantizedInput, weightOperand } from '../operands.ts';
import { quantizedOutput, writeOutput } from '../outputs.ts';
import type { Pattern } from './pattern.ts';

export const convPattern: Pattern = (ctx, node) => {
  const x = activationOperand(ctx, node.inputs[0]);
  if (!x.ok) return x;
  const wv = dequantizedInput(ctx, node.inputs[1]);
  if (!wv.ok) return wv;
  const w = weightOperand(ctx, wv.value, 0);
  if (!w.ok) return w;
  const out = quantizedOutput(ctx.index, node, node.outputs[0]);
  if (!out.ok) return out;
  const shape = w.value.constant!.shape;
  let bias: string | undefined;
  let maxBias = 0;
  const notes: string[] = [];
  if ((node.inputs[2] ?? '') !== '') {
    const b = int32Bias(ctx, node.inputs[2], x.value.value.scale[0], w.value.value.scale, shape[0]);
    if (!b.ok) return b;
    bias = b.value.name;
    maxBias = b.value.maxCode;
    if (b.value.requantized) notes.push(`${node.name}: bias ${node.inputs[2]} requantized to int32 at s_x·s_w`);
  }
  // Products per output: C/group · kernel elements, the weight's size per output channel.
  const k = shape.slice(1).reduce((a, b) => a * b, 1);
  const accumulator = accumulatorBound(node.name, 'QLinearConv', k, x.value, w.value, maxBias);
  const overflow = biasOverflow(accumulator);
  if (overflow !== undefined) return fail(overflow);
  const q = out.value.q;
  const { name, tail, absorbed } = writeOutput(ctx, out.value, node.name);
  const inputs = [x.value.name, x.value.scaleName, x.value.zeroPointName, w.value.name, w.value.scaleName, w.value.zeroPointName, q.scaleName, ctx.zeroPoint(q.zeroPointName, q.dtype)];
  if (bias !== undefined) inputs.push(bias);
  const conv = ctx.node('QLinearConv', inputs, [name], { name: node.name, attributes: node.attributes });
  return found({ nodes: [conv, ...tail], absorbed, accumulator, notes });
};
