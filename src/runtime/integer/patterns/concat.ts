/**
 * Concat → Concat of the integers when every input is on the output's grid (quantkit's plans
 * share one set of parameters across a Concat), else QLinearConcat (com.microsoft), which
 * requantizes each input to the output's parameters.
 */
import { attrInt } from '../../../ir/attributes.ts';
import { intAttribute, MICROSOFT } from '../context.ts';
import { activationOperand, type Operand } from '../operands.ts';
import { emitOutput, quantizedOutput } from '../outputs.ts';
import { fail, found } from '../qdq-index.ts';
import { sameGrid } from './activation.ts';
import type { Pattern } from './pattern.ts';

export const concatPattern: Pattern = (ctx, node) => {
  const out = quantizedOutput(ctx.index, node, node.outputs[0]);
  if (!out.ok) return out;
  const q = out.value.q;
  const xs: Operand[] = [];
  for (const name of node.inputs) {
    const x = activationOperand(ctx, name);
    if (!x.ok) return x;
    if (x.value.dtype !== q.dtype) return fail(`input ${JSON.stringify(name)} is ${x.value.dtype}, the output ${q.dtype}`);
    xs.push(x.value);
  }
  if (xs.every((x) => sameGrid(x, q))) {
    return found(emitOutput(ctx, out.value, node.name, (y) => [ctx.node('Concat', xs.map((x) => x.name), [y], { name: node.name, attributes: node.attributes })]));
  }
  const inputs = [q.scaleName, ctx.zeroPoint(q.zeroPointName, q.dtype), ...xs.flatMap((x) => [x.name, x.scaleName, x.zeroPointName])];
  const attributes = { axis: intAttribute(attrInt(node, 'axis', 0)) };
  return found(emitOutput(ctx, out.value, node.name, (y) => [ctx.node('QLinearConcat', inputs, [y], { name: node.name, domain: MICROSOFT, attributes })]));
};
