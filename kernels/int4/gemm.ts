// The int4-weight GEMM: B holds 4-bit weights packed two per byte as w + 8 ∈ [0, 15] (unsigned
// nibbles), unpacked in registers. A is the int8 GEMM's packed A (k-pairs of i16). Per k-quad
// and 8-column panel, 16 bytes: the low nibbles are k-pair 2t in the int8 B layout (column c,
// then the two k), the high nibbles k-pair 2t + 1 — one load, a mask and a shift, four widenings,
// then the same dot_i16x8 tile and epilogue as kernels/int8/gemm.ts. The +8 comes back in the
// epilogue: Σ a·(w + 8) − 8·Σ a (src/runtime/wasm/int4-gemm.ts folds −8·rowSum(A) into the row
// bias).
import { finishTile } from '../int8/gemm';

const ROW_BLOCK = 32;

/** Tiles of row panels [rowPanel0, rowPanel1) × column panels [colPanel0, colPanel1); quads = ceil(k/4). */
export function int4Gemm(pa: usize, pb: usize, quads: i32, rowPanel0: i32, rowPanel1: i32, colPanel0: i32, colPanel1: i32, e: usize): void {
  for (let ib = rowPanel0; ib < rowPanel1; ib += ROW_BLOCK) {
    const ie = min(ib + ROW_BLOCK, rowPanel1);
    for (let jp = colPanel0; jp < colPanel1; jp++) {
      const bp = pb + <usize>jp * quads * 16;
      for (let ip = ib; ip < ie; ip++) int4Tile(pa + <usize>ip * quads * 32, bp, quads, ip << 2, jp << 3, e);
    }
  }
}

function int4Tile(ap: usize, bp: usize, quads: i32, i0: i32, j0: i32, e: usize): void {
  let c00 = i32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  const low = i8x16.splat(0x0f);
  for (let q = 0; q < quads; q++) {
    const packed = v128.load(bp);
    const even = v128.and(packed, low);
    const odd = i8x16.shr_u(packed, 4);
    // k-pair 2q: columns 0–3 and 4–7
    let b0 = i16x8.extend_low_i8x16_u(even);
    let b1 = i16x8.extend_high_i8x16_u(even);
    let a = v128.load32_splat(ap);
    c00 = i32x4.add(c00, i32x4.dot_i16x8_s(a, b0));
    c01 = i32x4.add(c01, i32x4.dot_i16x8_s(a, b1));
    a = v128.load32_splat(ap, 4);
    c10 = i32x4.add(c10, i32x4.dot_i16x8_s(a, b0));
    c11 = i32x4.add(c11, i32x4.dot_i16x8_s(a, b1));
    a = v128.load32_splat(ap, 8);
    c20 = i32x4.add(c20, i32x4.dot_i16x8_s(a, b0));
    c21 = i32x4.add(c21, i32x4.dot_i16x8_s(a, b1));
    a = v128.load32_splat(ap, 12);
    c30 = i32x4.add(c30, i32x4.dot_i16x8_s(a, b0));
    c31 = i32x4.add(c31, i32x4.dot_i16x8_s(a, b1));
    // k-pair 2q + 1
    b0 = i16x8.extend_low_i8x16_u(odd);
    b1 = i16x8.extend_high_i8x16_u(odd);
    a = v128.load32_splat(ap, 16);
    c00 = i32x4.add(c00, i32x4.dot_i16x8_s(a, b0));
    c01 = i32x4.add(c01, i32x4.dot_i16x8_s(a, b1));
    a = v128.load32_splat(ap, 20);
    c10 = i32x4.add(c10, i32x4.dot_i16x8_s(a, b0));
    c11 = i32x4.add(c11, i32x4.dot_i16x8_s(a, b1));
    a = v128.load32_splat(ap, 24);
    c20 = i32x4.add(c20, i32x4.dot_i16x8_s(a, b0));
    c21 = i32x4.add(c21, i32x4.dot_i16x8_s(a, b1));
    a = v128.load32_splat(ap, 28);
    c30 = i32x4.add(c30, i32x4.dot_i16x8_s(a, b0));
    c31 = i32x4.add(c31, i32x4.dot_i16x8_s(a, b1));
    ap += 32;
    bp += 16;
  }
  finishTile(e, i0, j0, c00, c01, c10, c11, c20, c21, c30, c31);
}
