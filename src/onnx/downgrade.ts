/**
 * The few trivial down-conversions the exporter makes to reach a requested opset below what a
 * node's IR form needs. Each moves constant inputs back into the attributes they came from:
 *
 * - Reduce* (ReduceSum < 13, the others < 18), Squeeze/Unsqueeze < 13: constant axes → attribute;
 * - Split < 13: constant split → attribute; Split < 18: num_outputs dropped (equal split by output count);
 * - Softmax/LogSoftmax/Hardmax < 13: allowed when axis is the last dimension (rank known), where
 *   the coerce-to-2D semantics agree;
 * - Clip < 11: constant scalar min/max → attributes (Clip-6, float types);
 * - Pad < 11: constant pads/constant_value → attributes (Pad-2).
 *
 * Anything else is not converted: the caller reports the op and the opset it needs.
 */
import { attrInt } from '../ir/attributes.ts';
import type { Attribute, Node, ValueInfo } from '../ir/graph.ts';
import type { Tensor } from '../ir/tensor.ts';

export interface DowngradeContext {
  initializer(name: string): Tensor | undefined;
  info(name: string): ValueInfo | undefined;
}

const REDUCE_18 = new Set(['ReduceMean', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceL1', 'ReduceL2', 'ReduceLogSum', 'ReduceLogSumExp', 'ReduceSumSquare']);

function values(ctx: DowngradeContext, name: string | undefined): number[] | undefined {
  if (name === undefined || name === '') return undefined;
  const t = ctx.initializer(name);
  return t === undefined ? undefined : Array.from(t.data as ArrayLike<number>);
}

function withForm(node: Node, inputs: string[], set: Record<string, Attribute>, drop: string[] = []): Node {
  const attributes: Record<string, Attribute> = {};
  for (const [k, v] of Object.entries(node.attributes)) if (!drop.includes(k)) attributes[k] = v;
  return { ...node, inputs, attributes: { ...attributes, ...set } };
}

function axesToAttribute(node: Node, ctx: DowngradeContext, allowNoop: boolean): Node | undefined {
  if (!allowNoop && attrInt(node, 'noop_with_empty_axes', 0) !== 0) return undefined;
  const name = node.inputs[1];
  if (name === undefined || name === '') return withForm(node, [node.inputs[0]], {}, ['noop_with_empty_axes']);
  const axes = values(ctx, name);
  if (axes === undefined) return undefined;
  return withForm(node, [node.inputs[0]], { axes: { type: 'ints', value: axes } }, ['noop_with_empty_axes']);
}

function scalarInput(ctx: DowngradeContext, name: string | undefined): number | undefined | null {
  if (name === undefined || name === '') return undefined;
  const v = values(ctx, name);
  return v !== undefined && v.length === 1 ? v[0] : null;
}

/** A form of `node` valid at `opset`, or undefined if no trivial rewrite reaches it. */
export function downgradeNode(node: Node, opset: number, ctx: DowngradeContext): Node | undefined {
  if (node.domain !== '') return undefined;
  const op = node.opType;
  if ((REDUCE_18.has(op) && opset < 18) || (op === 'ReduceSum' && opset < 13)) return axesToAttribute(node, ctx, false);
  if ((op === 'Squeeze' || op === 'Unsqueeze') && opset < 13) return axesToAttribute(node, ctx, true);
  if (op === 'Split' && opset < 18) {
    if (opset >= 13) return withForm(node, [...node.inputs], {}, ['num_outputs']);
    const split = values(ctx, node.inputs[1]);
    if (node.inputs[1] && split === undefined) return undefined;
    return withForm(node, [node.inputs[0]], split === undefined ? {} : { split: { type: 'ints', value: split } }, ['num_outputs']);
  }
  if ((op === 'Softmax' || op === 'LogSoftmax' || op === 'Hardmax') && opset < 13) {
    const rank = ctx.info(node.inputs[0])?.shape?.length;
    const axis = attrInt(node, 'axis', -1);
    if (rank === undefined || (axis !== -1 && axis !== rank - 1)) return undefined;
    return withForm(node, [...node.inputs], { axis: { type: 'int', value: rank - 1 } });
  }
  if (op === 'Clip' && opset < 11 && opset >= 6) {
    const min = scalarInput(ctx, node.inputs[1]);
    const max = scalarInput(ctx, node.inputs[2]);
    if (min === null || max === null) return undefined;
    const set: Record<string, Attribute> = {};
    if (min !== undefined) set.min = { type: 'float', value: min };
    if (max !== undefined) set.max = { type: 'float', value: max };
    return withForm(node, [node.inputs[0]], set);
  }
  if (op === 'Pad' && opset < 11 && opset >= 2) {
    const pads = values(ctx, node.inputs[1]);
    const value = scalarInput(ctx, node.inputs[2]);
    if (pads === undefined || value === null || (node.inputs[3] ?? '') !== '') return undefined;
    const set: Record<string, Attribute> = { pads: { type: 'ints', value: pads } };
    if (value !== undefined) set.value = { type: 'float', value };
    return withForm(node, [node.inputs[0]], set);
  }
  return undefined;
}
