/**
 * What an integer convolution computes on, shared by the fast QLinearConv (qlinear-conv.ts), its
 * depthwise path (depthwise.ts) and the plain reference (qlinear-conv-reference.ts).
 */
import type { ConvDims } from '../float/conv.ts';
import type { Window } from '../float/window.ts';
import type { IntegerArray } from './igemm.ts';
import type { OutputStage } from '../../../quant/output-stage.ts';

/**
 * x (N × C × input) with zero point xZero, w (M × C/group × kernel) with zero points wZero
 * (one, or one per output channel), optional int32 bias (M, scale s_x·s_w, zero point 0,
 * eq. (13)), the geometry, and the output stage (one multiplier, or one per output channel).
 */
export interface ConvOperands {
  readonly x: IntegerArray;
  readonly xZero: number;
  readonly w: IntegerArray;
  readonly wZero: Int32Array;
  readonly bias: Int32Array | undefined;
  readonly dims: ConvDims;
  readonly window: Window;
  readonly stage: OutputStage;
}

/** Output positions per plane and kernel taps per input channel. */
export function convSizes(window: Window): { outSize: number; inSize: number; taps: number } {
  const [oD, oH, oW] = window.output;
  const [iD, iH, iW] = window.input;
  const [kD, kH, kW] = window.kernel;
  return { outSize: oD * oH * oW, inSize: iD * iH * iW, taps: kD * kH * kW };
}
