/**
 * FakeQuantMinMax(x): parameters recomputed from the tensor itself at every step — the PTQ rule
 * for weights (eq. (5) from the tensor's range, per channel with `axis`), so the quantization grid
 * follows the weights as they train (PyTorch's weight observer, always observing). Gradient:
 * the straight-through estimator. Attributes: bits, scheme (default symmetric), axis.
 */
import { attrInt, attrString } from '../../ir/attributes.ts';
import type { Node } from '../../ir/graph.ts';
import type { Tensor } from '../../ir/tensor.ts';
import { paramsForTensor } from '../../quant/granularity.ts';
import type { QuantParams, QuantScheme } from '../../quant/params.ts';
import { float32Input, quantAxis, steQuantizer } from './quantizer.ts';

function params(inputs: readonly (Tensor | undefined)[], node: Node): QuantParams {
  const x = float32Input(inputs, 0, node, 'x');
  const axis = quantAxis(node, x.shape.length);
  return paramsForTensor(x.data, x.shape, {
    granularity: axis === undefined ? 'tensor' : 'channel',
    ...(axis === undefined ? {} : { axis }),
    bits: attrInt(node, 'bits', 8),
    scheme: attrString(node, 'scheme', 'symmetric') as QuantScheme,
  });
}

export const minMaxQuantOp = steQuantizer('FakeQuantMinMax', params);
