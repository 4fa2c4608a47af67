// The int4-weight GEMM with relaxed SIMD: i32x4.relaxed_dot_i8x16_i7x16_add_s multiplies 16 bytes
// and adds groups of four into i32 lanes in one instruction — exact only when the second operand
// lies in [0, 127] (engines may read it as signed or unsigned). Weights as w + 8 ∈ [0, 15] fit,
// so they are that operand; activations are the signed one: int8 as they are, uint8 as x − 128.
// B: per k-quad and 8-column panel 16 bytes, low nibbles columns 0–3 (four k each), high nibbles
// columns 4–7. A: per k-quad, four bytes per row (int8PackQuads). src/runtime/wasm/int4-gemm.ts
// turns the offsets back: Σ x·w = Σ a'·b' − 8·Σ a' + 128·[uint8]·Σ w.
import { finishTile } from '../int8/gemm';

const ROW_BLOCK = 32;

/**
 * Packs `count` rows of depth `depth` (row l at src + l·lineStride, contiguous) as signed bytes
 * (x − 128 when `unsigned`) into panels of 4 rows, k-quads of 4 bytes per row; depth padded
 * with zeros to quads. Row sums of the stored bytes to sums.
 */
export function int8PackQuads(src: usize, lineStride: i32, count: i32, depth: i32, unsigned: i32, dst: usize, sums: usize): void {
  const quads = (depth + 3) >> 2;
  const panels = (count + 3) >> 2;
  memory.fill(dst, 0, <usize>panels * quads * 16);
  const flip = unsigned ? 0x80 : 0;
  for (let l = 0; l < count; l++) {
    const panel = l >> 2;
    let out = dst + <usize>panel * quads * 16 + ((l & 3) << 2);
    const row = src + <usize>(l * lineStride);
    let sum = 0;
    for (let p = 0; p < depth; p++) {
      const v = <i8>(load<u8>(row + p) ^ flip);
      store<i8>(out + (p & 3), v);
      sum += v;
      if ((p & 3) === 3) out += 16;
    }
    store<i32>(sums + (<usize>l << 2), sum);
  }
}

/** Tiles of row panels [rowPanel0, rowPanel1) × column panels [colPanel0, colPanel1); quads = ceil(k/4). */
export function int4GemmRelaxed(pa: usize, pb: usize, quads: i32, rowPanel0: i32, rowPanel1: i32, colPanel0: i32, colPanel1: i32, e: usize): void {
  for (let ib = rowPanel0; ib < rowPanel1; ib += ROW_BLOCK) {
    const ie = min(ib + ROW_BLOCK, rowPanel1);
    for (let jp = colPanel0; jp < colPanel1; jp++) {
      const bp = pb + <usize>jp * quads * 16;
      for (let ip = ib; ip < ie; ip++) relaxedTile(pa + <usize>ip * quads * 16, bp, quads, ip << 2, jp << 3, e);
    }
  }
}

function relaxedTile(ap: usize, bp: usize, quads: i32, i0: i32, j0: i32, e: usize): void {
  let c00 = i32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  const low = i8x16.splat(0x0f);
  for (let q = 0; q < quads; q++) {
    const packed = v128.load(bp);
    const b0 = v128.and(packed, low);
    const b1 = i8x16.shr_u(packed, 4);
    let a = v128.load32_splat(ap);
    c00 = i32x4.relaxed_dot_i8x16_i7x16_add_s(a, b0, c00);
    c01 = i32x4.relaxed_dot_i8x16_i7x16_add_s(a, b1, c01);
    a = v128.load32_splat(ap, 4);
    c10 = i32x4.relaxed_dot_i8x16_i7x16_add_s(a, b0, c10);
    c11 = i32x4.relaxed_dot_i8x16_i7x16_add_s(a, b1, c11);
    a = v128.load32_splat(ap, 8);
    c20 = i32x4.relaxed_dot_i8x16_i7x16_add_s(a, b0, c20);
    c21 = i32x4.relaxed_dot_i8x16_i7x16_add_s(a, b1, c21);
    a = v128.load32_splat(ap, 12);
    c30 = i32x4.relaxed_dot_i8x16_i7x16_add_s(a, b0, c30);
    c31 = i32x4.relaxed_dot_i8x16_i7x16_add_s(a, b1, c31);
    ap += 16;
    bp += 16;
  }
  finishTile(e, i0, j0, c00, c01, c10, c11, c20, c21, c30, c31);
}
