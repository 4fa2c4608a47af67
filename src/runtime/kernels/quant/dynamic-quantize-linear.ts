/**
 * DynamicQuantizeLinear (ONNX DynamicQuantizeLinear-11): uint8 quantization with the scale and
 * zero point of x's own range, widened to contain 0 (docs/QUANTIZATION.md eqs. (5), (6), (2)):
 *   rmin = min(0, min x), rmax = max(0, max x)
 *   y_scale = fl32(fl32(rmax − rmin) / 255)                 (1 when rmax = rmin, i.e. x is all 0)
 *   y_zero_point = round_half_to_even(clamp(fl32(0 − fl32(rmin / y_scale)), 0, 255))
 *   y = QuantizeLinear(x, y_scale, y_zero_point)
 * every step in float32, in the order of the spec's function body and of the ONNX reference
 * (whose scale of 1 for an all-zero x the function body, dividing 0 by 0, leaves undefined).
 */
import { RangeArgumentError } from '../../../errors.ts';
import type { Node } from '../../../ir/graph.ts';
import { scalar, tensor, type Tensor } from '../../../ir/tensor.ts';
import { roundHalfToEven } from '../../../numeric/rounding.ts';
import { createParams } from '../../../quant/params.ts';
import { quantize } from '../../../quant/quantize.ts';
import type { KernelConfig } from '../../kernel.ts';
import { nodeLabel, requireDtype, requireInput } from '../float/node-io.ts';
import { namingNode } from './quant-io.ts';

const QMIN = 0;
const QMAX = 255;

export interface DynamicQuantization {
  readonly y: Uint8Array;
  readonly scale: number;
  readonly zeroPoint: number;
}

/**
 * Quantizes `x` (row-major `shape`) to uint8 with its own range (see the module comment).
 * @throws RangeArgumentError naming the first NaN or ±inf element.
 */
export function dynamicQuantizeLinearImpl(x: Float32Array, shape: readonly number[]): DynamicQuantization {
  let rmin = 0; // the range always contains 0
  let rmax = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v - v !== 0) throw new RangeArgumentError(`x element ${i} is ${v}; DynamicQuantizeLinear needs finite values`);
    if (v < rmin) rmin = v;
    if (v > rmax) rmax = v;
  }
  const scale = rmax === rmin ? 1 : Math.fround(Math.fround(rmax - rmin) / (QMAX - QMIN));
  const initial = Math.fround(QMIN - Math.fround(rmin / scale));
  const zeroPoint = roundHalfToEven(Math.min(Math.max(initial, QMIN), QMAX));
  const params = createParams({ scale, zeroPoint, bits: 8, signed: false });
  return { y: quantize(x, shape, params) as Uint8Array, scale, zeroPoint };
}

function dynamicQuantizeLinear(inputs: readonly (Tensor | undefined)[], node: Node): Tensor[] {
  const label = nodeLabel(node);
  const x = requireInput(inputs, 0, node, 'x');
  requireDtype(x, new Set(['float32']), label, 'x');
  const { y, scale, zeroPoint } = namingNode(node, () => dynamicQuantizeLinearImpl(x.data as Float32Array, x.shape));
  return [tensor('uint8', x.shape, y, `${label} output y`), scalar('float32', scale), scalar('uint8', zeroPoint)];
}

export const dynamicQuantizeLinearConfig: KernelConfig = { op: 'DynamicQuantizeLinear', impl: dynamicQuantizeLinear };
