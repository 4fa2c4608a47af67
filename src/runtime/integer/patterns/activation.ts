/**
 * Elementwise functions of one quantized input:
 *
 * - Relu / constant Clip with the output on the input's grid → an integer Clip to
 *   [Q(min), Q(max)] (exact: Q(DQ(q)) = q and quantization is monotone);
 * - Sigmoid → QLinearSigmoid, LeakyRelu → QLinearLeakyRelu (com.microsoft);
 * - everything else elementwise (HardSwish, HardSigmoid, Tanh, Relu/Clip between different
 *   grids, an op with a scalar constant operand, ...) → QLinearLookup, a 256-entry table built by
 *   the float kernel itself (lookup-table.ts).
 */
import { attrFloat } from '../../../ir/attributes.ts';
import type { Attribute, Node } from '../../../ir/graph.ts';
import { scalar } from '../../../ir/tensor.ts';
import { MICROSOFT, type Lowering, type LoweringContext } from '../context.ts';
import { lookupNode, lookupTable, nodeFunction } from '../lookup-table.ts';
import { activationOperand, type Operand } from '../operands.ts';
import { activationBounds, clampActivation, emitOutput, quantizedOutput, type QuantizedOutput } from '../outputs.ts';
import { fail, found, type Found, type QuantizeStep } from '../qdq-index.ts';
import type { Pattern } from './pattern.ts';

/** Ops tabulated as QLinearLookup: elementwise, defined everywhere, finite on finite inputs. */
export const LOOKUP_OPS: ReadonlySet<string> = new Set(['HardSwish', 'HardSigmoid', 'Tanh', 'Elu', 'Selu', 'Celu', 'Softplus', 'Softsign', 'Neg', 'Abs', 'Erf', 'Gelu', 'ThresholdedRelu', 'Sin', 'Cos', 'Round', 'Floor', 'Ceil', 'Sign']);

/** True when `q` writes on the same grid as the operand (same type, scale and zero point). */
export function sameGrid(x: Operand, q: QuantizeStep): boolean {
  return x.dtype === q.dtype && x.value.scale[0] === q.scale && x.value.zeroPoint[0] === q.zeroPoint;
}

/** `node` (data input `dataInput`, operand `x`) as a QLinearLookup into `out`. */
export function tabulate(ctx: LoweringContext, node: Node, dataInput: number, x: Operand, out: QuantizedOutput): Found<Lowering> {
  const f = nodeFunction(ctx, node, dataInput);
  if (!f.ok) return f;
  const table = lookupTable(x, out.q, f.value, node.name);
  if (!table.ok) return table;
  return found(emitOutput(ctx, out, node.name, (y) => [lookupNode(ctx, node.name, x, y, table.value)]));
}

export const activationPattern: Pattern = (ctx, node) => {
  const x = activationOperand(ctx, node.inputs[0]);
  if (!x.ok) return x;
  const out = quantizedOutput(ctx.index, node, node.outputs[0]);
  if (!out.ok) return out;
  const q = out.value.q;
  const op = node.opType;
  if (op === 'Relu' || op === 'Clip') {
    const clamp = clampActivation(ctx.index, node);
    if (clamp !== undefined && sameGrid(x.value, q)) {
      const { qmin, qmax } = activationBounds(q, clamp);
      const low = ctx.constant(`${node.name}_min`, scalar(q.dtype, qmin));
      const high = ctx.constant(`${node.name}_max`, scalar(q.dtype, qmax));
      return found(emitOutput(ctx, out.value, node.name, (y) => [ctx.node('Clip', [x.value.name, low, high], [y], { name: node.name })]));
    }
    return tabulate(ctx, node, 0, x.value, out.value);
  }
  if ((op === 'Sigmoid' || op === 'LeakyRelu') && x.value.dtype === q.dtype && x.value.constant === undefined) {
    const inputs = [x.value.name, x.value.scaleName, x.value.zeroPointName, q.scaleName, ctx.zeroPoint(q.zeroPointName, q.dtype)];
    const attributes: Record<string, Attribute> = op === 'LeakyRelu' ? { alpha: { type: 'float', value: attrFloat(node, 'alpha', 0.01) } } : {};
    return found(emitOutput(ctx, out.value, node.name, (y) => [ctx.node(`QLinear${op}`, inputs, [y], { name: node.name, domain: MICROSOFT, attributes })]));
  }
  if (LOOKUP_OPS.has(op) || op === 'Sigmoid' || op === 'LeakyRelu') return tabulate(ctx, node, 0, x.value, out.value);
  return fail(`no integer form for ${op}`);
};

