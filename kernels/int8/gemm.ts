// The int8 GEMM: C = Σ_p A[i, p]·B[p, j] over the packed panels of kernels/int8/pack.ts (A: 4
// rows, B: 8 columns, k-pairs of i16), one 4 × 8 tile of int32 accumulators in eight registers,
// i32x4.dot_i16x8_s per pair (8 products per instruction), then the epilogue of each tile row:
// the zero-point corrections and bias of eqs. (11), (13) and, for 8-bit outputs, the output stage
// of eqs. (15)–(18a) — all while the tile is in registers. Arithmetic wraps modulo 2^32 like the
// TypeScript reference's, so results equal it bit for bit.
import { narrowBytes, requantize4, requantizeUniform4, stageSplat, stageValue, stageVector, STAGE_BOUND, STAGE_HALF, STAGE_MASK, STAGE_MULTIPLIER, STAGE_RIGHT, STAGE_SCALE, STAGE_SHIFT_MUL } from './requantize';

// The epilogue block: i32 fields written by src/runtime/wasm/int8-gemm.ts (EPILOGUE there).
const E_MODE = 0; // 0: int32 raw products, 1: int32 corrected, 2: int8 output, 3: uint8 output
const E_ROW_ADJ = 4; // rowSum(A)[i] − K·zA[i] per row, multiplied by zB[j] (0: no term)
const E_ROW_ZERO = 8; // zA[i] per row, multiplied by colSum(B)[j] (0: no term)
const E_COL_ZERO = 12; // zB[j] per column
const E_COL_SUM = 16; // colSum(B)[j]
const E_ROW_BIAS = 20; // int32 bias per row (0: none)
const E_COL_BIAS = 24; // int32 bias per column (0: none)
const E_AXIS = 28; // output channels: 0 per tensor, 1 rows, 2 columns
const E_STAGE = 32; // the stage arrays (kernels/int8/requantize.ts)
const E_CHANNELS = 36; // length of each stage array
const E_ZERO_POINT = 40;
const E_QMIN = 44;
const E_QMAX = 48;
const E_OUT = 52; // C: int32 or bytes, whole tiles (rows padded to 4, columns to 8)
const E_LDO = 56; // row stride of C in elements

/** Row panels per block: a block of packed A (128 rows × K pairs) stays in L2 while every B panel passes. */
const ROW_BLOCK = 32;

/**
 * Tiles of row panels [rowPanel0, rowPanel1) × column panels [colPanel0, colPanel1) of the
 * product of the packed A at pa and B at pb (kp k-pairs), finished by the epilogue at e.
 * Disjoint ranges write disjoint tiles, so threads split the panels between them.
 */
export function int8Gemm(pa: usize, pb: usize, kp: i32, rowPanel0: i32, rowPanel1: i32, colPanel0: i32, colPanel1: i32, e: usize): void {
  for (let ib = rowPanel0; ib < rowPanel1; ib += ROW_BLOCK) {
    const ie = min(ib + ROW_BLOCK, rowPanel1);
    for (let jp = colPanel0; jp < colPanel1; jp++) {
      const bp = pb + <usize>jp * kp * 32;
      for (let ip = ib; ip < ie; ip++) tile(pa + <usize>ip * kp * 16, bp, kp, ip << 2, jp << 3, e);
    }
  }
}

/** One 4 × 8 tile at rows i0.., columns j0..: products over kp pairs, then the epilogue per row. */
function tile(ap: usize, bp: usize, kp: i32, i0: i32, j0: i32, e: usize): void {
  let c00 = i32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  for (let t = 0; t < kp; t++) {
    const b0 = v128.load(bp), b1 = v128.load(bp, 16);
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
    ap += 16;
    bp += 32;
  }
  finishTile(e, i0, j0, c00, c01, c10, c11, c20, c21, c30, c31);
}

/**
 * The epilogue of a 4 × 8 tile at rows i0.., columns j0.. (row r in lanes of lo_r, hi_r): the
 * corrections of eq. (11), the bias of eq. (13), then int32 stores or the output stage of
 * eq. (18a) and 8-bit stores. Everything a whole tile shares is read once.
 */
export function finishTile(e: usize, i0: i32, j0: i32, lo0: v128, hi0: v128, lo1: v128, hi1: v128, lo2: v128, hi2: v128, lo3: v128, hi3: v128): void {
  const mode = load<i32>(e, E_MODE);
  if (mode !== 0) {
    const row = <usize>i0 << 2;
    const col = <usize>j0 << 2;
    // eq. (11): − zB[j]·(rowSum(A)[i] − K·zA[i]) − zA[i]·colSum(B)[j]
    const rowAdj = <usize>load<i32>(e, E_ROW_ADJ);
    if (rowAdj !== 0) {
      const zb = <usize>load<i32>(e, E_COL_ZERO) + col;
      const zlo = v128.load(zb), zhi = v128.load(zb, 16);
      const at = rowAdj + row;
      let adj = v128.load32_splat(at);
      lo0 = i32x4.sub(lo0, i32x4.mul(zlo, adj));
      hi0 = i32x4.sub(hi0, i32x4.mul(zhi, adj));
      adj = v128.load32_splat(at, 4);
      lo1 = i32x4.sub(lo1, i32x4.mul(zlo, adj));
      hi1 = i32x4.sub(hi1, i32x4.mul(zhi, adj));
      adj = v128.load32_splat(at, 8);
      lo2 = i32x4.sub(lo2, i32x4.mul(zlo, adj));
      hi2 = i32x4.sub(hi2, i32x4.mul(zhi, adj));
      adj = v128.load32_splat(at, 12);
      lo3 = i32x4.sub(lo3, i32x4.mul(zlo, adj));
      hi3 = i32x4.sub(hi3, i32x4.mul(zhi, adj));
    }
    const rowZero = <usize>load<i32>(e, E_ROW_ZERO);
    if (rowZero !== 0) {
      const sums = <usize>load<i32>(e, E_COL_SUM) + col;
      const slo = v128.load(sums), shi = v128.load(sums, 16);
      const at = rowZero + row;
      let za = v128.load32_splat(at);
      lo0 = i32x4.sub(lo0, i32x4.mul(slo, za));
      hi0 = i32x4.sub(hi0, i32x4.mul(shi, za));
      za = v128.load32_splat(at, 4);
      lo1 = i32x4.sub(lo1, i32x4.mul(slo, za));
      hi1 = i32x4.sub(hi1, i32x4.mul(shi, za));
      za = v128.load32_splat(at, 8);
      lo2 = i32x4.sub(lo2, i32x4.mul(slo, za));
      hi2 = i32x4.sub(hi2, i32x4.mul(shi, za));
      za = v128.load32_splat(at, 12);
      lo3 = i32x4.sub(lo3, i32x4.mul(slo, za));
      hi3 = i32x4.sub(hi3, i32x4.mul(shi, za));
    }
    // eq. (13): the int32 bias, per row or per column
    const rowBias = <usize>load<i32>(e, E_ROW_BIAS);
    if (rowBias !== 0) {
      const at = rowBias + row;
      let b = v128.load32_splat(at);
      lo0 = i32x4.add(lo0, b);
      hi0 = i32x4.add(hi0, b);
      b = v128.load32_splat(at, 4);
      lo1 = i32x4.add(lo1, b);
      hi1 = i32x4.add(hi1, b);
      b = v128.load32_splat(at, 8);
      lo2 = i32x4.add(lo2, b);
      hi2 = i32x4.add(hi2, b);
      b = v128.load32_splat(at, 12);
      lo3 = i32x4.add(lo3, b);
      hi3 = i32x4.add(hi3, b);
    }
    const colBias = <usize>load<i32>(e, E_COL_BIAS);
    if (colBias !== 0) {
      const blo = v128.load(colBias + col), bhi = v128.load(colBias + col, 16);
      lo0 = i32x4.add(lo0, blo);
      hi0 = i32x4.add(hi0, bhi);
      lo1 = i32x4.add(lo1, blo);
      hi1 = i32x4.add(hi1, bhi);
      lo2 = i32x4.add(lo2, blo);
      hi2 = i32x4.add(hi2, bhi);
      lo3 = i32x4.add(lo3, blo);
      hi3 = i32x4.add(hi3, bhi);
    }
  }
  const ldo = <usize>load<i32>(e, E_LDO);
  const index = <usize>i0 * ldo + j0;
  const at = <usize>load<i32>(e, E_OUT) + index;
  if (mode < 2) {
    const out = <usize>load<i32>(e, E_OUT) + (index << 2);
    const step = ldo << 2;
    v128.store(out, lo0);
    v128.store(out, hi0, 16);
    v128.store(out + step, lo1);
    v128.store(out + step, hi1, 16);
    v128.store(out + 2 * step, lo2);
    v128.store(out + 2 * step, hi2, 16);
    v128.store(out + 3 * step, lo3);
    v128.store(out + 3 * step, hi3, 16);
    return;
  }
  const unsigned = mode - 2;
  if (load<i32>(e, E_AXIS) === 2) {
    requantizeColumns8(e, j0, at, ldo, unsigned, lo0, hi0, lo1, hi1, lo2, hi2, lo3, hi3);
    return;
  }
  const perRow = load<i32>(e, E_AXIS) === 1;
  requantizeRow8(e, perRow ? i0 : 0, at, unsigned, lo0, hi0);
  requantizeRow8(e, perRow ? i0 + 1 : 0, at + ldo, unsigned, lo1, hi1);
  requantizeRow8(e, perRow ? i0 + 2 : 0, at + 2 * ldo, unsigned, lo2, hi2);
  requantizeRow8(e, perRow ? i0 + 3 : 0, at + 3 * ldo, unsigned, lo3, hi3);
}

/** Eight accumulators of channel c (one shift for all lanes) through the output stage, stored as bytes at out. */
function requantizeRow8(e: usize, c: i32, out: usize, unsigned: i32, lo: v128, hi: v128): void {
  const stage = <usize>load<i32>(e, E_STAGE);
  const channels = load<i32>(e, E_CHANNELS);
  const z = i32x4.splat(load<i32>(e, E_ZERO_POINT));
  const qmin = i32x4.splat(load<i32>(e, E_QMIN));
  const qmax = i32x4.splat(load<i32>(e, E_QMAX));
  const bound = stageSplat(stage, STAGE_BOUND, c, channels);
  const scale = stageSplat(stage, STAGE_SCALE, c, channels);
  const multiplier = stageSplat(stage, STAGE_MULTIPLIER, c, channels);
  const right = stageValue(stage, STAGE_RIGHT, c, channels);
  const mask = stageSplat(stage, STAGE_MASK, c, channels);
  const half = stageSplat(stage, STAGE_HALF, c, channels);
  const qlo = requantizeUniform4(lo, bound, scale, multiplier, right, mask, half, z, qmin, qmax);
  const qhi = requantizeUniform4(hi, bound, scale, multiplier, right, mask, half, z, qmin, qmax);
  v128.store64_lane(out, narrowBytes(qlo, qhi, unsigned), 0);
}

/** A tile whose columns are channels (per-column weights): per-lane parameters, read once for the four rows. */
function requantizeColumns8(e: usize, j: i32, out: usize, ldo: usize, unsigned: i32, lo0: v128, hi0: v128, lo1: v128, hi1: v128, lo2: v128, hi2: v128, lo3: v128, hi3: v128): void {
  const stage = <usize>load<i32>(e, E_STAGE);
  const channels = load<i32>(e, E_CHANNELS);
  const z = i32x4.splat(load<i32>(e, E_ZERO_POINT));
  const qmin = i32x4.splat(load<i32>(e, E_QMIN));
  const qmax = i32x4.splat(load<i32>(e, E_QMAX));
  const j4 = j + 4;
  const bLo = stageVector(stage, STAGE_BOUND, j, channels), bHi = stageVector(stage, STAGE_BOUND, j4, channels);
  const sLo = stageVector(stage, STAGE_SCALE, j, channels), sHi = stageVector(stage, STAGE_SCALE, j4, channels);
  const mLo = stageVector(stage, STAGE_MULTIPLIER, j, channels), mHi = stageVector(stage, STAGE_MULTIPLIER, j4, channels);
  const rLo = stageVector(stage, STAGE_SHIFT_MUL, j, channels), rHi = stageVector(stage, STAGE_SHIFT_MUL, j4, channels);
  const kLo = stageVector(stage, STAGE_MASK, j, channels), kHi = stageVector(stage, STAGE_MASK, j4, channels);
  const hLo = stageVector(stage, STAGE_HALF, j, channels), hHi = stageVector(stage, STAGE_HALF, j4, channels);
  v128.store64_lane(out, narrowBytes(requantize4(lo0, bLo, sLo, mLo, rLo, kLo, hLo, z, qmin, qmax), requantize4(hi0, bHi, sHi, mHi, rHi, kHi, hHi, z, qmin, qmax), unsigned), 0);
  v128.store64_lane(out + ldo, narrowBytes(requantize4(lo1, bLo, sLo, mLo, rLo, kLo, hLo, z, qmin, qmax), requantize4(hi1, bHi, sHi, mHi, rHi, kHi, hHi, z, qmin, qmax), unsigned), 0);
  v128.store64_lane(out + 2 * ldo, narrowBytes(requantize4(lo2, bLo, sLo, mLo, rLo, kLo, hLo, z, qmin, qmax), requantize4(hi2, bHi, sHi, mHi, rHi, kHi, hHi, z, qmin, qmax), unsigned), 0);
  v128.store64_lane(out + 3 * ldo, narrowBytes(requantize4(lo3, bLo, sLo, mLo, rLo, kLo, hLo, z, qmin, qmax), requantize4(hi3, bHi, sHi, mHi, rHi, kHi, hHi, z, qmin, qmax), unsigned), 0);
}
