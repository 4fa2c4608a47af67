/**
 * The plain reference of QLinearConv (qlinear-conv.ts): every output element as its own sum,
 * y[n, m, o] = stage_m(B[m] + Σ_{c, k} (x[n, g·C/G + c, o·s + k·d − padBegin] − z_x)·(w[m, c, k] − z_w[m])),
 * taps outside the input skipped (they read z_x: the real zero, eq. (7)), int32 arithmetic that
 * wraps, docs/QUANTIZATION.md eqs. (10), (13), (18). Same signature as `qlinearConvImpl`, which
 * must agree with it exactly; slow, kept for checking and for readers.
 */
import type { ConvOperands } from './conv-operands.ts';
import { requantizeOne, type QuantizedOutput } from '../../../quant/output-stage.ts';

/** y (N × M × output) of the quantized convolution `op`, by plain loops. */
export function qlinearConvReference(op: ConvOperands, y: QuantizedOutput): void {
  const { x, xZero, w, wZero, bias, dims, window, stage } = op;
  const { batch, channels, featureMaps, group } = dims;
  const groupChannels = channels / group;
  const groupMaps = featureMaps / group;
  const [iD, iH, iW] = window.input;
  const [oD, oH, oW] = window.output;
  const [kD, kH, kW] = window.kernel;
  let out = 0;
  for (let n = 0; n < batch; n++) {
    for (let m = 0; m < featureMaps; m++) {
      const g = Math.floor(m / groupMaps);
      const zw = wZero.length > 1 ? wZero[m] : wZero[0];
      for (let od = 0; od < oD; od++) {
        for (let oh = 0; oh < oH; oh++) {
          for (let ow = 0; ow < oW; ow++) {
            let acc = bias === undefined ? 0 : bias[m];
            for (let c = 0; c < groupChannels; c++) {
              for (let kd = 0; kd < kD; kd++) {
                const id = od * window.strides[0] + kd * window.dilations[0] - window.padBegin[0];
                for (let kh = 0; kh < kH; kh++) {
                  const ih = oh * window.strides[1] + kh * window.dilations[1] - window.padBegin[1];
                  for (let kw = 0; kw < kW; kw++) {
                    const iw = ow * window.strides[2] + kw * window.dilations[2] - window.padBegin[2];
                    if (id < 0 || id >= iD || ih < 0 || ih >= iH || iw < 0 || iw >= iW) continue;
                    const xv = x[(((n * channels + g * groupChannels + c) * iD + id) * iH + ih) * iW + iw];
                    const wv = w[(((m * groupChannels + c) * kD + kd) * kH + kh) * kW + kw];
                    acc = (acc + Math.imul(xv - xZero, wv - zw)) | 0;
                  }
                }
              }
            }
            y[out++] = requantizeOne(stage, stage.multiplier.length > 1 ? m : 0, acc);
          }
        }
      }
    }
  }
}
