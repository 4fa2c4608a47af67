// QuantizeLinear of float32 to 8-bit storage with one scale and zero point (docs/QUANTIZATION.md
// eq. (2), src/quant/quantize.ts): q = clamp(round_half_to_even(fl32(x / s)) + z, qmin, qmax).
// f32x4.div is the correctly rounded float32 quotient (what Math.fround(x / s) gives) and
// f32x4.nearest rounds half to even. Clamping to [qmin − z, qmax − z] before the integer
// conversion keeps huge quotients (even ±∞) from wrapping; the bounds are small integers, exact
// in float32.

/**
 * Quantizes `count` floats at x into bytes at out. Returns −1, or the index of the first NaN/±∞
 * (nothing past that block of 16 is written then; the caller reports the error).
 */
export function quantizeF32(x: usize, count: i32, scale: f32, zeroPoint: i32, qmin: i32, qmax: i32, unsigned: i32, out: usize): i32 {
  const s = f32x4.splat(scale);
  const lo = f32x4.splat(<f32>(qmin - zeroPoint));
  const hi = f32x4.splat(<f32>(qmax - zeroPoint));
  const z = i32x4.splat(zeroPoint);
  const vectorEnd = count & ~15;
  for (let i = 0; i < vectorEnd; i += 16) {
    const at = x + (<usize>i << 2);
    const v0 = v128.load(at), v1 = v128.load(at, 16), v2 = v128.load(at, 32), v3 = v128.load(at, 48);
    // x − x is 0 for finite x and NaN otherwise
    const d = v128.or(v128.or(nonFinite(v0), nonFinite(v1)), v128.or(nonFinite(v2), nonFinite(v3)));
    if (v128.any_true(d)) return firstNonFinite(x, i, i + 16);
    const q0 = quantize4(v0, s, lo, hi, z), q1 = quantize4(v1, s, lo, hi, z), q2 = quantize4(v2, s, lo, hi, z), q3 = quantize4(v3, s, lo, hi, z);
    const w0 = i16x8.narrow_i32x4_s(q0, q1), w1 = i16x8.narrow_i32x4_s(q2, q3);
    v128.store(out + i, unsigned ? i8x16.narrow_i16x8_u(w0, w1) : i8x16.narrow_i16x8_s(w0, w1));
  }
  for (let i = vectorEnd; i < count; i++) {
    const v = load<f32>(x + (<usize>i << 2));
    if (v - v !== 0) return i;
    const t = min(max(nearest(v / scale), <f32>(qmin - zeroPoint)), <f32>(qmax - zeroPoint));
    store<u8>(out + i, <u8>(<i32>t + zeroPoint));
  }
  return -1;
}

function nonFinite(v: v128): v128 {
  const d = f32x4.sub(v, v);
  return f32x4.ne(d, d);
}

function quantize4(v: v128, s: v128, lo: v128, hi: v128, z: v128): v128 {
  const t = f32x4.min(f32x4.max(f32x4.nearest(f32x4.div(v, s)), lo), hi);
  return i32x4.add(i32x4.trunc_sat_f32x4_s(t), z);
}

function firstNonFinite(x: usize, from: i32, to: i32): i32 {
  for (let i = from; i < to; i++) {
    const v = load<f32>(x + (<usize>i << 2));
    if (v - v !== 0) return i;
  }
  return from;
}
