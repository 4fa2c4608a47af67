/**
 * Elementwise math functions of one tensor: Sqrt, Exp, Log, Neg, Abs, Erf, Tanh, Floor, Ceil,
 * Round, Reciprocal, Sign, Sin, Cos. Float-only ops compute in float64 and store to the input
 * dtype (narrow floats are then rounded to their format); Neg, Abs and Sign also take integers,
 * wrapping like two's complement (Neg(−128) is −128 in int8, as in numpy).
 */
import type { DType, TensorData } from '../../../ir/dtype.ts';
import { tensor, type Tensor } from '../../../ir/tensor.ts';
import { roundHalfToEven } from '../../../numeric/rounding.ts';
import type { KernelConfig } from '../../kernel.ts';
import { erf } from './erf.ts';
import { roundToDtypeInPlace } from './narrow-float.ts';
import { FLOAT_TYPES, nodeLabel, NUMERIC_TYPES, requireDtype, requireInput, SIGNED_TYPES } from './node-io.ts';

/** Fills dst[i] = f(src[i]); `alpha`/`beta` carry an op's attributes where it has any. */
export type UnaryLoop = (dst: TensorData, src: TensorData, alpha: number, beta: number) => void;

/** Applies `loop` into a new tensor of x's dtype, after checking x's dtype is in `types`. */
export function mapUnary(x: Tensor, types: ReadonlySet<DType>, loop: UnaryLoop, where: string, alpha = 0, beta = 0): Tensor {
  requireDtype(x, types, where);
  const out = tensor(x.dtype, x.shape);
  loop(out.data, x.data, alpha, beta);
  roundToDtypeInPlace(out.dtype, out.data);
  return out;
}

interface UnaryOp {
  readonly types: ReadonlySet<DType>;
  readonly loop: UnaryLoop;
}

export type UnaryOpName = 'Sqrt' | 'Exp' | 'Log' | 'Erf' | 'Tanh' | 'Sin' | 'Cos' | 'Reciprocal' | 'Floor' | 'Ceil' | 'Round' | 'Neg' | 'Abs' | 'Sign';

const UNARY: Record<UnaryOpName, UnaryOp> = {
  Sqrt: { types: FLOAT_TYPES, loop: (d, s) => { for (let i = 0; i < s.length; i++) d[i] = Math.sqrt(s[i]); } },
  Exp: { types: FLOAT_TYPES, loop: (d, s) => { for (let i = 0; i < s.length; i++) d[i] = Math.exp(s[i]); } },
  Log: { types: FLOAT_TYPES, loop: (d, s) => { for (let i = 0; i < s.length; i++) d[i] = Math.log(s[i]); } },
  Erf: { types: FLOAT_TYPES, loop: (d, s) => { for (let i = 0; i < s.length; i++) d[i] = erf(s[i]); } },
  Tanh: { types: FLOAT_TYPES, loop: (d, s) => { for (let i = 0; i < s.length; i++) d[i] = Math.tanh(s[i]); } },
  Sin: { types: FLOAT_TYPES, loop: (d, s) => { for (let i = 0; i < s.length; i++) d[i] = Math.sin(s[i]); } },
  Cos: { types: FLOAT_TYPES, loop: (d, s) => { for (let i = 0; i < s.length; i++) d[i] = Math.cos(s[i]); } },
  Reciprocal: { types: FLOAT_TYPES, loop: (d, s) => { for (let i = 0; i < s.length; i++) d[i] = 1 / s[i]; } },
  Floor: { types: FLOAT_TYPES, loop: (d, s) => { for (let i = 0; i < s.length; i++) d[i] = Math.floor(s[i]); } },
  Ceil: { types: FLOAT_TYPES, loop: (d, s) => { for (let i = 0; i < s.length; i++) d[i] = Math.ceil(s[i]); } },
  // ONNX Round rounds halves to even (like numpy.round), not away from zero like Math.round.
  Round: { types: FLOAT_TYPES, loop: (d, s) => { for (let i = 0; i < s.length; i++) d[i] = roundHalfToEven(s[i]); } },
  Neg: { types: SIGNED_TYPES, loop: (d, s) => { for (let i = 0; i < s.length; i++) d[i] = -s[i]; } },
  Abs: { types: NUMERIC_TYPES, loop: (d, s) => { for (let i = 0; i < s.length; i++) d[i] = Math.abs(s[i]); } },
  Sign: { types: NUMERIC_TYPES, loop: (d, s) => { for (let i = 0; i < s.length; i++) d[i] = Math.sign(s[i]); } },
};

/** The elementwise function `op` (one of the ops listed above) of x. */
export function unaryImpl(op: UnaryOpName, x: Tensor, where: string = op): Tensor {
  const entry = UNARY[op];
  return mapUnary(x, entry.types, entry.loop, where);
}

export const unaryKernels: readonly KernelConfig[] = (Object.keys(UNARY) as UnaryOpName[]).map((op) => ({
  op,
  impl: (inputs, node) => [unaryImpl(op, requireInput(inputs, 0, node, 'X'), nodeLabel(node))],
}));
