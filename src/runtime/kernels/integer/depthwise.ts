/**
 * The direct path of depthwise QLinearConv (one input channel per group, channel multiplier
 * M/C): a GEMM per group would have an inner dimension of only the kernel size. Tap by tap, as
 * the float depthwise loop: acc[o] += (w[m, tap] − z_w[m])·(x[o·s + tap·d − pad] − z_x) over the
 * output rows the tap reaches inside the input (window.ts strideRange) — padded taps are the real
 * zero and add nothing, docs/QUANTIZATION.md eqs. (10), (11) — then the bias (eq. (13)) and the
 * output stage (eq. (18)). Where WebAssembly SIMD runs, kernels/conv/depthwise.ts computes the
 * same integers (src/runtime/wasm/conv.ts); the loop below is the fallback.
 */
import { strideRange } from '../float/window.ts';
import { convSizes, type ConvOperands } from './conv-operands.ts';
import { requantizeRows, type QuantizedOutput } from '../../../quant/output-stage.ts';
import { wasmKernels } from '../../wasm/index.ts';
import { int8Depthwise } from '../../wasm/conv.ts';
import { isByteOutput } from '../../wasm/int8-gemm.ts';

/** y (N × M × output) of the depthwise convolution `op`. */
export function depthwiseConv(op: ConvOperands, y: QuantizedOutput): void {
  const backend = wasmKernels();
  if (backend !== undefined && isByteOutput(y)) {
    int8Depthwise(backend, op, y);
    return;
  }
  const { x, xZero, w, wZero, bias, dims, window, stage } = op;
  const { batch, channels, featureMaps } = dims;
  const multiplier = featureMaps / channels;
  const [iD, iH, iW] = window.input;
  const [oD, oH, oW] = window.output;
  const [kD, kH, kW] = window.kernel;
  const [sD, sH, sW] = window.strides;
  const [dD, dH, dW] = window.dilations;
  const [pD, pH, pW] = window.padBegin;
  const { outSize, inSize, taps } = convSizes(window);
  const acc = new Int32Array(outSize);
  const plane = new Int16Array(inSize); // the input channel minus z_x, once per channel
  for (let n = 0; n < batch; n++) {
    for (let m = 0; m < featureMaps; m++) {
      if (m % multiplier === 0) {
        const xBase = (n * channels + m / multiplier) * inSize;
        for (let i = 0; i < inSize; i++) plane[i] = x[xBase + i] - xZero;
      }
      const zw = wZero.length > 1 ? wZero[m] : wZero[0];
      acc.fill(bias === undefined ? 0 : bias[m]);
      let wi = m * taps;
      for (let kd = 0; kd < kD; kd++) {
        const [od0, od1] = strideRange(oD, iD, sD, kd * dD - pD);
        for (let kh = 0; kh < kH; kh++) {
          const [oh0, oh1] = strideRange(oH, iH, sH, kh * dH - pH);
          for (let kw = 0; kw < kW; kw++, wi++) {
            const [ow0, ow1] = strideRange(oW, iW, sW, kw * dW - pW);
            const weight = w[wi] - zw;
            if (weight === 0) continue;
            for (let od = od0; od < od1; od++) {
              const id = od * sD + kd * dD - pD;
              for (let oh = oh0; oh < oh1; oh++) {
                let src = (id * iH + oh * sH + kh * dH - pH) * iW + ow0 * sW + kw * dW - pW;
                let dst = (od * oH + oh) * oW + ow0;
                const end = dst + (ow1 - ow0);
                for (; dst < end; dst++, src += sW) acc[dst] += Math.imul(weight, plane[src]); // the store wraps to int32
              }
            }
          }
        }
      }
      requantizeRows(stage, acc, 0, y, (n * featureMaps + m) * outSize, 1, outSize, m);
    }
  }
}
