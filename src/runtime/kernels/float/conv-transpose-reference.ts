/**
 * Reference transposed convolution: the ONNX ConvTranspose definition as plain scatter loops
 * (every input element times every tap, added where it lands). Same signature as
 * `convTransposeImpl` (conv-transpose.ts), which must agree with it.
 */
import type { ConvDims } from './conv.ts';
import type { FloatArray } from './float-io.ts';
import type { Window } from './window.ts';

/** y[n, m, i·s + k·d − padBegin] += x[n, c, i] · w[c, m − g·M/G, k] for m in c's group, plus bias[m]. */
export function convTransposeReference(x: FloatArray, w: FloatArray, bias: FloatArray | undefined, dims: ConvDims, window: Window, y: FloatArray): void {
  const { batch, channels, featureMaps, group } = dims;
  const groupChannels = channels / group;
  const groupMaps = featureMaps / group;
  const [iD, iH, iW] = window.input;
  const [oD, oH, oW] = window.output;
  const [kD, kH, kW] = window.kernel;
  const outSize = oD * oH * oW;
  for (let n = 0; n < batch; n++) {
    for (let m = 0; m < featureMaps; m++) {
      for (let o = 0; o < outSize; o++) y[(n * featureMaps + m) * outSize + o] = bias === undefined ? 0 : bias[m];
    }
  }
  for (let n = 0; n < batch; n++) {
    for (let c = 0; c < channels; c++) {
      const g = Math.floor(c / groupChannels);
      for (let id = 0; id < iD; id++) {
        for (let ih = 0; ih < iH; ih++) {
          for (let iw = 0; iw < iW; iw++) {
            const value = x[(((n * channels + c) * iD + id) * iH + ih) * iW + iw];
            for (let mm = 0; mm < groupMaps; mm++) {
              const m = g * groupMaps + mm;
              for (let kd = 0; kd < kD; kd++) {
                const od = id * window.strides[0] + kd * window.dilations[0] - window.padBegin[0];
                if (od < 0 || od >= oD) continue;
                for (let kh = 0; kh < kH; kh++) {
                  const oh = ih * window.strides[1] + kh * window.dilations[1] - window.padBegin[1];
                  if (oh < 0 || oh >= oH) continue;
                  for (let kw = 0; kw < kW; kw++) {
                    const ow = iw * window.strides[2] + kw * window.dilations[2] - window.padBegin[2];
                    if (ow < 0 || ow >= oW) continue;
                    const wi = (((c * groupMaps + mm) * kD + kd) * kH + kh) * kW + kw;
                    y[(((n * featureMaps + m) * oD + od) * oH + oh) * oW + ow] += value * w[wi];
                  }
                }
              }
            }
          }
        }
      }
    }
  }
}
