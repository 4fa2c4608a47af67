/**
 * Random quantized convolutions and their definition by plain loops, shared by the ConvInteger
 * and QLinearConv tests: output size floor((in + padBegin + padEnd − ((k − 1)·d + 1)) / s) + 1
 * per spatial axis (the Conv operator doc), and every position outside the input reading the
 * zero point x_zero_point.
 */
import type { DType } from '../../../../src/ir/dtype.ts';
import type { Attribute } from '../../../../src/ir/graph.ts';
import { Rng, int, ints, size } from '../float/kernel-test-utils.ts';
import { ravel, unravel } from './quant-test-utils.ts';

export interface ConvCase {
  readonly batch: number;
  readonly group: number;
  readonly inPerGroup: number;
  readonly outPerGroup: number;
  readonly spatial: number[];
  readonly kernel: number[];
  readonly strides: number[];
  readonly dilations: number[];
  /** [begins..., ends...] */
  readonly pads: number[];
}

export function randomConvCase(rng: Rng): ConvCase {
  const rank = rng.int(1, 2);
  const kernel = Array.from({ length: rank }, () => rng.int(1, 3));
  const dilations = Array.from({ length: rank }, () => rng.int(1, 2));
  const pads = Array.from({ length: 2 * rank }, () => rng.int(0, 2));
  // large enough for at least one output position
  const spatial = kernel.map((k, a) => Math.max(1, (k - 1) * dilations[a] + 1 - pads[a] - pads[a + rank]) + rng.int(0, 4));
  return {
    batch: rng.int(1, 2),
    group: rng.int(1, 2),
    inPerGroup: rng.int(1, 3),
    outPerGroup: rng.int(1, 3),
    spatial,
    kernel,
    strides: Array.from({ length: rank }, () => rng.int(1, 2)),
    dilations,
    pads,
  };
}

export function convAttributes(c: ConvCase): Record<string, Attribute> {
  return { group: int(c.group), strides: ints(c.strides), dilations: ints(c.dilations), pads: ints(c.pads), kernel_shape: ints(c.kernel) };
}

export function convShapes(c: ConvCase): { x: number[]; w: number[]; y: number[] } {
  const rank = c.spatial.length;
  const out = c.spatial.map((d, a) => Math.floor((d + c.pads[a] + c.pads[a + rank] - ((c.kernel[a] - 1) * c.dilations[a] + 1)) / c.strides[a]) + 1);
  return {
    x: [c.batch, c.group * c.inPerGroup, ...c.spatial],
    w: [c.group * c.outPerGroup, c.inPerGroup, ...c.kernel],
    y: [c.batch, c.group * c.outPerGroup, ...out],
  };
}

export function randomInts(rng: Rng, dtype: DType, n: number): number[] {
  return Array.from({ length: n }, () => (dtype === 'int8' ? rng.int(-128, 127) : rng.int(0, 255)));
}

/**
 * Σ (x − x_zp)·(w − w_zp[m]) over each output's window, x read as x_zp outside the input;
 * exact sums (no wrapping: the tests keep them far below 2^31).
 */
export function plainConv(c: ConvCase, x: ArrayLike<number>, xZero: number, w: ArrayLike<number>, wZero: (m: number) => number): number[] {
  const shapes = convShapes(c);
  const y: number[] = [];
  for (let flat = 0; flat < size(shapes.y); flat++) {
    const [n, m, ...o] = unravel(flat, shapes.y);
    const g = Math.floor(m / c.outPerGroup);
    let sum = 0;
    for (let ci = 0; ci < c.inPerGroup; ci++) {
      for (let tap = 0; tap < size(c.kernel); tap++) {
        const k = unravel(tap, c.kernel);
        const position = o.map((oi, a) => oi * c.strides[a] + k[a] * c.dilations[a] - c.pads[a]);
        const inside = position.every((p, a) => p >= 0 && p < c.spatial[a]);
        const xv = inside ? x[ravel([n, g * c.inPerGroup + ci, ...position], shapes.x)] : xZero;
        sum += (xv - xZero) * (w[ravel([m, ci, ...k], shapes.w)] - wZero(m));
      }
    }
    y.push(sum);
  }
  return y;
}
