// Convolution as GEMM without building the column matrix: the input is copied once into
// zero-point-padded planes, where kernel tap p is one constant offset taps[p] and output column j
// one base position, so column j of the im2col matrix is padded[base(j) + taps[p]]
// (docs/QUANTIZATION.md eq. (11): padding holds z_x, the exact real zero of eq. (7)). The packers
// below write those columns straight into the GEMM's B panels (kernels/int8/pack.ts and
// kernels/f32/gemm.ts layouts). With unit strides the bases of consecutive outputs along a
// padded row are consecutive, so src/runtime/wasm/conv.ts computes over the padded grid
// (base(j) = j, a few extra columns per row that are dropped) and eight columns are one vector
// load; other geometries gather through a table of bases.

/**
 * Copies `channels` planes iD × iH × iW of `elem`-byte values at src into planes dP × hP × wP at
 * dst, at offset (pD, pH, pW), the rest filled with byte `fill` (the zero point, or 0).
 */
export function padPlanes(src: usize, channels: i32, iD: i32, iH: i32, iW: i32, pD: i32, pH: i32, pW: i32, dP: i32, hP: i32, wP: i32, elem: i32, fill: i32, dst: usize): void {
  memory.fill(dst, <u8>fill, <usize>channels * dP * hP * wP * elem);
  const row = <usize>iW * elem;
  for (let c = 0; c < channels; c++) {
    for (let d = 0; d < iD; d++) {
      for (let h = 0; h < iH; h++) {
        const to = dst + (((<usize>(c * dP + d + pD) * hP + h + pH) * wP + pW) * elem);
        memory.copy(to, src, row);
        src += row;
      }
    }
  }
}

/** int8 B panels (pairs of taps, 8 columns) for columns [0, count) with base(j) = j: vector loads. Column sums to sums. */
export function im2colPairsContiguous(x: usize, taps: usize, depth: i32, count: i32, unsigned: i32, dst: usize, sums: usize): void {
  const kp = (depth + 1) >> 1;
  const zero = i32x4.splat(0);
  for (let j = 0; j < count; j += 8) {
    let out = dst + <usize>(j >> 3) * kp * 32;
    let s0 = zero, s1 = zero;
    for (let p = 0; p < depth; p += 2) {
      const r0 = v128.load64_zero(x + j + load<i32>(taps + (<usize>p << 2)));
      const r1 = p + 1 < depth ? v128.load64_zero(x + j + load<i32>(taps + (<usize>(p + 1) << 2))) : zero;
      const mixed = i8x16.shuffle(r0, r1, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
      const lo = unsigned ? i16x8.extend_low_i8x16_u(mixed) : i16x8.extend_low_i8x16_s(mixed);
      const hi = unsigned ? i16x8.extend_high_i8x16_u(mixed) : i16x8.extend_high_i8x16_s(mixed);
      v128.store(out, lo);
      v128.store(out, hi, 16);
      s0 = i32x4.add(s0, i32x4.extadd_pairwise_i16x8_s(lo));
      s1 = i32x4.add(s1, i32x4.extadd_pairwise_i16x8_s(hi));
      out += 32;
    }
    v128.store(sums + (<usize>j << 2), s0);
    v128.store(sums + (<usize>j << 2), s1, 16);
  }
}

/** The same through a table of column bases (count entries, padded to whole panels by repeating the last). */
export function im2colPairsGather(x: usize, taps: usize, depth: i32, bases: usize, count: i32, unsigned: i32, dst: usize, sums: usize): void {
  const kp = (depth + 1) >> 1;
  const columns = (count + 7) & ~7;
  for (let j = 0; j < columns; j++) {
    const base = x + load<i32>(bases + (<usize>j << 2));
    let out = dst + ((<usize>(j >> 3) * kp * 8 + (j & 7)) << 2);
    let sum = 0;
    for (let p = 0; p < depth; p += 2) {
      const at0 = base + load<i32>(taps + (<usize>p << 2));
      const v0 = unsigned ? <i32>load<u8>(at0) : <i32>load<i8>(at0);
      let v1 = 0;
      if (p + 1 < depth) {
        const at1 = base + load<i32>(taps + (<usize>(p + 1) << 2));
        v1 = unsigned ? <i32>load<u8>(at1) : <i32>load<i8>(at1);
      }
      store<i32>(out, (v0 & 0xffff) | (v1 << 16));
      sum += v0 + v1;
      out += 32;
    }
    store<i32>(sums + (<usize>j << 2), sum);
  }
}

/** f32 B panels (8 columns, one tap per step) for columns [0, count) with base(j) = j. */
export function im2colF32Contiguous(x: usize, taps: usize, depth: i32, count: i32, dst: usize): void {
  for (let j = 0; j < count; j += 8) {
    let out = dst + <usize>(j >> 3) * depth * 32;
    const at = x + (<usize>j << 2);
    for (let p = 0; p < depth; p++) {
      const src = at + (<usize>load<i32>(taps + (<usize>p << 2)) << 2);
      v128.store(out, v128.load(src));
      v128.store(out, v128.load(src, 16), 16);
      out += 32;
    }
  }
}

/** The same through a table of column bases. */
export function im2colF32Gather(x: usize, taps: usize, depth: i32, bases: usize, count: i32, dst: usize): void {
  const columns = (count + 7) & ~7;
  for (let j = 0; j < columns; j++) {
    const base = x + (<usize>load<i32>(bases + (<usize>j << 2)) << 2);
    let out = dst + ((<usize>(j >> 3) * depth * 8 + (j & 7)) << 2);
    for (let p = 0; p < depth; p++) {
      store<f32>(out, load<f32>(base + (<usize>load<i32>(taps + (<usize>p << 2)) << 2)));
      out += 32;
    }
  }
}

/**
 * Gathers the valid outputs of a GEMM over the padded grid: for each of `rows` rows (src stride
 * srcRow elements), `outer` × `inner` runs of `run` elements at src + o·outerStep + i·innerStep,
 * written densely to dst (rows of outer·inner·run elements). `elem`: bytes per element.
 */
export function copyRuns(src: usize, srcRow: i32, rows: i32, outer: i32, outerStep: i32, inner: i32, innerStep: i32, run: i32, elem: i32, dst: usize): void {
  const bytes = <usize>run * elem;
  for (let r = 0; r < rows; r++) {
    const rowAt = src + <usize>r * srcRow * elem;
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        memory.copy(dst, rowAt + <usize>(o * outerStep + i * innerStep) * elem, bytes);
        dst += bytes;
      }
    }
  }
}
