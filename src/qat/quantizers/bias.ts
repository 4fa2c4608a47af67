/**
 * BiasQuant(b, input_scale, weight_scale): the int32 bias of a quantized layer, scale s_in·s_w per
 * output channel and zero point 0 (eq. (13), paramsForBias), as the exported QDQ model holds it.
 * The scales are the [1] outputs of the layer's input and weight quantizers. Gradient: straight
 * through to b (int32 never saturates in practice); none to the scales.
 */
import type { Node } from '../../ir/graph.ts';
import type { Tensor } from '../../ir/tensor.ts';
import { paramsForBias, type QuantParams } from '../../quant/params.ts';
import { float32Input, steQuantizer } from './quantizer.ts';

function params(inputs: readonly (Tensor | undefined)[], node: Node): QuantParams {
  const inputScale = float32Input(inputs, 1, node, 'input_scale').data[0];
  const weightScale = float32Input(inputs, 2, node, 'weight_scale').data;
  return paramsForBias(inputScale, weightScale.length === 1 ? weightScale[0] : weightScale);
}

export const biasQuantOp = steQuantizer('BiasQuant', params);
