/**
 * Lowering between images and column matrices, so that convolution becomes one GEMM:
 *   im2col: image (C × D·H·W) → columns (C·kD·kH·kW × oD·oH·oW); row (c, kd, kh, kw), column
 *           (od, oh, ow) holds input[c, od·sD + kd·dD − pD, oh·sH + kh·dH − pH, ow·sW + kw·dW − pW]
 *           or 0 where that position falls in the padding.
 *   col2im: the adjoint (ConvTranspose): columns (C·kD·kH·kW × iD·iH·iW) are scattered and
 *           summed into an image (C × oD·oH·oW) at o = i·s + k·d − padBegin.
 * Both work on a window normalised to three spatial axes (window.ts). Valid output ranges are
 * computed per row, so the innermost loops carry no bounds tests.
 */
import type { FloatArray } from './float-io.ts';
import { strideRange, type Window } from './window.ts';

/** Number of rows of the column matrix for `channels` input channels. */
export function im2colRows(channels: number, window: Window): number {
  const [kD, kH, kW] = window.kernel;
  return channels * kD * kH * kW;
}

/**
 * Writes the column matrix of `channels` planes of `image` (starting at `imageOffset`, each
 * plane window.input-sized) into `col` (row-major, im2colRows × output size).
 */
export function im2col(image: FloatArray, imageOffset: number, channels: number, window: Window, col: FloatArray): void {
  const [iD, iH, iW] = window.input;
  const [oD, oH, oW] = window.output;
  const [kD, kH, kW] = window.kernel;
  const [sD, sH, sW] = window.strides;
  const [dD, dH, dW] = window.dilations;
  const [pD, pH, pW] = window.padBegin;
  const plane = iD * iH * iW;
  const outSize = oD * oH * oW;
  let row = 0;
  for (let c = 0; c < channels; c++) {
    const planeBase = imageOffset + c * plane;
    for (let kd = 0; kd < kD; kd++) {
      const [od0, od1] = strideRange(oD, iD, sD, kd * dD - pD);
      for (let kh = 0; kh < kH; kh++) {
        const [oh0, oh1] = strideRange(oH, iH, sH, kh * dH - pH);
        for (let kw = 0; kw < kW; kw++) {
          const [ow0, ow1] = strideRange(oW, iW, sW, kw * dW - pW);
          const rowBase = row * outSize;
          if (od1 - od0 < oD || oh1 - oh0 < oH || ow1 - ow0 < oW) col.fill(0, rowBase, rowBase + outSize);
          for (let od = od0; od < od1; od++) {
            const id = od * sD + kd * dD - pD;
            for (let oh = oh0; oh < oh1; oh++) {
              const ih = oh * sH + kh * dH - pH;
              let src = planeBase + (id * iH + ih) * iW + ow0 * sW + kw * dW - pW;
              let dst = rowBase + (od * oH + oh) * oW + ow0;
              const end = dst + (ow1 - ow0);
              if (sW === 1) {
                while (dst < end) col[dst++] = image[src++];
              } else {
                for (; dst < end; dst++, src += sW) col[dst] = image[src];
              }
            }
          }
          row++;
        }
      }
    }
  }
}

/**
 * Adds the column matrix `col` (channels·kD·kH·kW × input size of the window) into `channels`
 * planes of `image` (each window.output-sized, starting at `imageOffset`): the adjoint of
 * im2col with window.input as the columns and window.output as the image.
 */
export function col2im(col: FloatArray, channels: number, window: Window, image: FloatArray, imageOffset: number): void {
  const [iD, iH, iW] = window.input;
  const [oD, oH, oW] = window.output;
  const [kD, kH, kW] = window.kernel;
  const [sD, sH, sW] = window.strides;
  const [dD, dH, dW] = window.dilations;
  const [pD, pH, pW] = window.padBegin;
  const plane = oD * oH * oW;
  const inSize = iD * iH * iW;
  let row = 0;
  for (let c = 0; c < channels; c++) {
    const planeBase = imageOffset + c * plane;
    for (let kd = 0; kd < kD; kd++) {
      const [id0, id1] = strideRange(iD, oD, sD, kd * dD - pD);
      for (let kh = 0; kh < kH; kh++) {
        const [ih0, ih1] = strideRange(iH, oH, sH, kh * dH - pH);
        for (let kw = 0; kw < kW; kw++) {
          const [iw0, iw1] = strideRange(iW, oW, sW, kw * dW - pW);
          const rowBase = row * inSize;
          for (let id = id0; id < id1; id++) {
            const od = id * sD + kd * dD - pD;
            for (let ih = ih0; ih < ih1; ih++) {
              const oh = ih * sH + kh * dH - pH;
              let dst = planeBase + (od * oH + oh) * oW + iw0 * sW + kw * dW - pW;
              let src = rowBase + (id * iH + ih) * iW + iw0;
              const end = src + (iw1 - iw0);
              for (; src < end; src++, dst += sW) image[dst] += col[src];
            }
          }
          row++;
        }
      }
    }
  }
}
