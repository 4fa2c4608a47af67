/**
 * The plain reference of QLinearAveragePool (qlinear-pool.ts): every output position sums its
 * kernel taps one by one, testing each against the input bounds (and, for count_include_pad,
 * against the padded bounds), then the same division as the fast path (average.ts;
 * docs/QUANTIZATION.md eqs. (10), (18)). Same signature as `qlinearAveragePoolImpl`, which must
 * agree with it exactly.
 */
import type { Window } from '../float/window.ts';
import { averageOne, type AverageScale } from './average.ts';
import type { IntegerArray } from './igemm.ts';
import type { QuantizedOutput } from '../../../quant/output-stage.ts';

/** The average pooling of `planes` planes of x into y, tap by tap. */
export function qlinearAveragePoolReference(x: IntegerArray, xZero: number, planes: number, window: Window, countIncludePad: boolean, scale: AverageScale, y: QuantizedOutput): void {
  const { input, output, kernel, strides, dilations, padBegin, padEnd } = window;
  let yi = 0;
  for (let plane = 0; plane < planes; plane++) {
    for (let od = 0; od < output[0]; od++) {
      for (let oh = 0; oh < output[1]; oh++) {
        for (let ow = 0; ow < output[2]; ow++) {
          const o = [od, oh, ow];
          let sum = 0;
          let inside = 0;
          let padded = 0;
          for (let kd = 0; kd < kernel[0]; kd++) {
            for (let kh = 0; kh < kernel[1]; kh++) {
              for (let kw = 0; kw < kernel[2]; kw++) {
                const k = [kd, kh, kw];
                const position = o.map((oi, a) => oi * strides[a] + k[a] * dilations[a] - padBegin[a]);
                if (position.every((p, a) => p >= -padBegin[a] && p < input[a] + padEnd[a])) padded++;
                if (!position.every((p, a) => p >= 0 && p < input[a])) continue;
                inside++;
                sum += x[((plane * input[0] + position[0]) * input[1] + position[1]) * input[2] + position[2]] - xZero;
              }
            }
          }
          y[yi++] = averageOne(scale, sum, countIncludePad ? padded : inside);
        }
      }
    }
  }
}
