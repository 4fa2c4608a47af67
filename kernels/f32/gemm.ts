// The fp32 GEMM: C = alpha·Σ_p A[i, p]·B[p, j] (+ beta·C) (+ bias per row), 4 × 8 tiles of f32x4
// accumulators over packed panels (A: 4 rows, B: 8 columns, k-major: step p of a panel is 4 or
// 8 consecutive floats). Each output is one float32 sum in k order — not the float64 sum of the
// TypeScript sgemm, hence the tolerance its tests state (test/runtime/wasm/f32-gemm.test.ts).

/** Packs `count` lines (element (l, p) at src + 4·(l·lineStride + p·stepStride)) into panels of `width` lines, zero-padded. */
export function f32Pack(src: usize, lineStride: i32, stepStride: i32, count: i32, depth: i32, width: i32, dst: usize): void {
  const panels = (count + width - 1) / width;
  if (count % width !== 0) memory.fill(dst + <usize>(panels - 1) * depth * width * 4, 0, <usize>depth * width * 4);
  for (let l = 0; l < count; l++) {
    const panel = l / width;
    let out = dst + ((<usize>panel * depth * width + (l - panel * width)) << 2);
    let at = src + (<usize>(l * lineStride) << 2);
    const step = <usize>stepStride << 2;
    for (let p = 0; p < depth; p++) {
      store<f32>(out, load<f32>(at));
      at += step;
      out += width << 2;
    }
  }
}

/** Packs 8-column panels of a row-major depth × count matrix (columns contiguous): two vector copies per step. */
export function f32PackColumns(src: usize, rowStride: i32, count: i32, depth: i32, dst: usize): void {
  const full = count & ~7;
  if (full < count) f32Pack(src + (<usize>full << 2), 1, rowStride, count - full, depth, 8, dst + <usize>(full >> 3) * depth * 32);
  const row = <usize>rowStride << 2;
  for (let j = 0; j < full; j += 8) {
    let out = dst + <usize>(j >> 3) * depth * 32;
    let at = src + (<usize>j << 2);
    for (let p = 0; p < depth; p++) {
      v128.store(out, v128.load(at));
      v128.store(out, v128.load(at, 16), 16);
      out += 32;
      at += row;
    }
  }
}

// The epilogue block (i32/f32 fields), written by src/runtime/wasm/f32-gemm.ts.
const F_ALPHA = 0; // f32
const F_BETA = 4; // f32; C is read only when beta ≠ 0
const F_ROW_BIAS = 8; // f32 per row (0: none)
const F_OUT = 12; // C: whole tiles (rows padded to 4, columns to 8)
const F_LDO = 16; // row stride of C in elements

/** Row panels per block, as kernels/int8/gemm.ts. */
const ROW_BLOCK = 32;

/** Tiles of row panels [rowPanel0, rowPanel1) × column panels [colPanel0, colPanel1); see kernels/int8/gemm.ts for the split. */
export function f32Gemm(pa: usize, pb: usize, depth: i32, rowPanel0: i32, rowPanel1: i32, colPanel0: i32, colPanel1: i32, e: usize): void {
  for (let ib = rowPanel0; ib < rowPanel1; ib += ROW_BLOCK) {
    const ie = min(ib + ROW_BLOCK, rowPanel1);
    for (let jp = colPanel0; jp < colPanel1; jp++) {
      const bp = pb + <usize>jp * depth * 32;
      for (let ip = ib; ip < ie; ip++) f32Tile(pa + <usize>ip * depth * 16, bp, depth, ip << 2, jp << 3, e);
    }
  }
}

function f32Tile(ap: usize, bp: usize, depth: i32, i0: i32, j0: i32, e: usize): void {
  let c00 = f32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  for (let p = 0; p < depth; p++) {
    const b0 = v128.load(bp), b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap);
    c00 = f32x4.add(c00, f32x4.mul(a, b0));
    c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 4);
    c10 = f32x4.add(c10, f32x4.mul(a, b0));
    c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 8);
    c20 = f32x4.add(c20, f32x4.mul(a, b0));
    c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 12);
    c30 = f32x4.add(c30, f32x4.mul(a, b0));
    c31 = f32x4.add(c31, f32x4.mul(a, b1));
    ap += 16;
    bp += 32;
  }
  f32FinishRow(e, i0, j0, c00, c01);
  f32FinishRow(e, i0 + 1, j0, c10, c11);
  f32FinishRow(e, i0 + 2, j0, c20, c21);
  f32FinishRow(e, i0 + 3, j0, c30, c31);
}

/** out = alpha·acc (+ beta·out) (+ bias[i]) for row i, columns j..j+7. */
export function f32FinishRow(e: usize, i: i32, j: i32, lo: v128, hi: v128): void {
  const alpha = load<f32>(e, F_ALPHA);
  if (alpha !== 1) {
    const a = f32x4.splat(alpha);
    lo = f32x4.mul(lo, a);
    hi = f32x4.mul(hi, a);
  }
  const out = <usize>load<i32>(e, F_OUT) + ((<usize>i * load<i32>(e, F_LDO) + j) << 2);
  const beta = load<f32>(e, F_BETA);
  if (beta !== 0) {
    const b = f32x4.splat(beta);
    lo = f32x4.add(f32x4.mul(v128.load(out), b), lo);
    hi = f32x4.add(f32x4.mul(v128.load(out, 16), b), hi);
  }
  const bias = <usize>load<i32>(e, F_ROW_BIAS);
  if (bias !== 0) {
    const v = v128.load32_splat(bias + (<usize>i << 2));
    lo = f32x4.add(lo, v);
    hi = f32x4.add(hi, v);
  }
  v128.store(out, lo);
  v128.store(out, hi, 16);
}
