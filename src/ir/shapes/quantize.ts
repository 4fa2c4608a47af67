/**
 * Shape rules of the quantization ops: the output keeps x's shape; QuantizeLinear's type is
 * output_dtype, else the zero point's type, else uint8; DequantizeLinear's is output_dtype
 * (opset 23), else the scale's type.
 */
import { attrInt } from '../attributes.ts';
import { dtypeFromOnnx } from '../dtype.ts';
import type { ShapeRule } from './types.ts';

const quantizeLinear: ShapeRule = (node, ctx) => {
  const shape = ctx.info(node.inputs[0])?.shape;
  const dtype = dtypeFromOnnx(attrInt(node, 'output_dtype', 0)) ?? (node.inputs[2] ? ctx.info(node.inputs[2])?.dtype : 'uint8');
  return [{ dtype, shape }];
};

const dequantizeLinear: ShapeRule = (node, ctx) => {
  const shape = ctx.info(node.inputs[0])?.shape;
  const dtype = dtypeFromOnnx(attrInt(node, 'output_dtype', 0)) ?? ctx.info(node.inputs[1])?.dtype;
  return [{ dtype, shape }];
};

const dynamicQuantizeLinear: ShapeRule = (node, ctx) => [{ dtype: 'uint8', shape: ctx.info(node.inputs[0])?.shape }, { dtype: 'float32', shape: [] }, { dtype: 'uint8', shape: [] }];

export const quantizeRules: Readonly<Record<string, ShapeRule>> = {
  QuantizeLinear: quantizeLinear,
  DequantizeLinear: dequantizeLinear,
  DynamicQuantizeLinear: dynamicQuantizeLinear,
};
