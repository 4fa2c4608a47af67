/**
 * The output stage of every integer kernel: an int32 accumulator of scale s_acc becomes an
 * integer of scale s_out and zero point z (docs/QUANTIZATION.md eq. (18)),
 *
 *   q = saturate(z + multiplyByQuantizedMultiplier(clamp(acc, ±B) · 2^L, M0, shift − L)),
 *
 * with M = s_acc / s_out = M0·2^(shift − 31) from quantizeMultiplier (eq. (14)), once per output
 * channel at preparation time. Two integer steps around eq. (17), both value-preserving:
 *
 * - Clamp to ±B, B = ceil((R + 2) / M), R = max(qmax − z, z − qmin): every |acc| ≥ B saturates
 *   anyway (|acc·M| ≥ R + 2 while eq. (17) errs by less than 1), so the clamp changes no output
 *   but bounds what the next step multiplies.
 * - Headroom: acc·2^L with the largest L such that B·2^L < 2^31 (and shift − L ≥ −31), and the
 *   multiplier M·2^−L. This is TFLite's left shift of the Add kernel applied to every stage: the
 *   intermediate of SRDHM (eq. (15)) then carries about 22 fractional bits of the output for
 *   8-bit outputs, so the double rounding of eqs. (15)–(16) can only move a value that lies within
 *   ~2^−22 of a rounding tie. Without it a multiplier M ≈ 2^−e leaves only e bits, and values
 *   as far as 2^−(e+1) from a tie round the wrong way.
 *
 * Ties themselves round as eq. (17) does: half away from zero (SRDHM's tie toward +∞ is absorbed
 * by the headroom bits). requantizeOne is the scalar definition; the loops below are the same
 * arithmetic over rows and columns of an accumulator matrix.
 */
import { multiplyByQuantizedMultiplier } from '../numeric/fixedpoint.ts';

const INT32_MAX = 2147483647;

/** One fixed-point multiplier per output channel (length 1: per tensor), and the output range. */
export interface OutputStage {
  /** M0 per channel: an int32 in [2^30, 2^31), or 0. */
  readonly multiplier: Int32Array;
  /** shift − L per channel: the exponent applied after the headroom. */
  readonly shift: Int32Array;
  /** 2^L per channel: the headroom factor of the clamped accumulator. */
  readonly headroom: Float64Array;
  /** B per channel: accumulators are clamped to [−B, B] (saturation-preserving). */
  readonly bound: Float64Array;
  readonly zeroPoint: number;
  readonly qmin: number;
  readonly qmax: number;
}

/** Fixed-point multipliers as quantizeMultiplier / requantizeMultipliers produce them. */
export interface FixedMultipliers {
  readonly multiplier: ArrayLike<number>;
  readonly shift: ArrayLike<number>;
}

/**
 * The output stage for `multipliers` (one per channel) into an output with zero point
 * `zeroPoint` and saturation range [qmin, qmax]: clamp bounds and headroom per channel.
 */
export function outputStage(multipliers: FixedMultipliers, zeroPoint: number, qmin: number, qmax: number): OutputStage {
  const count = multipliers.multiplier.length;
  const multiplier = new Int32Array(count);
  const shift = new Int32Array(count);
  const headroom = new Float64Array(count);
  const bound = new Float64Array(count);
  const reach = Math.max(qmax - zeroPoint, zeroPoint - qmin) + 2;
  for (let c = 0; c < count; c++) {
    const m0 = multipliers.multiplier[c];
    const s = multipliers.shift[c];
    multiplier[c] = m0;
    if (m0 === 0) {
      // M = 0: every output is the zero point; nothing to bound.
      shift[c] = 0;
      headroom[c] = 1;
      bound[c] = INT32_MAX;
      continue;
    }
    const real = m0 * 2 ** (s - 31);
    const b = Math.min(INT32_MAX, Math.ceil(reach / real));
    let l = 0;
    while (l < 30 && l < s + 31 && b * 2 ** (l + 1) <= INT32_MAX) l++;
    shift[c] = s - l;
    headroom[c] = 2 ** l;
    bound[c] = b;
  }
  return { multiplier, shift, headroom, bound, zeroPoint, qmin, qmax };
}

/** The output of one accumulator of channel `channel`. eqs. (17), (18) */
export function requantizeOne(stage: OutputStage, channel: number, acc: number): number {
  const b = stage.bound[channel];
  const clamped = acc < -b ? -b : acc > b ? b : acc;
  const v = stage.zeroPoint + multiplyByQuantizedMultiplier(clamped * stage.headroom[channel], stage.multiplier[channel], stage.shift[channel]);
  return v < stage.qmin ? stage.qmin : v > stage.qmax ? stage.qmax : v;
}

/** Integer outputs of the stage (sub-byte types held unpacked in 8-bit arrays). */
export type QuantizedOutput = Int8Array | Uint8Array | Int16Array | Uint16Array;

/**
 * out[outOffset + r·cols + j] = stage(acc[accOffset + r·cols + j]) for a rows × cols block whose
 * row r belongs to channel `channel0 + r` (per tensor: channel 0 for every row). eq. (18)
 */
export function requantizeRows(stage: OutputStage, acc: Int32Array, accOffset: number, out: QuantizedOutput, outOffset: number, rows: number, cols: number, channel0: number): void {
  const perChannel = stage.multiplier.length > 1;
  const { zeroPoint, qmin, qmax } = stage;
  for (let r = 0; r < rows; r++) {
    const c = perChannel ? channel0 + r : 0;
    const m0 = stage.multiplier[c];
    const s = stage.shift[c];
    const up = stage.headroom[c];
    const b = stage.bound[c];
    const a0 = accOffset + r * cols;
    const o0 = outOffset + r * cols;
    for (let j = 0; j < cols; j++) {
      const a = acc[a0 + j];
      const v = zeroPoint + multiplyByQuantizedMultiplier((a < -b ? -b : a > b ? b : a) * up, m0, s);
      out[o0 + j] = v < qmin ? qmin : v > qmax ? qmax : v;
    }
  }
}

/**
 * The same for a rows × cols block whose column j belongs to channel j (per-column weights of a
 * matrix product), or channel 0 for every column per tensor. eq. (18)
 */
export function requantizeColumns(stage: OutputStage, acc: Int32Array, accOffset: number, out: QuantizedOutput, outOffset: number, rows: number, cols: number): void {
  if (stage.multiplier.length === 1) {
    requantizeRows(stage, acc, accOffset, out, outOffset, 1, rows * cols, 0);
    return;
  }
  const { zeroPoint, qmin, qmax, multiplier, shift, headroom, bound } = stage;
  for (let r = 0; r < rows; r++) {
    const a0 = accOffset + r * cols;
    const o0 = outOffset + r * cols;
    for (let j = 0; j < cols; j++) {
      const a = acc[a0 + j];
      const b = bound[j];
      const v = zeroPoint + multiplyByQuantizedMultiplier((a < -b ? -b : a > b ? b : a) * headroom[j], multiplier[j], shift[j]);
      out[o0 + j] = v < qmin ? qmin : v > qmax ? qmax : v;
    }
  }
}
