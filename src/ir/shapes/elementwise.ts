/** Shape rules of elementwise ops: unary ops keep the input type; binary/variadic ops broadcast. */
import { attrInt } from '../attributes.ts';
import { dtypeFromOnnx, type DType } from '../dtype.ts';
import type { Dim, Node } from '../graph.ts';
import { tensor } from '../tensor.ts';
import { broadcastShapes } from './dims.ts';
import type { InferredType, RuleContext, ShapeRule } from './types.ts';

/** The input's type, unchanged (value passed through for Identity). */
const sameAsInput: ShapeRule = (node, ctx) => {
  const info = ctx.info(node.inputs[0]);
  if (info === undefined) return [undefined];
  return [{ dtype: info.dtype, shape: info.shape }];
};

const identity: ShapeRule = (node, ctx) => {
  const [out] = sameAsInput(node, ctx);
  const value = ctx.constant(node.inputs[0]);
  return [out === undefined ? undefined : { ...out, ...(value ? { value } : {}) }];
};

const dropout: ShapeRule = (node, ctx) => {
  const [out] = sameAsInput(node, ctx);
  return [out, out === undefined ? undefined : { dtype: 'bool', shape: out.shape }];
};

const cast: ShapeRule = (node, ctx) => {
  const info = ctx.info(node.inputs[0]);
  const dtype = dtypeFromOnnx(attrInt(node, 'to', 0));
  const value = ctx.constant(node.inputs[0]);
  // Small integer constants (shape arithmetic) stay known through integer casts.
  const castValue = value !== undefined && (dtype === 'int64' || dtype === 'int32') && value.data.length <= 64
    ? tensor(dtype, value.shape, dtype === 'int64' ? Float64Array.from(value.data as ArrayLike<number>, Math.trunc) : Int32Array.from(value.data as ArrayLike<number>, Math.trunc))
    : undefined;
  return [{ ...(dtype ? { dtype } : {}), ...(info?.shape ? { shape: info.shape } : {}), ...(castValue ? { value: castValue } : {}) }];
};

/** Broadcast of all (non-omitted) inputs; `dtype` picks the output type. */
function broadcasting(dtype: (node: Node, ctx: RuleContext) => DType | undefined, first = 0): ShapeRule {
  return (node, ctx) => {
    let shape: Dim[] | undefined = [];
    for (const name of node.inputs.slice(first)) {
      if (name === '') continue;
      const s = ctx.info(name)?.shape;
      if (s === undefined) {
        shape = undefined;
        break;
      }
      shape = broadcastShapes(shape, s, ctx.what);
    }
    if (first > 0 && shape !== undefined) {
      const condition = ctx.info(node.inputs[0])?.shape;
      shape = condition === undefined ? undefined : broadcastShapes(condition, shape, ctx.what);
    }
    const out: InferredType = { dtype: dtype(node, ctx), ...(shape ? { shape } : {}) };
    return [out];
  };
}

const firstInputType = (node: Node, ctx: RuleContext) => ctx.info(node.inputs[0])?.dtype;
const boolean = () => 'bool' as const;

const UNARY = ['Sqrt', 'Exp', 'Log', 'Neg', 'Abs', 'Erf', 'Tanh', 'Relu', 'LeakyRelu', 'Clip', 'Sigmoid', 'HardSigmoid', 'HardSwish', 'Softmax', 'LogSoftmax', 'Hardmax', 'Floor', 'Ceil', 'Round', 'Reciprocal', 'Elu', 'Selu', 'Softplus', 'Softsign', 'Sin', 'Cos', 'Sign', 'Not', 'Gelu', 'Mish', 'ThresholdedRelu', 'Celu'];

export const elementwiseRules: Readonly<Record<string, ShapeRule>> = {
  ...Object.fromEntries(UNARY.map((op) => [op, sameAsInput])),
  // PRelu broadcasts the slope to X (unidirectionally): the output has X's type.
  PRelu: sameAsInput,
  IsNaN: (node, ctx) => [{ dtype: 'bool', shape: ctx.info(node.inputs[0])?.shape }],
  IsInf: (node, ctx) => [{ dtype: 'bool', shape: ctx.info(node.inputs[0])?.shape }],
  Identity: identity,
  Dropout: dropout,
  Cast: cast,
  CastLike: (node, ctx) => [{ dtype: ctx.info(node.inputs[1])?.dtype, shape: ctx.info(node.inputs[0])?.shape }],
  ...Object.fromEntries(['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Mod', 'Min', 'Max', 'Sum', 'Mean', 'BitShift'].map((op) => [op, broadcasting(firstInputType)])),
  ...Object.fromEntries(['Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual', 'And', 'Or', 'Xor'].map((op) => [op, broadcasting(boolean)])),
  Where: broadcasting((node, ctx) => ctx.info(node.inputs[1])?.dtype ?? ctx.info(node.inputs[2])?.dtype, 1),
};
