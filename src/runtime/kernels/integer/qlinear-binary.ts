/**
 * QLinearAdd and QLinearMul (com.microsoft, onnxruntime contrib ops) in integer arithmetic, with
 * numpy broadcasting (float/broadcast.ts). A, B and C share one type (int8/uint8; int4/uint4 held
 * unpacked too); every scale and zero point is per tensor.
 *
 * QLinearMul, C = z_c + (s_a·s_b/s_c)·(A − z_a)(B − z_b): the product of the centred operands in
 * int32 (|·| ≤ 255² for 8 bits), then the output stage with M = s_a·s_b/s_c, docs/QUANTIZATION.md
 * eqs. (14), (18).
 *
 * QLinearAdd, C = z_c + (s_a(A − z_a) + s_b(B − z_b))/s_c, as TFLite adds: both operands are
 * brought to the common scale 2·max(s_a, s_b)·2^−L with fixed-point multipliers, summed in int32,
 * and the sum requantized to s_c (eq. (17) three times):
 *   ã = multiplyByQuantizedMultiplier((A − z_a)·2^L, M_a),  M_a = s_a / (2·max(s_a, s_b)) ≤ ½,
 *   b̃ likewise, C = stage(ã + b̃) with M_c = 2·max(s_a, s_b) / (2^L·s_c).
 * The left shift L gives the small operand's rounding headroom: L = 22 for 8-bit operands
 * (TFLite uses 20), the most that keeps |A − z_a|·2^L ≤ 2^30 and so ã + b̃ inside int32.
 *
 * Multipliers are computed once per node. qlinear-binary-reference.ts walks the broadcast by
 * multi-indices instead of runs.
 */
import { ShapeError } from '../../../errors.ts';
import type { DType } from '../../../ir/dtype.ts';
import type { Node } from '../../../ir/graph.ts';
import type { Tensor } from '../../../ir/tensor.ts';
import { multiplyByQuantizedMultiplier } from '../../../numeric/fixedpoint.ts';
import { requantizeMultipliers, type RequantizeMultipliers } from '../../../quant/requantize.ts';
import type { KernelConfig } from '../../kernel.ts';
import { applyBinary, type BinaryLoop } from '../float/broadcast.ts';
import { nodeLabel } from '../float/node-io.ts';
import { namingNode } from '../quant/quant-io.ts';
import { maxCenteredOfType } from './accumulator-bound.ts';
import { checkInputCount, dtypeRange, integerInput, tensorScale, zeroPointValues } from './operands.ts';
import { outputStage, requantizeOne, type OutputStage } from '../../../quant/output-stage.ts';
import { prepared } from './prepare-cache.ts';

/** The per-node constants of a QLinearAdd or QLinearMul; `combine` maps one pair of inputs to the output. */
export interface BinaryStage {
  readonly aZero: number;
  readonly bZero: number;
  readonly stage: OutputStage;
  /** QLinearAdd only: the input multipliers M_a, M_b and the left shift 2^L. */
  readonly add?: { readonly a: RequantizeMultipliers; readonly b: RequantizeMultipliers; readonly up: number };
}

/** One output of QLinearAdd: stage(ã + b̃). eq. (17) */
export function addOne(p: BinaryStage, a: number, b: number): number {
  const add = p.add!;
  const ta = multiplyByQuantizedMultiplier((a - p.aZero) * add.up, add.a.multiplier[0], add.a.shift[0]);
  const tb = multiplyByQuantizedMultiplier((b - p.bZero) * add.up, add.b.multiplier[0], add.b.shift[0]);
  return requantizeOne(p.stage, 0, ta + tb);
}

/** One output of QLinearMul: stage((a − z_a)(b − z_b)). eq. (18) */
export function mulOne(p: BinaryStage, a: number, b: number): number {
  return requantizeOne(p.stage, 0, Math.imul(a - p.aZero, b - p.bZero));
}

/** The constants of QLinearAdd for per-tensor scales and zero points, operands of type `dtype`. */
export function addStage(dtype: DType, aScale: number, aZero: number, bScale: number, bZero: number, cScale: number, cZero: number): BinaryStage {
  const widest = Math.max(maxCenteredOfType(dtype, [aZero]), maxCenteredOfType(dtype, [bZero]), 1);
  const left = 30 - Math.ceil(Math.log2(widest + 1)); // |q − z|·2^L ≤ 2^30
  const common = 2 * Math.max(Math.fround(aScale), Math.fround(bScale));
  const { qmin, qmax } = dtypeRange(dtype);
  return {
    aZero,
    bZero,
    stage: outputStage(requantizeMultipliers(common, 1, Math.fround(cScale) * 2 ** left), cZero, qmin, qmax),
    add: { a: requantizeMultipliers(aScale, 1, common), b: requantizeMultipliers(bScale, 1, common), up: 2 ** left },
  };
}

/** The constants of QLinearMul. */
export function mulStage(dtype: DType, aScale: number, aZero: number, bScale: number, bZero: number, cScale: number, cZero: number): BinaryStage {
  const { qmin, qmax } = dtypeRange(dtype);
  return { aZero, bZero, stage: outputStage(requantizeMultipliers(aScale, bScale, cScale), cZero, qmin, qmax) };
}

type StageBuilder = typeof addStage;

/** C of a QLinearAdd (`one` = addOne) or QLinearMul (mulOne), broadcast over runs. */
export function qlinearBinaryImpl(a: Tensor, b: Tensor, p: BinaryStage, one: (p: BinaryStage, a: number, b: number) => number, where: string): Tensor {
  const loop: BinaryLoop = (out, x, y, o, ix, sx, iy, sy, n) => {
    for (let i = 0; i < n; i++) out[o + i] = one(p, x[ix + i * sx], y[iy + i * sy]);
  };
  return applyBinary(a, b, a.dtype, loop, where);
}

function binaryKernel(build: StageBuilder, one: (p: BinaryStage, a: number, b: number) => number) {
  return (inputs: readonly (Tensor | undefined)[], node: Node): Tensor[] => {
    checkInputCount(inputs, node, 7, 8);
    const label = nodeLabel(node);
    const a = integerInput(inputs, 0, node, 'A');
    const b = integerInput(inputs, 3, node, 'B');
    if (b.dtype !== a.dtype) throw new ShapeError(`${label}: B is ${b.dtype} but A is ${a.dtype}; QLinear binary ops take one type`);
    const p = prepared(node, [...inputs.slice(1, 3), ...inputs.slice(4, 8), a.dtype], () => {
      const aZero = zeroPointValues(inputs, 2, node, 'A_zero_point', a, 'A', true)[0];
      const bZero = zeroPointValues(inputs, 5, node, 'B_zero_point', b, 'B', true)[0];
      const cZero = zeroPointValues(inputs, 7, node, 'C_zero_point', a, 'A', true)[0];
      const scales = [tensorScale(inputs, 1, node, 'A_scale'), tensorScale(inputs, 4, node, 'B_scale'), tensorScale(inputs, 6, node, 'C_scale')];
      return namingNode(node, () => build(a.dtype, scales[0], aZero, scales[1], bZero, scales[2], cZero));
    });
    return [qlinearBinaryImpl(a, b, p, one, label)];
  };
}

export const qlinearAddConfig: KernelConfig = { op: 'QLinearAdd', domain: 'com.microsoft', impl: binaryKernel(addStage, addOne) };
export const qlinearMulConfig: KernelConfig = { op: 'QLinearMul', domain: 'com.microsoft', impl: binaryKernel(mulStage, mulOne) };
