// The output stage of src/quant/output-stage.ts (docs/QUANTIZATION.md eqs. (15)–(18a)) on four
// i32 lanes, each with its own channel parameters, in exact integer steps:
//
//   x  = clamp(acc, −B, B) · 2^(L + left)          (B·2^L < 2^31; the left shift wraps like Math.imul)
//   s1 = SRDHM(x, M0) = floor((x·M0 + 2^30) / 2^31) (eq. (15): M0 ≥ 0, so the saturating case never occurs,
//                                                    and for an integer product this floor equals the
//                                                    truncation with the sign-dependent nudge)
//   q  = RDBPOT(s1, r) = floor(s1 / 2^r) + (s1 & mask > (mask >> 1) + [s1 < 0])   (eq. (16))
//   y  = clamp(z + q, qmin, qmax)                  (eq. (18))
//
// wasm SIMD shifts take one count for all lanes, so the per-lane floor(s1 / 2^r) is a multiply:
// s1 · 2^(31−r) as i64, shifted right by 31 (r ≥ 1); r = 0 selects s1 itself.

/** Channel parameters of the stage, one i32 array each (src/runtime/wasm/output-stage.ts writes them). */
export const STAGE_BOUND = 0;
export const STAGE_SCALE = 1; // 2^(L + left) mod 2^32
export const STAGE_MULTIPLIER = 2; // M0
export const STAGE_SHIFT_MUL = 3; // 2^(31 − r), or 0 when r = 0
export const STAGE_MASK = 4; // 2^r − 1
export const STAGE_HALF = 5; // (2^r − 1) >> 1
export const STAGE_RIGHT = 6; // r
export const STAGE_ARRAYS = 7;

/** floor(v / 2^31) of each i64 lane's value, as the low i32 of the two lanes of lo and hi: lanes (lo0, lo1, hi0, hi1). */
function high31(lo: v128, hi: v128): v128 {
  return i32x4.shuffle(i64x2.shr_u(lo, 31), i64x2.shr_u(hi, 31), 0, 2, 4, 6);
}

/** The output stage of four accumulators; channel parameters per lane. eqs. (15)–(18a) */
export function requantize4(acc: v128, bound: v128, scale: v128, multiplier: v128, shiftMul: v128, mask: v128, half: v128, zeroPoint: v128, qmin: v128, qmax: v128): v128 {
  const x = i32x4.mul(i32x4.max_s(i32x4.min_s(acc, bound), i32x4.neg(bound)), scale);
  const nudge = i64x2.splat(0x40000000);
  const s1 = high31(i64x2.add(i64x2.extmul_low_i32x4_s(x, multiplier), nudge), i64x2.add(i64x2.extmul_high_i32x4_s(x, multiplier), nudge));
  const shifted = high31(i64x2.extmul_low_i32x4_s(s1, shiftMul), i64x2.extmul_high_i32x4_s(s1, shiftMul));
  const floor = v128.bitselect(s1, shifted, i32x4.eq(shiftMul, i32x4.splat(0)));
  const threshold = i32x4.sub(half, i32x4.lt_s(s1, i32x4.splat(0)));
  const q = i32x4.sub(floor, i32x4.gt_s(v128.and(s1, mask), threshold));
  return i32x4.min_s(i32x4.max_s(i32x4.add(q, zeroPoint), qmin), qmax);
}

/** The same with one channel for all four lanes: r is one shift count (channels along rows, or per tensor). */
export function requantizeUniform4(acc: v128, bound: v128, scale: v128, multiplier: v128, right: i32, mask: v128, half: v128, zeroPoint: v128, qmin: v128, qmax: v128): v128 {
  const x = i32x4.mul(i32x4.max_s(i32x4.min_s(acc, bound), i32x4.neg(bound)), scale);
  const nudge = i64x2.splat(0x40000000);
  const s1 = high31(i64x2.add(i64x2.extmul_low_i32x4_s(x, multiplier), nudge), i64x2.add(i64x2.extmul_high_i32x4_s(x, multiplier), nudge));
  const threshold = i32x4.sub(half, i32x4.lt_s(s1, i32x4.splat(0)));
  const q = i32x4.sub(i32x4.shr_s(s1, right), i32x4.gt_s(v128.and(s1, mask), threshold));
  return i32x4.min_s(i32x4.max_s(i32x4.add(q, zeroPoint), qmin), qmax);
}

/** One accumulator of channel `channel` through the stage (scalar tails of the vector loops). */
export function requantize1(acc: i32, stage: usize, channel: i32, zeroPoint: i32, qmin: i32, qmax: i32, channels: i32): i32 {
  const bound = stageValue(stage, STAGE_BOUND, channel, channels);
  const clamped = acc < -bound ? -bound : acc > bound ? bound : acc;
  const x = clamped * stageValue(stage, STAGE_SCALE, channel, channels);
  const s1 = <i32>((<i64>x * <i64>stageValue(stage, STAGE_MULTIPLIER, channel, channels) + 0x40000000) >> 31);
  const shiftMul = stageValue(stage, STAGE_SHIFT_MUL, channel, channels);
  const floor = shiftMul === 0 ? s1 : <i32>((<i64>s1 * <i64>shiftMul) >> 31);
  const threshold = stageValue(stage, STAGE_HALF, channel, channels) + (s1 < 0 ? 1 : 0);
  const q = floor + ((s1 & stageValue(stage, STAGE_MASK, channel, channels)) > threshold ? 1 : 0);
  const y = q + zeroPoint;
  return y < qmin ? qmin : y > qmax ? qmax : y;
}

/** Array `which` of the stage at `stage` (STAGE_ARRAYS arrays of `channels` i32, back to back), element `channel`. */
export function stageValue(stage: usize, which: i32, channel: i32, channels: i32): i32 {
  return load<i32>(stage + ((<usize>which * channels + channel) << 2));
}

/** Four lanes of array `which` from channel `channel` on. */
export function stageVector(stage: usize, which: i32, channel: i32, channels: i32): v128 {
  return v128.load(stage + ((<usize>which * channels + channel) << 2));
}

/** Array `which` at `channel` in all four lanes. */
export function stageSplat(stage: usize, which: i32, channel: i32, channels: i32): v128 {
  return v128.load32_splat(stage + ((<usize>which * channels + channel) << 2));
}

/** Four results narrowed to bytes (already in [qmin, qmax] ⊂ the 8-bit range): the low 4 bytes. */
export function narrowBytes(lo: v128, hi: v128, unsigned: i32): v128 {
  const words = i16x8.narrow_i32x4_s(lo, hi);
  return unsigned ? i8x16.narrow_i16x8_u(words, words) : i8x16.narrow_i16x8_s(words, words);
}
