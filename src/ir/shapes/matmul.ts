/** Shape rules of MatMul (numpy matmul with batch broadcasting), Gemm and their integer forms. */
import { ShapeError } from '../../errors.ts';
import { attrInt } from '../attributes.ts';
import type { DType } from '../dtype.ts';
import type { Dim, Node } from '../graph.ts';
import { formatShape } from '../tensor.ts';
import { broadcastShapes, provablyDifferent } from './dims.ts';
import type { RuleContext, ShapeRule } from './types.ts';

function matmulShape(a: readonly Dim[], b: readonly Dim[], what: string): Dim[] {
  if (a.length === 0 || b.length === 0) throw new ShapeError(`${what}: MatMul inputs must not be scalars`);
  // 1-D operands are promoted to matrices ([k] → [1, k] for A, [k, 1] for B) and the added dim removed after.
  const a2 = a.length === 1 ? [1, a[0]] : a;
  const b2 = b.length === 1 ? [b[0], 1] : b;
  const k1 = a2[a2.length - 1];
  const k2 = b2[b2.length - 2];
  if (provablyDifferent(k1, k2)) throw new ShapeError(`${what}: MatMul inner dimensions differ: ${formatShape(a)} × ${formatShape(b)}`);
  const batch = broadcastShapes(a2.slice(0, -2), b2.slice(0, -2), what);
  const out = [...batch];
  if (a.length > 1) out.push(a2[a2.length - 2]);
  if (b.length > 1) out.push(b2[b2.length - 1]);
  return out;
}

function matmulLike(dtype: (node: Node, ctx: RuleContext) => DType | undefined, aIndex = 0, bIndex = 1): ShapeRule {
  return (node, ctx) => {
    const a = ctx.info(node.inputs[aIndex])?.shape;
    const b = ctx.info(node.inputs[bIndex])?.shape;
    return [{ dtype: dtype(node, ctx), ...(a && b ? { shape: matmulShape(a, b, ctx.what) } : {}) }];
  };
}

const gemm: ShapeRule = (node, ctx) => {
  const dtype = ctx.info(node.inputs[0])?.dtype;
  const a = ctx.info(node.inputs[0])?.shape;
  const b = ctx.info(node.inputs[1])?.shape;
  if (a === undefined || b === undefined) return [{ dtype }];
  if (a.length !== 2 || b.length !== 2) throw new ShapeError(`${ctx.what}: Gemm needs 2-D A and B, got ${formatShape(a)} and ${formatShape(b)}`);
  const [m, k1] = attrInt(node, 'transA', 0) ? [a[1], a[0]] : [a[0], a[1]];
  const [k2, n] = attrInt(node, 'transB', 0) ? [b[1], b[0]] : [b[0], b[1]];
  if (provablyDifferent(k1, k2)) throw new ShapeError(`${ctx.what}: Gemm inner dimensions differ: ${formatShape(a)} × ${formatShape(b)}`);
  const shape = [m, n];
  const c = node.inputs[2] ? ctx.info(node.inputs[2])?.shape : undefined;
  // C broadcasts unidirectionally to [M, N]: a mismatch is an error, never a bigger output.
  const fits = (d: Dim, i: number) => d === 1 || !provablyDifferent(d, shape[i + 2 - (c?.length ?? 0)]);
  if (c !== undefined && (c.length > 2 || !c.every(fits))) {
    throw new ShapeError(`${ctx.what}: Gemm C ${formatShape(c)} does not broadcast to ${formatShape(shape)}`);
  }
  return [{ dtype, shape }];
};

export const matmulRules: Readonly<Record<string, ShapeRule>> = {
  MatMul: matmulLike((node, ctx) => ctx.info(node.inputs[0])?.dtype),
  MatMulInteger: matmulLike(() => 'int32'),
  QLinearMatMul: matmulLike((node, ctx) => ctx.info(node.inputs[7])?.dtype ?? ctx.info(node.inputs[0])?.dtype, 0, 3),
  Gemm: gemm,
};
