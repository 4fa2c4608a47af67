/**
 * Helpers of the wasm kernel tests: seeded 8-bit operands with the extremes STYLE.md asks for,
 * zero points at the range ends, output stages whose multipliers come from the reference's own
 * accumulator range (so outputs are not all saturated), and a float32 error bound.
 */
import { quantizeMultiplier } from '../../../src/numeric/fixedpoint.ts';
import { outputStage, type OutputStage } from '../../../src/quant/output-stage.ts';
import type { IntegerArray, MatrixView } from '../../../src/runtime/kernels/integer/igemm.ts';
import { Rng as Random } from '../kernels/float/kernel-test-utils.ts';

/** The kernel tests' seeded source of sizes and values. */
export { Random };

export type Kind = 'int8' | 'uint8' | 'int4';

/** Odd sizes the issue names, plus tile-sized ones. */
export const ODD_SIZES = [1, 3, 17, 63, 255] as const;

export function range(kind: Kind): [number, number] {
  return kind === 'int8' ? [-128, 127] : kind === 'uint8' ? [0, 255] : [-8, 7];
}

/** `length` values of `kind`: uniform, or all at one end, or a mix of both ends. */
export function values(random: Random, kind: Kind, length: number, mode: 'random' | 'low' | 'high' | 'ends' = 'random'): IntegerArray {
  const out = kind === 'uint8' ? new Uint8Array(length) : new Int8Array(length);
  const [lo, hi] = range(kind);
  for (let i = 0; i < length; i++) out[i] = mode === 'low' ? lo : mode === 'high' ? hi : mode === 'ends' ? (random.uniform() < 0.5 ? lo : hi) : random.int(lo, hi);
  return out;
}

/** Zero points: one at a range end or inside, or one per line. */
export function zeroPoints(random: Random, kind: Kind, count: number, mode: 'zero' | 'low' | 'high' | 'random' | 'per-line'): Int32Array {
  const [lo, hi] = range(kind);
  if (mode === 'per-line') return Int32Array.from({ length: count }, () => random.int(lo, hi));
  return Int32Array.of(mode === 'zero' ? 0 : mode === 'low' ? lo : mode === 'high' ? hi : random.int(lo, hi));
}

/** A rows × cols matrix view of `data`, stored row-major or transposed (column-major). */
export function matrix(data: IntegerArray, rows: number, cols: number, transposed: boolean): MatrixView {
  return transposed ? { data, offset: 0, rowStride: 1, colStride: rows } : { data, offset: 0, rowStride: cols, colStride: 1 };
}

/**
 * An output stage into `kind` with `channels` multipliers (1: per tensor) chosen so that
 * accumulators of magnitude `reach` map onto about a quarter to four times the output range,
 * and a zero point at an end of the range or inside it.
 */
export function stageFor(random: Random, kind: Kind, channels: number, reach: number, zeroMode: 'low' | 'high' | 'random' = 'random'): OutputStage {
  const [qmin, qmax] = range(kind);
  const span = qmax - qmin;
  const multipliers = Array.from({ length: channels }, () => quantizeMultiplier(((span / Math.max(1, reach)) * 2 ** (random.uniform() * 4 - 2)) / 2));
  const zero = zeroMode === 'low' ? qmin : zeroMode === 'high' ? qmax : random.int(qmin, qmax);
  return outputStage({ multiplier: multipliers.map((q) => q.multiplier), shift: multipliers.map((q) => q.shift) }, zero, qmin, qmax);
}

/** max |x| of an int32 array (1 if empty). */
export function reachOf(acc: Int32Array): number {
  let max = 1;
  for (const v of acc) max = Math.max(max, Math.abs(v));
  return max;
}

/** γ_n = n·u / (1 − n·u), u = 2^−24: the bound on the relative error of an n-term float32 sum (Higham, Thm 3.1). */
export function gamma(n: number): number {
  const u = 2 ** -24;
  return (n * u) / (1 - n * u);
}
