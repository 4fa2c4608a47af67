/**
 * PactQuant(x, alpha): PArameterized Clipping acTivation (Choi et al. 2018). The activation is
 * clipped to [0, α] with a learned α and quantized to k bits on that range:
 *   y = PACT(x) = 0.5·(|x| − |x − α| + α) = clip(x, 0, α),   y_q = round(y·(2^k − 1)/α)·α/(2^k − 1)
 * i.e. unsigned quantization with scale s = α/(2^k − 1), zero point 0, qmax = 2^k − 1 (saturating
 * at qmax is the clip at α). With the straight-through estimator for the rounding:
 *   ∂y_q/∂x = 1 for 0 ≤ x < α, else 0;      ∂y_q/∂α = 1 for x ≥ α, else 0   (the paper's eq. (2))
 * so α grows while clipped values want to be larger and shrinks under its L2 decay (the trainer's
 * weight decay on α). Attribute: bits.
 */
import { attrInt } from '../../ir/attributes.ts';
import type { Node } from '../../ir/graph.ts';
import { tensor, type Tensor } from '../../ir/tensor.ts';
import { createParams, type QuantParams } from '../../quant/params.ts';
import { fakeQuantOutputs, float32Input, QAT_DOMAIN, type QuantizerOp } from './quantizer.ts';

function params(inputs: readonly (Tensor | undefined)[], node: Node): QuantParams {
  const alpha = float32Input(inputs, 1, node, 'alpha').data[0];
  const bits = attrInt(node, 'bits', 8);
  const qmax = 2 ** bits - 1;
  return createParams({ scale: Math.fround(alpha / qmax), bits, signed: false, qmin: 0, qmax });
}

export const pactQuantOp: QuantizerOp = {
  op: 'PactQuant',
  domain: QAT_DOMAIN,
  params,
  forward(inputs, node) {
    const x = float32Input(inputs, 0, node, 'x');
    const alphaInput = float32Input(inputs, 1, node, 'alpha');
    const alpha = alphaInput.data[0];
    return {
      outputs: fakeQuantOutputs(x, params(inputs, node)),
      backward([gy], wanted) {
        const dy = gy!.data;
        const dx = tensor('float32', x.shape);
        let dAlpha = 0;
        for (let i = 0; i < dy.length; i++) {
          const v = x.data[i];
          if (v >= alpha) dAlpha += dy[i];
          else if (v >= 0) dx.data[i] = dy[i];
        }
        return [dx, wanted[1] ? tensor('float32', alphaInput.shape, Float32Array.of(dAlpha)) : undefined];
      },
    };
  },
};
