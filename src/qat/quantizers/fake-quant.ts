/**
 * FakeQuant(x, scale, zero_point): fixed parameters (from PTQ calibration) and the plain
 * straight-through estimator (Bengio et al. 2013, the lecture's "forward integer, backward
 * floating point"): the rounding's gradient is taken as 1 inside the clip range, 0 outside.
 * Attributes: bits, qmin, qmax, axis (per channel).
 */
import { attrInt } from '../../ir/attributes.ts';
import type { Node } from '../../ir/graph.ts';
import type { Tensor } from '../../ir/tensor.ts';
import { createParams, type QuantParams } from '../../quant/params.ts';
import { float32Input, quantAxis, steQuantizer } from './quantizer.ts';

/**
 * Parameters from scale and zero point inputs and the bits/qmin/qmax/axis attributes (x is needed
 * only to resolve a negative axis).
 */
export function explicitParams(inputs: readonly (Tensor | undefined)[], node: Node): QuantParams {
  const scale = float32Input(inputs, 1, node, 'scale');
  const zeroPoint = inputs[2];
  const qmin = attrInt(node, 'qmin', 0);
  const axis = quantAxis(node, inputs[0]?.shape.length ?? 0);
  return createParams({
    scale: scale.data,
    zeroPoint: zeroPoint === undefined ? 0 : Array.from(zeroPoint.data, Math.round),
    bits: attrInt(node, 'bits', 8),
    signed: qmin < 0,
    qmin,
    qmax: attrInt(node, 'qmax', 255),
    ...(axis === undefined ? {} : { axis }),
  });
}

export const fakeQuantOp = steQuantizer('FakeQuant', explicitParams);
