/**
 * The im2col matrix of a convolution written straight into the packed-B layout of igemm.ts, so
 * that convolution is one integer GEMM, docs/QUANTIZATION.md eq. (11) with K = C·kD·kH·kW:
 * row (c, kd, kh, kw), column (od, oh, ow) holds x[c, od·sD + kd·dD − pD, oh·sH + kh·dH − pH,
 * ow·sW + kw·dW − pW], or the zero point z_x where that position falls in the padding — the
 * exact real zero (eq. (7)), so padded taps add nothing once the zero points are corrected.
 * Valid output ranges per kernel tap come from window.ts (strideRange), as in the float im2col.
 */
import { im2colRows } from '../float/im2col.ts';
import { strideRange, type Window } from '../float/window.ts';
import { NR, packedSums, type IntegerArray, type PackedOperand } from './igemm.ts';

/**
 * Packs the im2col matrix of `channels` planes of `image` (from `imageOffset`, each
 * window.input-sized) into NR-column panels; padding reads `pad`. Column sums are taken only when
 * `withSums` (they are needed only for nonzero weight zero points), else left 0.
 */
export function packIm2col(image: IntegerArray, imageOffset: number, channels: number, window: Window, pad: number, withSums: boolean): PackedOperand {
  const [iD, iH, iW] = window.input;
  const [oD, oH, oW] = window.output;
  const [kD, kH, kW] = window.kernel;
  const [sD, sH, sW] = window.strides;
  const [dD, dH, dW] = window.dilations;
  const [pD, pH, pW] = window.padBegin;
  const depth = im2colRows(channels, window);
  const count = oD * oH * oW;
  const plane = iD * iH * iW;
  const panelSize = depth * NR;
  const data = new Int16Array(Math.ceil(count / NR) * panelSize);
  if (pad !== 0) data.fill(pad);
  let row = 0;
  for (let c = 0; c < channels; c++) {
    const planeBase = imageOffset + c * plane;
    for (let kd = 0; kd < kD; kd++) {
      const [od0, od1] = strideRange(oD, iD, sD, kd * dD - pD);
      for (let kh = 0; kh < kH; kh++) {
        const [oh0, oh1] = strideRange(oH, iH, sH, kh * dH - pH);
        for (let kw = 0; kw < kW; kw++, row++) {
          const [ow0, ow1] = strideRange(oW, iW, sW, kw * dW - pW);
          for (let od = od0; od < od1; od++) {
            const id = od * sD + kd * dD - pD;
            for (let oh = oh0; oh < oh1; oh++) {
              const ih = oh * sH + kh * dH - pH;
              let src = planeBase + (id * iH + ih) * iW + ow0 * sW + kw * dW - pW;
              // column p = (od·oH + oh)·oW + ow lives in panel ⌊p / NR⌋, lane p mod NR
              const p0 = (od * oH + oh) * oW + ow0;
              let lane = p0 % NR;
              let dst = ((p0 - lane) / NR) * panelSize + row * NR + lane;
              for (let ow = ow0; ow < ow1; ow++, src += sW) {
                data[dst] = image[src];
                if (++lane === NR) {
                  lane = 0;
                  dst += panelSize - NR + 1;
                } else {
                  dst++;
                }
              }
            }
          }
        }
      }
    }
  }
  const sums = withSums ? packedSums(data, count, depth, NR) : new Int32Array(count);
  return { data, count, depth, sums };
}
