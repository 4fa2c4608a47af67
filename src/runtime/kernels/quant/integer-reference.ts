/**
 * Reference integer kernels: the products of integer-operands.ts as plain loops in genuine int32
 * arithmetic (Math.imul products, `| 0` wrapping sums), the way a C kernel with an int32
 * accumulator computes them. Same signatures as `integerMatMul` / `integerConv`, which must
 * agree with them exactly; slow, kept for checking and for readers.
 */
import { shapeSize, stridesOf } from '../../../ir/tensor.ts';
import type { ConvDims } from '../float/conv.ts';
import type { MatMulPlan } from '../float/matmul.ts';
import type { Window } from '../float/window.ts';
import type { Centered } from './integer-operands.ts';

/** acc[batch, i, j] = Σ_p a[batch, i, p] · b[batch, p, j] in int32, batch axes broadcast (numpy matmul). */
export function integerMatMulReference(a: Centered, b: Centered, plan: MatMulPlan): Int32Array {
  const { batchShape, aBatch, bBatch, m, n, k } = plan;
  const batches = shapeSize(batchShape);
  const out = new Int32Array(batches * m * n);
  const outStrides = stridesOf(batchShape);
  for (let batch = 0; batch < batches; batch++) {
    // The matrix of each operand at this batch position: its own index, 0 along a stretched axis.
    let aIndex = 0;
    let bIndex = 0;
    for (let axis = 0; axis < batchShape.length; axis++) {
      const coordinate = Math.floor(batch / outStrides[axis]) % batchShape[axis];
      const aAxis = axis - (batchShape.length - aBatch.length);
      const bAxis = axis - (batchShape.length - bBatch.length);
      if (aAxis >= 0) aIndex = aIndex * aBatch[aAxis] + (aBatch[aAxis] === 1 ? 0 : coordinate);
      if (bAxis >= 0) bIndex = bIndex * bBatch[bAxis] + (bBatch[bAxis] === 1 ? 0 : coordinate);
    }
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let p = 0; p < k; p++) sum = (sum + Math.imul(a.data[(aIndex * m + i) * k + p], b.data[(bIndex * k + p) * n + j])) | 0;
        out[(batch * m + i) * n + j] = sum;
      }
    }
  }
  return out;
}

/** acc[n, m, o] = Σ_{c, k} x[n, g·C/G + c, o·s + k·d − padBegin] · w[m, c, k] in int32; taps in the padding contribute 0. */
export function integerConvReference(x: Centered, w: Centered, dims: ConvDims, window: Window): Int32Array {
  const { batch, channels, featureMaps, group } = dims;
  const groupChannels = channels / group;
  const groupMaps = featureMaps / group;
  const [iD, iH, iW] = window.input;
  const [oD, oH, oW] = window.output;
  const [kD, kH, kW] = window.kernel;
  const out = new Int32Array(batch * featureMaps * oD * oH * oW);
  let y = 0;
  for (let n = 0; n < batch; n++) {
    for (let m = 0; m < featureMaps; m++) {
      const g = Math.floor(m / groupMaps);
      for (let od = 0; od < oD; od++) {
        for (let oh = 0; oh < oH; oh++) {
          for (let ow = 0; ow < oW; ow++) {
            let sum = 0;
            for (let c = 0; c < groupChannels; c++) {
              for (let kd = 0; kd < kD; kd++) {
                const id = od * window.strides[0] + kd * window.dilations[0] - window.padBegin[0];
                for (let kh = 0; kh < kH; kh++) {
                  const ih = oh * window.strides[1] + kh * window.dilations[1] - window.padBegin[1];
                  for (let kw = 0; kw < kW; kw++) {
                    const iw = ow * window.strides[2] + kw * window.dilations[2] - window.padBegin[2];
                    if (id < 0 || id >= iD || ih < 0 || ih >= iH || iw < 0 || iw >= iW) continue;
                    const xi = (((n * channels + g * groupChannels + c) * iD + id) * iH + ih) * iW + iw;
                    const wi = (((m * groupChannels + c) * kD + kd) * kH + kh) * kW + kw;
                    sum = (sum + Math.imul(x.data[xi], w.data[wi])) | 0;
                  }
                }
              }
            }
            out[y++] = sum;
          }
        }
      }
    }
  }
  return out;
}
