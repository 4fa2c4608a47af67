/**
 * QLinearConcat (com.microsoft, onnxruntime contrib op) in integer arithmetic: inputs
 * Y_scale, Y_zero_point, then one (X_i, X_i_scale, X_i_zero_point) triple per tensor; attribute
 * axis. Each X_i is requantized to Y's scale and zero point — y = z_y + (s_i/s_y)·(x − z_i) with a
 * fixed-point multiplier per input and the output stage, docs/QUANTIZATION.md eqs. (14), (18) —
 * and passes unchanged when its parameters already are Y's; then the float Concat joins them
 * (float/concat-split.ts: data movement only). Every X_i has Y's type (int8/uint8; int4/uint4 held
 * unpacked too); all parameters are per tensor.
 */
import { ShapeError } from '../../../errors.ts';
import { attrInt } from '../../../ir/attributes.ts';
import type { DType } from '../../../ir/dtype.ts';
import type { Node } from '../../../ir/graph.ts';
import { tensor, type Tensor } from '../../../ir/tensor.ts';
import { requantizeMultipliers } from '../../../quant/requantize.ts';
import type { KernelConfig } from '../../kernel.ts';
import { concatImpl } from '../float/concat-split.ts';
import { nodeLabel } from '../float/node-io.ts';
import { namingNode } from '../quant/quant-io.ts';
import { checkInputCount, dtypeRange, integerInput, outputZeroPoint, tensorScale, zeroPointValues } from './operands.ts';
import { outputStage, requantizeRows, type OutputStage, type QuantizedOutput } from '../../../quant/output-stage.ts';
import { prepared } from './prepare-cache.ts';

/** How input i reaches Y: unchanged (undefined) or through its zero point and an output stage. */
export interface ConcatPart {
  readonly zeroPoint: number;
  readonly stage: OutputStage | undefined;
}

/** The part of an input with scale `scale` and zero point `zeroPoint` into Y's parameters. */
export function concatPart(dtype: DType, scale: number, zeroPoint: number, yScale: number, yZero: number): ConcatPart {
  if (Math.fround(scale) === Math.fround(yScale) && zeroPoint === yZero) return { zeroPoint, stage: undefined };
  const { qmin, qmax } = dtypeRange(dtype);
  return { zeroPoint, stage: outputStage(requantizeMultipliers(scale, 1, yScale), yZero, qmin, qmax) }; // eq. (14)
}

/** x requantized into Y's parameters (x itself when its part is unchanged). eq. (18) */
export function requantizePart(x: Tensor, part: ConcatPart): Tensor {
  if (part.stage === undefined) return x;
  const centred = new Int32Array(x.data.length);
  for (let i = 0; i < centred.length; i++) centred[i] = x.data[i] - part.zeroPoint;
  const y = tensor(x.dtype, x.shape);
  requantizeRows(part.stage, centred, 0, y.data as QuantizedOutput, 0, 1, centred.length, 0);
  return y;
}

/** The inputs requantized to Y and joined along `axis`. */
export function qlinearConcatImpl(xs: readonly Tensor[], parts: readonly ConcatPart[], axis: number, where: string): Tensor {
  return concatImpl(xs.map((x, i) => requantizePart(x, parts[i])), axis, where);
}

function qlinearConcat(inputs: readonly (Tensor | undefined)[], node: Node): Tensor[] {
  checkInputCount(inputs, node, 5, Infinity);
  const label = nodeLabel(node);
  if ((inputs.length - 2) % 3 !== 0) throw new ShapeError(`${label}: expects Y_scale, Y_zero_point and (X, X_scale, X_zero_point) triples, got ${inputs.length} inputs`);
  const attribute = node.attributes.axis;
  if (attribute === undefined) throw new ShapeError(`${label}: attribute axis is required`);
  const axis = attrInt(node, 'axis', 0);
  const count = (inputs.length - 2) / 3;
  const xs = Array.from({ length: count }, (_, i) => integerInput(inputs, 2 + 3 * i, node, `input ${i}`));
  const yZeroPoint = outputZeroPoint(inputs, 1, node, 'Y_zero_point');
  const dtype = yZeroPoint?.dtype ?? xs[0].dtype;
  xs.forEach((x, i) => {
    if (x.dtype !== dtype) throw new ShapeError(`${label}: input ${i} is ${x.dtype} but Y is ${dtype}; QLinearConcat takes one type`);
  });
  const keys = inputs.filter((_, i) => i < 2 || (i - 2) % 3 !== 0);
  const parts = prepared(node, [...keys, dtype], () => {
    const yScale = tensorScale(inputs, 0, node, 'Y_scale');
    const yZero = yZeroPoint === undefined ? 0 : yZeroPoint.data[0];
    return xs.map((x, i) => {
      const scale = tensorScale(inputs, 3 + 3 * i, node, `input ${i} scale`);
      const zeroPoint = zeroPointValues(inputs, 4 + 3 * i, node, `input ${i} zero point`, x, `input ${i}`, true)[0];
      return namingNode(node, () => concatPart(dtype, scale, zeroPoint, yScale, yZero));
    });
  });
  return [qlinearConcatImpl(xs, parts, axis, label)];
}

export const qlinearConcatConfig: KernelConfig = { op: 'QLinearConcat', domain: 'com.microsoft', impl: qlinearConcat };
