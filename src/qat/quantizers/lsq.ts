/**
 * LsqQuant(x, scale, zero_point): Learned Step Size Quantization (Esser et al., ICLR 2020). The
 * step s is a parameter trained with the network. With t = x/s and the code range
 * [−Qn, Qp] = [qmin − z, qmax − z] (z fixed, 0 for symmetric weights and ReLU outputs):
 *   ∂ŷ/∂x = 1 if −Qn < t < Qp, else 0                     (straight through, inside the range)
 *   ∂ŷ/∂s = round(t) − t if −Qn < t < Qp; −Qn if t ≤ −Qn; Qp if t ≥ Qp
 * and the step's gradient is scaled by g = 1/√(N·Qp) (attribute grad_scale; N the number of
 * weights sharing the step, or of features per sample for activations), which keeps its
 * updates in proportion to the weights'. Attributes as FakeQuant, plus grad_scale.
 */
import { attrFloat } from '../../ir/attributes.ts';
import { tensor } from '../../ir/tensor.ts';
import { quantizeValue } from '../../quant/quantize.ts';
import { explicitParams } from './fake-quant.ts';
import { fakeQuantOutputs, float32Input, forEachScaleRun, layoutOf, QAT_DOMAIN, type QuantizerOp } from './quantizer.ts';

/** g = 1/√(N·Qp): LSQ's gradient scale for N values sharing a step with Qp positive codes. */
export function lsqGradScale(count: number, qp: number): number {
  return 1 / Math.sqrt(count * qp);
}

export const lsqQuantOp: QuantizerOp = {
  op: 'LsqQuant',
  domain: QAT_DOMAIN,
  params: explicitParams,
  forward(inputs, node) {
    const x = float32Input(inputs, 0, node, 'x');
    const scale = float32Input(inputs, 1, node, 'scale');
    const params = explicitParams(inputs, node);
    const gradScale = attrFloat(node, 'grad_scale', 1);
    return {
      outputs: fakeQuantOutputs(x, params),
      backward([gy], wanted) {
        const dy = gy!.data;
        const dx = tensor('float32', x.shape);
        const ds = new Float64Array(params.scale.length);
        forEachScaleRun(layoutOf(x, params), (j, start, end) => {
          const s = params.scale[j];
          const z = params.zeroPoint[j];
          const lo = params.qmin - z;
          const hi = params.qmax - z;
          let sum = 0;
          for (let i = start; i < end; i++) {
            const t = x.data[i] / s;
            if (t <= lo) sum += dy[i] * lo;
            else if (t >= hi) sum += dy[i] * hi;
            else {
              sum += dy[i] * (quantizeValue(x.data[i], s, z, params.qmin, params.qmax) - z - t);
              dx.data[i] = dy[i];
            }
          }
          ds[j] += sum;
        });
        const dscale = wanted[1] ? tensor('float32', scale.shape, Float32Array.from(ds, (v) => v * gradScale)) : undefined;
        return [dx, dscale];
      },
    };
  },
};
