/**
 * Binary arithmetic with numpy broadcasting: Add, Sub, Mul, Div, Pow, Mod, and the variadic
 * Max, Min, Sum, Mean.
 *
 * Integer semantics follow ONNX (and C): results wrap to the type's width (the typed-array
 * store does that for ≤ 32 bits; int32 products go through Math.imul so they wrap exactly),
 * integer Div truncates toward zero, and division by zero is an error. int64/uint64 are held as
 * float64: exact up to 2^53, no wrapping beyond. Narrow floats compute in float32 and round.
 */
import { RangeArgumentError } from '../../../errors.ts';
import { attrInt } from '../../../ir/attributes.ts';
import { DTYPES, type DType } from '../../../ir/dtype.ts';
import type { Node } from '../../../ir/graph.ts';
import type { Tensor } from '../../../ir/tensor.ts';
import type { KernelConfig } from '../../kernel.ts';
import { applyBinary, type BinaryLoop } from './broadcast.ts';
import { roundToDtypeInPlace } from './narrow-float.ts';
import { FLOAT_TYPES, nodeLabel, NUMERIC_TYPES, requireDtype, requireInput, requireSameDtype } from './node-io.ts';

const add: BinaryLoop = (out, a, b, o, ia, sa, ib, sb, n) => {
  for (let i = 0; i < n; i++, ia += sa, ib += sb) out[o + i] = a[ia] + b[ib];
};
const sub: BinaryLoop = (out, a, b, o, ia, sa, ib, sb, n) => {
  for (let i = 0; i < n; i++, ia += sa, ib += sb) out[o + i] = a[ia] - b[ib];
};
const mul: BinaryLoop = (out, a, b, o, ia, sa, ib, sb, n) => {
  for (let i = 0; i < n; i++, ia += sa, ib += sb) out[o + i] = a[ia] * b[ib];
};
// int32/uint32 products can exceed 2^53; Math.imul keeps the low 32 bits exactly.
const mulInt32: BinaryLoop = (out, a, b, o, ia, sa, ib, sb, n) => {
  for (let i = 0; i < n; i++, ia += sa, ib += sb) out[o + i] = Math.imul(a[ia], b[ib]);
};
const div: BinaryLoop = (out, a, b, o, ia, sa, ib, sb, n) => {
  for (let i = 0; i < n; i++, ia += sa, ib += sb) out[o + i] = a[ia] / b[ib];
};
// For |a|, |b| < 2^53 the float64 quotient never crosses an integer, so trunc(a / b) is exact.
const divTrunc: BinaryLoop = (out, a, b, o, ia, sa, ib, sb, n) => {
  for (let i = 0; i < n; i++, ia += sa, ib += sb) out[o + i] = Math.trunc(a[ia] / b[ib]);
};
// Storing into an integer typed array truncates; int64 (float64 storage) needs it explicitly.
const pow: BinaryLoop = (out, a, b, o, ia, sa, ib, sb, n) => {
  for (let i = 0; i < n; i++, ia += sa, ib += sb) out[o + i] = Math.pow(a[ia], b[ib]);
};
const powTrunc: BinaryLoop = (out, a, b, o, ia, sa, ib, sb, n) => {
  for (let i = 0; i < n; i++, ia += sa, ib += sb) out[o + i] = Math.trunc(Math.pow(a[ia], b[ib]));
};
// Mod with fmod = 0: the sign of the divisor (Python %); fmod = 1: the sign of the dividend (C fmod).
const modFloor: BinaryLoop = (out, a, b, o, ia, sa, ib, sb, n) => {
  for (let i = 0; i < n; i++, ia += sa, ib += sb) {
    const r = a[ia] % b[ib];
    out[o + i] = r !== 0 && r < 0 !== b[ib] < 0 ? r + b[ib] : r;
  }
};
const modTrunc: BinaryLoop = (out, a, b, o, ia, sa, ib, sb, n) => {
  for (let i = 0; i < n; i++, ia += sa, ib += sb) out[o + i] = a[ia] % b[ib];
};
// Math.max/min propagate NaN, as ONNX Max/Min (numpy maximum/minimum) do.
const max: BinaryLoop = (out, a, b, o, ia, sa, ib, sb, n) => {
  for (let i = 0; i < n; i++, ia += sa, ib += sb) out[o + i] = Math.max(a[ia], b[ib]);
};
const min: BinaryLoop = (out, a, b, o, ia, sa, ib, sb, n) => {
  for (let i = 0; i < n; i++, ia += sa, ib += sb) out[o + i] = Math.min(a[ia], b[ib]);
};

export type ArithmeticOp = 'Add' | 'Sub' | 'Mul' | 'Div' | 'Pow' | 'Mod' | 'ModFmod' | 'Max' | 'Min';

function isInt(dtype: DType): boolean {
  return DTYPES[dtype].kind === 'int';
}

function loopFor(op: ArithmeticOp, dtype: DType): BinaryLoop {
  const int32 = dtype === 'int32' || dtype === 'uint32';
  switch (op) {
    case 'Add':
      return add;
    case 'Sub':
      return sub;
    case 'Mul':
      return int32 ? mulInt32 : mul;
    case 'Div':
      return isInt(dtype) ? divTrunc : div;
    case 'Pow':
      return DTYPES[dtype].storage === 'f64' && isInt(dtype) ? powTrunc : pow;
    case 'Mod':
      return modFloor;
    case 'ModFmod':
      return modTrunc;
    case 'Max':
      return max;
    case 'Min':
      return min;
  }
}

/**
 * `a op b` with numpy broadcasting; the result has a's dtype. Inputs must share a dtype except
 * for Pow, whose exponent may be any numeric type. Integer Div/Mod by zero throws.
 */
export function arithmeticImpl(op: ArithmeticOp, a: Tensor, b: Tensor, where: string = op): Tensor {
  requireDtype(a, NUMERIC_TYPES, where, 'input 0');
  requireDtype(b, NUMERIC_TYPES, where, 'input 1');
  if (op !== 'Pow') requireSameDtype([a, b], where);
  if ((op === 'Div' || op === 'Mod' || op === 'ModFmod') && isInt(a.dtype) && b.data.includes(0)) {
    throw new RangeArgumentError(`${where}: integer ${op === 'Div' ? 'division' : 'modulo'} by zero`);
  }
  const out = applyBinary(a, b, a.dtype, loopFor(op, a.dtype), where);
  roundToDtypeInPlace(out.dtype, out.data);
  return out;
}

function asFloat64(t: Tensor): Tensor {
  return { dtype: 'float64', shape: t.shape, data: Float64Array.from(t.data) };
}

/**
 * Max, Min, Sum or Mean of any number of inputs, broadcasting as it goes. Sum and Mean add in
 * float64 and store once (integers then wrap exactly as step-by-step wrapping would, narrow
 * floats round once).
 */
export function variadicImpl(op: 'Max' | 'Min' | 'Sum' | 'Mean', inputs: readonly Tensor[], where: string = op): Tensor {
  if (inputs.length === 0) throw new RangeArgumentError(`${where}: needs at least one input`);
  requireDtype(inputs[0], op === 'Mean' ? FLOAT_TYPES : NUMERIC_TYPES, where, 'input 0');
  requireSameDtype(inputs, where);
  const dtype = inputs[0].dtype;
  if (inputs.length === 1) return { dtype, shape: [...inputs[0].shape], data: inputs[0].data.slice() };
  if (op === 'Max' || op === 'Min') {
    return inputs.slice(1).reduce((acc, t) => applyBinary(acc, t, dtype, op === 'Max' ? max : min, where), inputs[0]);
  }
  const total = inputs.slice(1).reduce((acc, t) => applyBinary(acc, asFloat64(t), 'float64', add, where), asFloat64(inputs[0]));
  const count = { dtype: 'float64' as const, shape: [], data: Float64Array.of(op === 'Mean' ? inputs.length : 1) };
  const out = applyBinary(total, count, dtype, div, where);
  roundToDtypeInPlace(dtype, out.data);
  return out;
}

function binaryConfig(op: 'Add' | 'Sub' | 'Mul' | 'Div' | 'Pow'): KernelConfig {
  return {
    op,
    impl: (inputs, node) => [arithmeticImpl(op, requireInput(inputs, 0, node, 'A'), requireInput(inputs, 1, node, 'B'), nodeLabel(node))],
  };
}

function variadicConfig(op: 'Max' | 'Min' | 'Sum' | 'Mean'): KernelConfig {
  return {
    op,
    impl: (inputs, node) => [variadicImpl(op, inputs.map((t, i) => t ?? requireInput(inputs, i, node, `data_${i}`)), nodeLabel(node))],
  };
}

function modKernel(inputs: readonly (Tensor | undefined)[], node: Node): Tensor[] {
  const a = requireInput(inputs, 0, node, 'A');
  const fmod = attrInt(node, 'fmod', 0) !== 0;
  return [arithmeticImpl(fmod ? 'ModFmod' : 'Mod', a, requireInput(inputs, 1, node, 'B'), nodeLabel(node))];
}

export const binaryKernels: readonly KernelConfig[] = [
  binaryConfig('Add'),
  binaryConfig('Sub'),
  binaryConfig('Mul'),
  binaryConfig('Div'),
  binaryConfig('Pow'),
  { op: 'Mod', impl: modKernel },
  variadicConfig('Max'),
  variadicConfig('Min'),
  variadicConfig('Sum'),
  variadicConfig('Mean'),
];
