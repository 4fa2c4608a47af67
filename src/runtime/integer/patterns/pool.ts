/**
 * AveragePool → QLinearAveragePool, GlobalAveragePool → QLinearGlobalAveragePool (com.microsoft,
 * NCHW, input and output of one 8-bit type). QLinearAveragePool has no dilations: a dilated
 * AveragePool stays in float.
 */
import type { Attribute } from '../../../ir/graph.ts';
import { MICROSOFT } from '../context.ts';
import { activationOperand } from '../operands.ts';
import { emitOutput, quantizedOutput } from '../outputs.ts';
import { fail, found } from '../qdq-index.ts';
import type { Pattern } from './pattern.ts';

const POOL_ATTRIBUTES = ['auto_pad', 'ceil_mode', 'count_include_pad', 'kernel_shape', 'pads', 'strides'];

export const poolPattern: Pattern = (ctx, node) => {
  const dilations = node.attributes.dilations;
  if (dilations !== undefined && dilations.type === 'ints' && dilations.value.some((d) => d !== 1)) return fail('dilated AveragePool has no QLinear form');
  const x = activationOperand(ctx, node.inputs[0]);
  if (!x.ok) return x;
  const out = quantizedOutput(ctx.index, node, node.outputs[0]);
  if (!out.ok) return out;
  const q = out.value.q;
  if (x.value.dtype !== q.dtype) return fail(`input ${x.value.dtype} and output ${q.dtype} differ`);
  const attributes: Record<string, Attribute> = {};
  if (node.opType === 'AveragePool') for (const key of POOL_ATTRIBUTES) if (node.attributes[key] !== undefined) attributes[key] = node.attributes[key];
  const inputs = [x.value.name, x.value.scaleName, x.value.zeroPointName, q.scaleName, ctx.zeroPoint(q.zeroPointName, q.dtype)];
  return found(emitOutput(ctx, out.value, node.name, (y) => [ctx.node(`QLinear${node.opType}`, inputs, [y], { name: node.name, domain: MICROSOFT, attributes })]));
};
