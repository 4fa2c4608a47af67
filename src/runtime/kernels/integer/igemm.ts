/**
 * The integer GEMM core: C = Σ_p (A[i, p] − zA[i]) · (B[p, j] − zB[j]) over 8-bit (or sub-byte)
 * operands into int32 accumulators, docs/QUANTIZATION.md eqs. (10)–(12).
 *
 * The product runs on the raw operands and the zero points come back as row and column sums,
 * eq. (11): acc = Σ A·B − zB[j]·rowSum(A)[i] − zA[i]·colSum(B)[j] + K·zA[i]·zB[j]. Operands are
 * packed once into panels (A: MR rows, B: NR columns, k-major, widened to Int16Array and
 * zero-padded to whole panels), the sums are taken while packing, and an MR × NR register tile
 * (unrolled for MR = NR = 4) accumulates over blocks of KC steps of k. Packing is separate from
 * the product so that constant weights are packed once per node (prepare-cache.ts).
 *
 * All arithmetic is int32 that wraps (Math.imul, `| 0`, Int32Array stores), as a C kernel's: raw
 * sums may wrap, but arithmetic modulo 2^32 still yields the exact corrected accumulator whenever
 * that one fits int32 — K·max|A − zA|·max|B − zB| ≤ 2^31 − 1, eq. (12). For 8-bit activations
 * (|A − zA| ≤ 255) and int8 weights of zero point 0 (|B| ≤ 128) that is K ≤ 65 793, so every
 * K < 2^16; with both operands asymmetric 8-bit (≤ 255 each) K ≤ 33 025. Kernels check the
 * bound from their actual zero points and weights (accumulator-bound.ts).
 *
 * igemm-reference.ts computes the same with plain loops on centred values; tests hold the two
 * equal. Where WebAssembly SIMD runs, `igemm` goes to the wasm kernel (src/runtime/wasm/int8-gemm.ts:
 * the same integers modulo 2^32, so the same results); the code below is the fallback.
 */
import { wasmKernels } from '../../wasm/index.ts';
import { int8Gemm } from '../../wasm/int8-gemm.ts';

/** Operand storage: 8-bit and sub-byte integers, held unpacked one per byte. */
export type IntegerArray = Int8Array | Uint8Array;

/** A matrix inside a typed array: element (r, c) at data[offset + r·rowStride + c·colStride]. */
export interface MatrixView {
  readonly data: IntegerArray;
  readonly offset: number;
  readonly rowStride: number;
  readonly colStride: number;
}

/** Rows of an A panel, columns of a B panel, and the k-block of the register tile. */
export const MR = 4;
export const NR = 4;
export const KC = 256;

/** Multiply-adds from which a product goes to the wasm kernel (below, copying in costs more than it saves). */
export const WASM_MIN_WORK = 512;

/**
 * A packed operand: `count` rows (A) or columns (B) of depth `depth`, in panels of MR (NR) lines
 * stored k-major — line l of panel q at step p is data[(q·depth + p)·4 + l] — and the sum of each
 * line (int32, wrapping).
 */
export interface PackedOperand {
  readonly data: Int16Array;
  readonly count: number;
  readonly depth: number;
  readonly sums: Int32Array;
}

/** A row view of a dense row-major matrix with `cols` columns starting at `offset` (transposed: its columns). */
export function denseView(data: IntegerArray, offset: number, cols: number, transposed = false): MatrixView {
  return transposed ? { data, offset, rowStride: 1, colStride: cols } : { data, offset, rowStride: cols, colStride: 1 };
}

/** Packs the m × k matrix `a` into panels of MR rows, with its row sums. */
export function packA(a: MatrixView, m: number, k: number): PackedOperand {
  return packLines(a.data, a.offset, a.rowStride, a.colStride, m, k, MR);
}

/** Packs the k × n matrix `b` into panels of NR columns, with its column sums. */
export function packB(b: MatrixView, k: number, n: number): PackedOperand {
  return packLines(b.data, b.offset, b.colStride, b.rowStride, n, k, NR);
}

// Lines are rows of A (lineStride = rowStride) or columns of B (lineStride = colStride).
function packLines(src: IntegerArray, offset: number, lineStride: number, stepStride: number, count: number, depth: number, width: number): PackedOperand {
  const panels = Math.ceil(count / width);
  const data = new Int16Array(panels * depth * width);
  const sums = new Int32Array(count);
  for (let line = 0; line < count; line++) {
    const q = Math.floor(line / width);
    let dst = q * depth * width + (line - q * width);
    let at = offset + line * lineStride;
    let sum = 0;
    for (let p = 0; p < depth; p++, dst += width, at += stepStride) {
      const v = src[at];
      data[dst] = v;
      sum = (sum + v) | 0;
    }
    sums[line] = sum;
  }
  return { data, count, depth, sums };
}

/** Line sums of a packed operand whose data was written directly (e.g. by the im2col packer). */
export function packedSums(data: Int16Array, count: number, depth: number, width: number): Int32Array {
  const sums = new Int32Array(count);
  for (let line = 0; line < count; line++) {
    const q = Math.floor(line / width);
    let at = q * depth * width + (line - q * width);
    let sum = 0;
    for (let p = 0; p < depth; p++, at += width) sum = (sum + data[at]) | 0;
    sums[line] = sum;
  }
  return sums;
}

/**
 * c[cOffset + i·ldc + j] = Σ_p A[i, p]·B[p, j] (raw operands, int32 wrapping) for the packed
 * m × k `a` and k × n `b`; c is overwritten.
 */
export function igemmPacked(a: PackedOperand, b: PackedOperand, c: Int32Array, cOffset: number, ldc: number): void {
  // sizes as int32 for the index arithmetic of the hot loop
  const m = a.count | 0;
  const n = b.count | 0;
  const k = a.depth | 0;
  cOffset |= 0;
  ldc |= 0;
  for (let i = 0; i < m; i++) c.fill(0, cOffset + i * ldc, cOffset + i * ldc + n);
  if (m === 0 || n === 0 || k === 0) return;
  const pa = a.data;
  const pb = b.data;
  const aPanels = Math.ceil(m / MR) | 0;
  const bPanels = Math.ceil(n / NR) | 0;
  const tile = new Int32Array(MR * NR);
  for (let k0 = 0; k0 < k; k0 += KC) {
    const kc = Math.min(KC, k - k0) | 0;
    for (let jp = 0; jp < bPanels; jp++) {
      const j0 = jp * NR;
      const bBase = ((jp * k + k0) * NR) | 0;
      for (let ip = 0; ip < aPanels; ip++) {
        const i0 = ip * MR;
        let ia = ((ip * k + k0) * MR) | 0;
        let ib = bBase;
        let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
        let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (let p = 0; p < kc; p++) {
          const a0 = pa[ia], a1 = pa[ia + 1], a2 = pa[ia + 2], a3 = pa[ia + 3];
          const b0 = pb[ib], b1 = pb[ib + 1], b2 = pb[ib + 2], b3 = pb[ib + 3];
          ia += 4; // MR
          ib += 4; // NR
          c00 = (c00 + Math.imul(a0, b0)) | 0;
          c01 = (c01 + Math.imul(a0, b1)) | 0;
          c02 = (c02 + Math.imul(a0, b2)) | 0;
          c03 = (c03 + Math.imul(a0, b3)) | 0;
          c10 = (c10 + Math.imul(a1, b0)) | 0;
          c11 = (c11 + Math.imul(a1, b1)) | 0;
          c12 = (c12 + Math.imul(a1, b2)) | 0;
          c13 = (c13 + Math.imul(a1, b3)) | 0;
          c20 = (c20 + Math.imul(a2, b0)) | 0;
          c21 = (c21 + Math.imul(a2, b1)) | 0;
          c22 = (c22 + Math.imul(a2, b2)) | 0;
          c23 = (c23 + Math.imul(a2, b3)) | 0;
          c30 = (c30 + Math.imul(a3, b0)) | 0;
          c31 = (c31 + Math.imul(a3, b1)) | 0;
          c32 = (c32 + Math.imul(a3, b2)) | 0;
          c33 = (c33 + Math.imul(a3, b3)) | 0;
        }
        // Int32Array stores wrap (ToInt32): the int32 accumulator's addition
        if (i0 + MR <= m && j0 + NR <= n) {
          let o = cOffset + i0 * ldc + j0;
          c[o] += c00; c[o + 1] += c01; c[o + 2] += c02; c[o + 3] += c03; o += ldc;
          c[o] += c10; c[o + 1] += c11; c[o + 2] += c12; c[o + 3] += c13; o += ldc;
          c[o] += c20; c[o + 1] += c21; c[o + 2] += c22; c[o + 3] += c23; o += ldc;
          c[o] += c30; c[o + 1] += c31; c[o + 2] += c32; c[o + 3] += c33;
          continue;
        }
        // an edge tile: through a scratch tile, only the rows and columns inside C
        tile[0] = c00; tile[1] = c01; tile[2] = c02; tile[3] = c03;
        tile[4] = c10; tile[5] = c11; tile[6] = c12; tile[7] = c13;
        tile[8] = c20; tile[9] = c21; tile[10] = c22; tile[11] = c23;
        tile[12] = c30; tile[13] = c31; tile[14] = c32; tile[15] = c33;
        const rows = Math.min(MR, m - i0);
        const cols = Math.min(NR, n - j0);
        for (let r = 0; r < rows; r++) {
          const o = cOffset + (i0 + r) * ldc + j0;
          for (let j = 0; j < cols; j++) c[o + j] += tile[r * NR + j];
        }
      }
    }
  }
}

/**
 * Turns raw products into centred accumulators, eq. (11):
 * c[i, j] += −zB[j]·aSums[i] − zA[i]·bSums[j] + k·zA[i]·zB[j] (int32, wrapping). Zero points are
 * per tensor (length 1) or per row of A / per column of B.
 */
export function correctZeroPoints(c: Int32Array, cOffset: number, ldc: number, m: number, n: number, k: number, aSums: Int32Array, aZero: ArrayLike<number>, bSums: Int32Array, bZero: ArrayLike<number>): void {
  const aPer = aZero.length > 1;
  const bPer = bZero.length > 1;
  if (!aPer && !bPer && aZero[0] === 0 && bZero[0] === 0) return;
  for (let i = 0; i < m; i++) {
    const za = aPer ? aZero[i] : aZero[0];
    const rowSum = aSums[i];
    const kza = Math.imul(k, za);
    const o = cOffset + i * ldc;
    for (let j = 0; j < n; j++) {
      const zb = bPer ? bZero[j] : bZero[0];
      c[o + j] = (c[o + j] - Math.imul(zb, rowSum) - Math.imul(za, bSums[j]) + Math.imul(kza, zb)) | 0;
    }
  }
}

/**
 * c[cOffset + i·ldc + j] = Σ_p (A[i, p] − aZero[i])·(B[p, j] − bZero[j]) for m × k `a` and
 * k × n `b` (zero points per tensor, per row of A, per column of B). eqs. (10), (11)
 */
export function igemm(m: number, n: number, k: number, a: MatrixView, aZero: ArrayLike<number>, b: MatrixView, bZero: ArrayLike<number>, c: Int32Array, cOffset = 0, ldc = n): void {
  const backend = wasmKernels();
  if (backend !== undefined && m * n * k >= WASM_MIN_WORK) {
    int8Gemm(backend, { m, n, k, a: { view: a }, b: { view: b }, aZero, bZero, target: { kind: 'int32', c, offset: cOffset, ld: ldc } });
    return;
  }
  igemmPackedB(m, a, aZero, packB(b, k, n), bZero, c, cOffset, ldc);
}

/** igemm with B already packed (constant weights packed once per node). eqs. (10), (11) */
export function igemmPackedB(m: number, a: MatrixView, aZero: ArrayLike<number>, b: PackedOperand, bZero: ArrayLike<number>, c: Int32Array, cOffset = 0, ldc = b.count): void {
  const pa = packA(a, m, b.depth);
  igemmPacked(pa, b, c, cOffset, ldc);
  correctZeroPoints(c, cOffset, ldc, m, b.count, b.depth, pa.sums, aZero, b.sums, bZero);
}
