// Packing of 8-bit operands into the panels of the int8 GEMM (kernels/int8/gemm.ts), with the
// line sums eq. (11) of docs/QUANTIZATION.md needs. Layout (kernels/README.md): a panel holds
// `width` lines (4 rows of A, or 8 columns of B); k-pair t of line l is one i32 — two i16 values,
// element 2t in the low half — at panel + (t·width + l)·4; a panel spans kp = ceil(depth/2)
// pairs. Lines past `count` and the odd last element are zero. Sums wrap (int32).

/** Zero-fills the lanes of the last panel that lie past `count` lines. */
function clearRaggedPanel(dst: usize, count: i32, depth: i32, width: i32): void {
  if (count % width === 0) return;
  const kp = (depth + 1) >> 1;
  const panel = count / width;
  memory.fill(dst + <usize>panel * kp * width * 4, 0, <usize>kp * width * 4);
}

/**
 * Packs pairs from step `from` (even) to `depth` of one line (element p at at + p·stepStride)
 * into its lane starting at `out` (pair from/2); returns the sum of the elements.
 */
function packTail(at: usize, stepStride: i32, from: i32, depth: i32, out: usize, width: i32, unsigned: i32): i32 {
  let sum = 0;
  let src = at + <usize>(from * stepStride);
  for (let p = from; p < depth; p += 2) {
    const v0 = unsigned ? <i32>load<u8>(src) : <i32>load<i8>(src);
    const v1 = p + 1 < depth ? (unsigned ? <i32>load<u8>(src + stepStride) : <i32>load<i8>(src + stepStride)) : 0;
    store<i32>(out, (v0 & 0xffff) | (v1 << 16));
    sum += v0 + v1;
    src += stepStride * 2;
    out += width << 2;
  }
  return sum;
}

/** Address of pair t of line l in the packed operand at dst. */
function pairAddress(dst: usize, l: i32, t: i32, kp: i32, width: i32): usize {
  const panel = l / width;
  return dst + ((<usize>panel * kp * width + <usize>t * width + (l - panel * width)) << 2);
}

/** Packs `count` lines (element (l, p) at src + l·lineStride + p·stepStride) into panels of `width` lines. */
export function int8PackStrided(src: usize, lineStride: i32, stepStride: i32, count: i32, depth: i32, width: i32, unsigned: i32, dst: usize, sums: usize): void {
  const kp = (depth + 1) >> 1;
  clearRaggedPanel(dst, count, depth, width);
  for (let l = 0; l < count; l++) {
    const sum = packTail(src + <usize>(l * lineStride), stepStride, 0, depth, pairAddress(dst, l, 0, kp, width), width, unsigned);
    store<i32>(sums + (<usize>l << 2), sum);
  }
}

/** Eight bytes at ptr widened to i16 lanes, sign- or zero-extended. */
function widen8(ptr: usize, unsigned: i32): v128 {
  return unsigned ? v128.load8x8_u(ptr) : v128.load8x8_s(ptr);
}

/**
 * The same for lines contiguous along the depth (stepStride 1: rows of a row-major A, columns of
 * a column-major B): four lines at a time, eight steps (four pairs) per 4 × 4 transpose of pairs.
 */
export function int8PackLines(src: usize, lineStride: i32, count: i32, depth: i32, width: i32, unsigned: i32, dst: usize, sums: usize): void {
  const kp = (depth + 1) >> 1;
  const quads = count & ~3;
  const steps = depth & ~7;
  const stride = <usize>width << 2;
  clearRaggedPanel(dst, count, depth, width);
  for (let l = 0; l < quads; l += 4) {
    let out = pairAddress(dst, l, 0, kp, width);
    const r0 = src + <usize>(l * lineStride);
    const r1 = r0 + lineStride, r2 = r1 + lineStride, r3 = r2 + lineStride;
    let s0 = i32x4.splat(0), s1 = i32x4.splat(0), s2 = i32x4.splat(0), s3 = i32x4.splat(0);
    for (let p = 0; p < steps; p += 8) {
      const v0 = widen8(r0 + p, unsigned), v1 = widen8(r1 + p, unsigned);
      const v2 = widen8(r2 + p, unsigned), v3 = widen8(r3 + p, unsigned);
      s0 = i32x4.add(s0, i32x4.extadd_pairwise_i16x8_s(v0));
      s1 = i32x4.add(s1, i32x4.extadd_pairwise_i16x8_s(v1));
      s2 = i32x4.add(s2, i32x4.extadd_pairwise_i16x8_s(v2));
      s3 = i32x4.add(s3, i32x4.extadd_pairwise_i16x8_s(v3));
      // 4 × 4 transpose of the pairs: pair t of the four lines becomes one vector
      const t0 = i32x4.shuffle(v0, v1, 0, 4, 1, 5), t1 = i32x4.shuffle(v2, v3, 0, 4, 1, 5);
      const t2 = i32x4.shuffle(v0, v1, 2, 6, 3, 7), t3 = i32x4.shuffle(v2, v3, 2, 6, 3, 7);
      v128.store(out, i32x4.shuffle(t0, t1, 0, 1, 4, 5));
      v128.store(out + stride, i32x4.shuffle(t0, t1, 2, 3, 6, 7));
      v128.store(out + 2 * stride, i32x4.shuffle(t2, t3, 0, 1, 4, 5));
      v128.store(out + 3 * stride, i32x4.shuffle(t2, t3, 2, 3, 6, 7));
      out += 4 * stride;
    }
    const t = steps >> 1;
    const sum0 = horizontalSum(s0) + packTail(r0, 1, steps, depth, pairAddress(dst, l, t, kp, width), width, unsigned);
    const sum1 = horizontalSum(s1) + packTail(r1, 1, steps, depth, pairAddress(dst, l + 1, t, kp, width), width, unsigned);
    const sum2 = horizontalSum(s2) + packTail(r2, 1, steps, depth, pairAddress(dst, l + 2, t, kp, width), width, unsigned);
    const sum3 = horizontalSum(s3) + packTail(r3, 1, steps, depth, pairAddress(dst, l + 3, t, kp, width), width, unsigned);
    v128.store(sums + (<usize>l << 2), i32x4(sum0, sum1, sum2, sum3));
  }
  for (let l = quads; l < count; l++) {
    store<i32>(sums + (<usize>l << 2), packTail(src + <usize>(l * lineStride), 1, 0, depth, pairAddress(dst, l, 0, kp, width), width, unsigned));
  }
}

/**
 * B panels of 8 columns from a row-major depth × count matrix (rowStride between rows, columns
 * contiguous): per pair, two rows of eight bytes interleaved and widened. A ragged last panel
 * goes through the strided packer.
 */
export function int8PackColumns(src: usize, rowStride: i32, count: i32, depth: i32, unsigned: i32, dst: usize, sums: usize): void {
  const kp = (depth + 1) >> 1;
  const full = count & ~7;
  if (full < count) {
    const tail = count - full;
    int8PackStrided(src + full, 1, rowStride, tail, depth, 8, unsigned, dst + <usize>(full >> 3) * kp * 32, sums + (<usize>full << 2));
  }
  const pairs = depth >> 1;
  const zero = i32x4.splat(0);
  for (let j = 0; j < full; j += 8) {
    let out = dst + <usize>(j >> 3) * kp * 32;
    let at = src + <usize>j;
    let s0 = zero, s1 = zero;
    for (let t = 0; t < pairs; t++) {
      const mixed = i8x16.shuffle(v128.load64_zero(at), v128.load64_zero(at + rowStride), 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
      const lo = unsigned ? i16x8.extend_low_i8x16_u(mixed) : i16x8.extend_low_i8x16_s(mixed);
      const hi = unsigned ? i16x8.extend_high_i8x16_u(mixed) : i16x8.extend_high_i8x16_s(mixed);
      v128.store(out, lo);
      v128.store(out, hi, 16);
      s0 = i32x4.add(s0, i32x4.extadd_pairwise_i16x8_s(lo));
      s1 = i32x4.add(s1, i32x4.extadd_pairwise_i16x8_s(hi));
      out += 32;
      at += rowStride * 2;
    }
    if (pairs < kp) {
      // odd depth: the last row paired with zeros
      const mixed = i8x16.shuffle(v128.load64_zero(at), zero, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
      const lo = unsigned ? i16x8.extend_low_i8x16_u(mixed) : i16x8.extend_low_i8x16_s(mixed);
      const hi = unsigned ? i16x8.extend_high_i8x16_u(mixed) : i16x8.extend_high_i8x16_s(mixed);
      v128.store(out, lo);
      v128.store(out, hi, 16);
      s0 = i32x4.add(s0, i32x4.extadd_pairwise_i16x8_s(lo));
      s1 = i32x4.add(s1, i32x4.extadd_pairwise_i16x8_s(hi));
    }
    v128.store(sums + (<usize>j << 2), s0);
    v128.store(sums + (<usize>j << 2), s1, 16);
  }
}

/** The sum of the four i32 lanes (wrapping). */
export function horizontalSum(v: v128): i32 {
  const h = i32x4.add(v, i32x4.shuffle(v, v, 2, 3, 0, 1));
  return i32x4.extract_lane(i32x4.add(h, i32x4.shuffle(h, h, 1, 0, 3, 2)), 0);
}
