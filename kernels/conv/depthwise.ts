// Depthwise convolution (one input channel per group) as a direct loop: a GEMM per channel
// would have an inner dimension of only the kernel size. On zero-point-padded planes (see
// im2col.ts) each output row is eight outputs at a time: per tap, eight inputs (unit or stride-2
// steps are one vector load; other strides gather), centred and multiplied by the centred weight,
// accumulated in int32 (|x − z_x|·|w − z_w| ≤ 255² — i32x4.extmul_low_i16x8_s), then the bias
// (eq. (13)) and the output stage (eqs. (15)–(18a)) per channel. The f32 variant is the same loop
// in f32x4 for the float path. Row tails go through the scalar form of the same sums.
import { narrowBytes, requantize1, requantizeUniform4, stageSplat, stageValue, STAGE_BOUND, STAGE_HALF, STAGE_MASK, STAGE_MULTIPLIER, STAGE_RIGHT, STAGE_SCALE } from '../int8/requantize';

// The parameter block (i32 fields), written by src/runtime/wasm/conv.ts (DEPTHWISE there).
const D_X = 0; // padded input planes (bytes or f32), one per input channel
const D_PLANE = 4; // elements per padded plane
const D_MULTIPLIER = 8; // output channels per input channel
const D_TAPS = 12; // i32 tap offsets within a padded plane
const D_TAP_COUNT = 16;
const D_WEIGHTS = 20; // per output channel and tap: int32 w − z_w, or f32 w
const D_BIAS = 24; // int32 or f32 per output channel (0: none)
const D_X_ZERO = 28;
const D_X_UNSIGNED = 32;
const D_OD = 36;
const D_OH = 40;
const D_OW = 44;
const D_SD = 48;
const D_SH = 52;
const D_SW = 56;
const D_HP = 60;
const D_WP = 64;
const D_STAGE = 68; // stage arrays, per tensor (1 channel) or per output channel
const D_CHANNELS = 72; // length of each stage array
const D_Y_ZERO = 76;
const D_QMIN = 80;
const D_QMAX = 84;
const D_OUT = 88; // y: bytes (int8) or f32, dense M × oD × oH × oW
const D_Y_UNSIGNED = 92;

function field(p: usize, offset: usize): i32 {
  return load<i32>(p + offset);
}

/** Eight inputs from `at` with step `step` (elements), widened to i16. */
function load8(at: usize, step: i32, unsigned: i32): v128 {
  if (step === 1) return unsigned ? v128.load8x8_u(at) : v128.load8x8_s(at);
  let v: v128;
  if (step === 2) {
    const raw = v128.load(at);
    v = i8x16.shuffle(raw, raw, 0, 2, 4, 6, 8, 10, 12, 14, 0, 2, 4, 6, 8, 10, 12, 14);
  } else {
    v = i8x16.splat(0);
    v = i8x16.replace_lane(v, 0, load<i8>(at));
    v = i8x16.replace_lane(v, 1, load<i8>(at + step));
    v = i8x16.replace_lane(v, 2, load<i8>(at + 2 * step));
    v = i8x16.replace_lane(v, 3, load<i8>(at + 3 * step));
    v = i8x16.replace_lane(v, 4, load<i8>(at + 4 * step));
    v = i8x16.replace_lane(v, 5, load<i8>(at + 5 * step));
    v = i8x16.replace_lane(v, 6, load<i8>(at + 6 * step));
    v = i8x16.replace_lane(v, 7, load<i8>(at + 7 * step));
  }
  return unsigned ? i16x8.extend_low_i8x16_u(v) : i16x8.extend_low_i8x16_s(v);
}

/** Output channels [m0, m1) of the int8 depthwise convolution described by the block at p. */
export function int8Depthwise(p: usize, m0: i32, m1: i32): void {
  const x = <usize>field(p, D_X);
  const plane = field(p, D_PLANE);
  const multiplier = field(p, D_MULTIPLIER);
  const taps = <usize>field(p, D_TAPS);
  const tapCount = field(p, D_TAP_COUNT);
  const weights = <usize>field(p, D_WEIGHTS);
  const biasAt = <usize>field(p, D_BIAS);
  const xz = field(p, D_X_ZERO);
  const xUnsigned = field(p, D_X_UNSIGNED);
  const oD = field(p, D_OD), oH = field(p, D_OH), oW = field(p, D_OW);
  const sD = field(p, D_SD), sH = field(p, D_SH), sW = field(p, D_SW);
  const hP = field(p, D_HP), wP = field(p, D_WP);
  const stage = <usize>field(p, D_STAGE);
  const channels = field(p, D_CHANNELS);
  const yz = field(p, D_Y_ZERO), qmin = field(p, D_QMIN), qmax = field(p, D_QMAX);
  const out = <usize>field(p, D_OUT);
  const yUnsigned = field(p, D_Y_UNSIGNED);
  const zx = i16x8.splat(<i16>xz);
  const zy = i32x4.splat(yz), vmin = i32x4.splat(qmin), vmax = i32x4.splat(qmax);
  const full = oW & ~7;
  for (let m = m0; m < m1; m++) {
    const src = x + <usize>(m / multiplier) * plane;
    const w = weights + (<usize>m * tapCount << 2);
    const bias = biasAt === 0 ? 0 : load<i32>(biasAt + (<usize>m << 2));
    const c = channels > 1 ? m : 0;
    const bound = stageSplat(stage, STAGE_BOUND, c, channels), scale = stageSplat(stage, STAGE_SCALE, c, channels);
    const mul = stageSplat(stage, STAGE_MULTIPLIER, c, channels), right = stageValue(stage, STAGE_RIGHT, c, channels);
    const mask = stageSplat(stage, STAGE_MASK, c, channels), half = stageSplat(stage, STAGE_HALF, c, channels);
    let y = out + <usize>m * oD * oH * oW;
    for (let od = 0; od < oD; od++) {
      for (let oh = 0; oh < oH; oh++) {
        const row = src + <usize>((od * sD * hP + oh * sH) * wP);
        for (let ow = 0; ow < full; ow += 8) {
          let lo = i32x4.splat(bias), hi = lo;
          const at = row + <usize>(ow * sW);
          for (let t = 0; t < tapCount; t++) {
            const v = i16x8.sub(load8(at + <usize>load<i32>(taps + (<usize>t << 2)), sW, xUnsigned), zx);
            const wt = i16x8.splat(<i16>load<i32>(w + (<usize>t << 2)));
            lo = i32x4.add(lo, i32x4.extmul_low_i16x8_s(v, wt));
            hi = i32x4.add(hi, i32x4.extmul_high_i16x8_s(v, wt));
          }
          const qlo = requantizeUniform4(lo, bound, scale, mul, right, mask, half, zy, vmin, vmax);
          const qhi = requantizeUniform4(hi, bound, scale, mul, right, mask, half, zy, vmin, vmax);
          v128.store64_lane(y, narrowBytes(qlo, qhi, yUnsigned), 0);
          y += 8;
        }
        for (let ow = full; ow < oW; ow++) {
          let acc = bias;
          const at = row + <usize>(ow * sW);
          for (let t = 0; t < tapCount; t++) {
            const v = (xUnsigned ? <i32>load<u8>(at + load<i32>(taps + (<usize>t << 2))) : <i32>load<i8>(at + load<i32>(taps + (<usize>t << 2)))) - xz;
            acc += v * load<i32>(w + (<usize>t << 2));
          }
          store<i8>(y, <i8>requantize1(acc, stage, c, yz, qmin, qmax, channels));
          y += 1;
        }
      }
    }
  }
}

/** Four f32 inputs from `at` (bytes) with step `step` (elements). */
function load4f(at: usize, step: i32): v128 {
  if (step === 1) return v128.load(at);
  let v = f32x4.splat(load<f32>(at));
  v = f32x4.replace_lane(v, 1, load<f32>(at + (<usize>step << 2)));
  v = f32x4.replace_lane(v, 2, load<f32>(at + (<usize>(2 * step) << 2)));
  return f32x4.replace_lane(v, 3, load<f32>(at + (<usize>(3 * step) << 2)));
}

/** Output channels [m0, m1) of the f32 depthwise convolution: y = bias + Σ_taps w·x, taps in order. */
export function f32Depthwise(p: usize, m0: i32, m1: i32): void {
  const x = <usize>field(p, D_X);
  const plane = field(p, D_PLANE);
  const multiplier = field(p, D_MULTIPLIER);
  const taps = <usize>field(p, D_TAPS);
  const tapCount = field(p, D_TAP_COUNT);
  const weights = <usize>field(p, D_WEIGHTS);
  const biasAt = <usize>field(p, D_BIAS);
  const oD = field(p, D_OD), oH = field(p, D_OH), oW = field(p, D_OW);
  const sD = field(p, D_SD), sH = field(p, D_SH), sW = field(p, D_SW);
  const hP = field(p, D_HP), wP = field(p, D_WP);
  const out = <usize>field(p, D_OUT);
  const full = oW & ~3;
  for (let m = m0; m < m1; m++) {
    const src = x + (<usize>(m / multiplier) * plane << 2);
    const w = weights + (<usize>m * tapCount << 2);
    const bias = biasAt === 0 ? <f32>0 : load<f32>(biasAt + (<usize>m << 2));
    let y = out + (<usize>m * oD * oH * oW << 2);
    for (let od = 0; od < oD; od++) {
      for (let oh = 0; oh < oH; oh++) {
        const row = src + (<usize>((od * sD * hP + oh * sH) * wP) << 2);
        for (let ow = 0; ow < full; ow += 4) {
          let acc = f32x4.splat(bias);
          const at = row + (<usize>(ow * sW) << 2);
          for (let t = 0; t < tapCount; t++) {
            const v = load4f(at + (<usize>load<i32>(taps + (<usize>t << 2)) << 2), sW);
            acc = f32x4.add(acc, f32x4.mul(v, v128.load32_splat(w + (<usize>t << 2))));
          }
          v128.store(y, acc);
          y += 16;
        }
        for (let ow = full; ow < oW; ow++) {
          let acc = bias;
          const at = row + (<usize>(ow * sW) << 2);
          for (let t = 0; t < tapCount; t++) acc += load<f32>(at + (<usize>load<i32>(taps + (<usize>t << 2)) << 2)) * load<f32>(w + (<usize>t << 2));
          store<f32>(y, acc);
          y += 4;
        }
      }
    }
  }
}
