/**
 * Comparisons (Equal, Less, Greater, LessOrEqual, GreaterOrEqual) and boolean logic (And, Or,
 * Xor, Not), with numpy broadcasting. Results are bool tensors (Uint8Array of 0/1). Any
 * comparison with NaN is false, as in IEEE 754.
 */
import type { DType } from '../../../ir/dtype.ts';
import { tensor, type Tensor } from '../../../ir/tensor.ts';
import type { KernelConfig } from '../../kernel.ts';
import { applyBinary, type BinaryLoop } from './broadcast.ts';
import { nodeLabel, NUMERIC_TYPES, requireDtype, requireInput, requireSameDtype } from './node-io.ts';

const equal: BinaryLoop = (out, a, b, o, ia, sa, ib, sb, n) => {
  for (let i = 0; i < n; i++, ia += sa, ib += sb) out[o + i] = a[ia] === b[ib] ? 1 : 0;
};
const less: BinaryLoop = (out, a, b, o, ia, sa, ib, sb, n) => {
  for (let i = 0; i < n; i++, ia += sa, ib += sb) out[o + i] = a[ia] < b[ib] ? 1 : 0;
};
const greater: BinaryLoop = (out, a, b, o, ia, sa, ib, sb, n) => {
  for (let i = 0; i < n; i++, ia += sa, ib += sb) out[o + i] = a[ia] > b[ib] ? 1 : 0;
};
const lessOrEqual: BinaryLoop = (out, a, b, o, ia, sa, ib, sb, n) => {
  for (let i = 0; i < n; i++, ia += sa, ib += sb) out[o + i] = a[ia] <= b[ib] ? 1 : 0;
};
const greaterOrEqual: BinaryLoop = (out, a, b, o, ia, sa, ib, sb, n) => {
  for (let i = 0; i < n; i++, ia += sa, ib += sb) out[o + i] = a[ia] >= b[ib] ? 1 : 0;
};
// Bool storage is 0/1, so bitwise operators are the logical ones.
const and: BinaryLoop = (out, a, b, o, ia, sa, ib, sb, n) => {
  for (let i = 0; i < n; i++, ia += sa, ib += sb) out[o + i] = a[ia] & b[ib];
};
const or: BinaryLoop = (out, a, b, o, ia, sa, ib, sb, n) => {
  for (let i = 0; i < n; i++, ia += sa, ib += sb) out[o + i] = a[ia] | b[ib];
};
const xor: BinaryLoop = (out, a, b, o, ia, sa, ib, sb, n) => {
  for (let i = 0; i < n; i++, ia += sa, ib += sb) out[o + i] = a[ia] ^ b[ib];
};

export type CompareOp = 'Equal' | 'Less' | 'Greater' | 'LessOrEqual' | 'GreaterOrEqual';
export type LogicOp = 'And' | 'Or' | 'Xor';

const LOOPS: Record<CompareOp | LogicOp, BinaryLoop> = {
  Equal: equal,
  Less: less,
  Greater: greater,
  LessOrEqual: lessOrEqual,
  GreaterOrEqual: greaterOrEqual,
  And: and,
  Or: or,
  Xor: xor,
};

const COMPARABLE: ReadonlySet<DType> = new Set([...NUMERIC_TYPES, 'bool']);
const BOOL: ReadonlySet<DType> = new Set(['bool']);

/** Elementwise comparison with broadcasting; inputs share a dtype, the result is bool. */
export function compareImpl(op: CompareOp, a: Tensor, b: Tensor, where: string = op): Tensor {
  requireDtype(a, COMPARABLE, where, 'input 0');
  requireSameDtype([a, b], where);
  return applyBinary(a, b, 'bool', LOOPS[op], where);
}

/** And / Or / Xor of two bool tensors with broadcasting. */
export function logicImpl(op: LogicOp, a: Tensor, b: Tensor, where: string = op): Tensor {
  requireDtype(a, BOOL, where, 'input 0');
  requireDtype(b, BOOL, where, 'input 1');
  return applyBinary(a, b, 'bool', LOOPS[op], where);
}

/** Logical negation of a bool tensor. */
export function notImpl(x: Tensor, where = 'Not'): Tensor {
  requireDtype(x, BOOL, where);
  const out = tensor('bool', x.shape);
  const src = x.data;
  const dst = out.data;
  for (let i = 0; i < src.length; i++) dst[i] = src[i] === 0 ? 1 : 0;
  return out;
}

function binaryConfig(op: CompareOp | LogicOp, impl: (a: Tensor, b: Tensor, where: string) => Tensor): KernelConfig {
  return { op, impl: (inputs, node) => [impl(requireInput(inputs, 0, node, 'A'), requireInput(inputs, 1, node, 'B'), nodeLabel(node))] };
}

const compare = (op: CompareOp) => binaryConfig(op, (a, b, where) => compareImpl(op, a, b, where));
const logic = (op: LogicOp) => binaryConfig(op, (a, b, where) => logicImpl(op, a, b, where));

export const logicalKernels: readonly KernelConfig[] = [
  compare('Equal'),
  compare('Less'),
  compare('Greater'),
  compare('LessOrEqual'),
  compare('GreaterOrEqual'),
  logic('And'),
  logic('Or'),
  logic('Xor'),
  { op: 'Not', impl: (inputs, node) => [notImpl(requireInput(inputs, 0, node, 'X'), nodeLabel(node))] },
];
