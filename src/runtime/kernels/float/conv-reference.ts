/**
 * Reference convolution: the ONNX Conv formula as plain loops over every output element and
 * every tap, testing bounds per tap. Same signature as `convImpl` (conv.ts), which must agree
 * with it; slow, kept for checking and for readers.
 */
import type { ConvDims } from './conv.ts';
import type { FloatArray } from './float-io.ts';
import type { Window } from './window.ts';

/** y[n, m, o] = bias[m] + Σ_{c, k} x[n, g·C/G + c, o·s + k·d − padBegin] · w[m, c, k], with g = m / (M/G). */
export function convReference(x: FloatArray, w: FloatArray, bias: FloatArray | undefined, dims: ConvDims, window: Window, y: FloatArray): void {
  const { batch, channels, featureMaps, group } = dims;
  const groupChannels = channels / group;
  const groupMaps = featureMaps / group;
  const [iD, iH, iW] = window.input;
  const [oD, oH, oW] = window.output;
  const [kD, kH, kW] = window.kernel;
  for (let n = 0; n < batch; n++) {
    for (let m = 0; m < featureMaps; m++) {
      const g = Math.floor(m / groupMaps);
      for (let od = 0; od < oD; od++) {
        for (let oh = 0; oh < oH; oh++) {
          for (let ow = 0; ow < oW; ow++) {
            let sum = bias === undefined ? 0 : bias[m];
            for (let c = 0; c < groupChannels; c++) {
              for (let kd = 0; kd < kD; kd++) {
                const id = od * window.strides[0] + kd * window.dilations[0] - window.padBegin[0];
                if (id < 0 || id >= iD) continue;
                for (let kh = 0; kh < kH; kh++) {
                  const ih = oh * window.strides[1] + kh * window.dilations[1] - window.padBegin[1];
                  if (ih < 0 || ih >= iH) continue;
                  for (let kw = 0; kw < kW; kw++) {
                    const iw = ow * window.strides[2] + kw * window.dilations[2] - window.padBegin[2];
                    if (iw < 0 || iw >= iW) continue;
                    const xi = (((n * channels + g * groupChannels + c) * iD + id) * iH + ih) * iW + iw;
                    const wi = (((m * groupChannels + c) * kD + kd) * kH + kh) * kW + kw;
                    sum += x[xi] * w[wi];
                  }
                }
              }
            }
            y[(((n * featureMaps + m) * oD + od) * oH + oh) * oW + ow] = sum;
          }
        }
      }
    }
  }
}
