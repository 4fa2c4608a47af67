/** Shape rules of the Reduce* ops (axes as an optional int64 input, keepdims, noop_with_empty_axes) and ArgMax/ArgMin. */
import { attrInt } from '../attributes.ts';
import type { Dim } from '../graph.ts';
import { intValues, normalizeAxis } from './dims.ts';
import type { ShapeRule } from './types.ts';

const reduce: ShapeRule = (node, ctx) => {
  const info = ctx.info(node.inputs[0]);
  const shape = info?.shape;
  const keep = attrInt(node, 'keepdims', 1) !== 0;
  if (shape === undefined) return [{ dtype: info?.dtype }];
  const hasAxes = (node.inputs[1] ?? '') !== '';
  const given = hasAxes ? intValues(ctx.constant(node.inputs[1])) : [];
  if (given === undefined) return [{ dtype: info?.dtype, ...(keep ? { shape: shape.map(() => null) } : {}) }];
  if (given.length === 0 && attrInt(node, 'noop_with_empty_axes', 0) !== 0) return [{ dtype: info?.dtype, shape }];
  const axes = given.length === 0 ? shape.map((_, i) => i) : given.map((a) => normalizeAxis(a, shape.length, ctx.what));
  const out: Dim[] = keep ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !axes.includes(i));
  return [{ dtype: info?.dtype, shape: out }];
};

const argReduce: ShapeRule = (node, ctx) => {
  const shape = ctx.info(node.inputs[0])?.shape;
  if (shape === undefined) return [{ dtype: 'int64' }];
  const axis = normalizeAxis(attrInt(node, 'axis', 0), shape.length, ctx.what);
  const keep = attrInt(node, 'keepdims', 1) !== 0;
  return [{ dtype: 'int64', shape: keep ? shape.map((d, i) => (i === axis ? 1 : d)) : shape.filter((_, i) => i !== axis) }];
};

const REDUCE = ['ReduceMean', 'ReduceSum', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceL1', 'ReduceL2', 'ReduceLogSum', 'ReduceLogSumExp', 'ReduceSumSquare'];

export const reduceRules: Readonly<Record<string, ShapeRule>> = {
  ...Object.fromEntries(REDUCE.map((op) => [op, reduce])),
  ArgMax: argReduce,
  ArgMin: argReduce,
};
