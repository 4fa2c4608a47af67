/**
 * Blocked single-precision GEMM: C = alpha·op(A)·op(B) + beta·C, row-major, with leading
 * dimensions (pass `subarray` views to address a batch, a group or a sub-matrix).
 *
 * The layering is the usual one for cache-aware GEMM, written in plain TypeScript:
 *   for each KC-deep slice of K:   pack op(B)[slice, :] into NR-wide column panels
 *     for each MC-tall row block:  pack op(A)[block, slice] into MR-tall row panels
 *       for each MR×NR tile:       the micro-kernel accumulates the tile in 16 locals
 * Packing makes the micro-kernel read both operands sequentially whatever the transposes are,
 * and pads partial panels with zeros so the hot loop has no edge tests. Panels are packed as
 * float64 (the micro-kernel accumulates in float64, the JavaScript number type, anyway); the
 * result is rounded to float32 once, when stored into C.
 *
 * Thin problems (fewer rows than a micro-tile) skip the packing, whose copies would outweigh the
 * multiply-adds they speed up (and a padded A panel would waste most of the tile): `thinGemm`
 * reads A and B where they lie, four columns of C at a time. mnist-8's 1×256 · 256×10 MatMul
 * took 3.5 µs that way against 14 µs blocked; from 4 rows on, blocked was as fast or faster.
 *
 * The reference beside it is `gemmReference` (gemm-reference.ts): plain loops, any precision.
 *
 * Where WebAssembly SIMD runs, products of at least WASM_MIN_WORK multiply-adds go to the f32x4
 * kernel (src/runtime/wasm/f32-gemm.ts): float32 sums in k order instead of one float64 sum, so
 * results differ in the last bits, within the bound its tests state. The code below is the
 * fallback and the reference for that bound.
 */
import { RangeArgumentError } from '../../../errors.ts';
import { wasmKernels } from '../../wasm/index.ts';
import { wasmSgemm } from '../../wasm/f32-gemm.ts';

/**
 * Multiply-adds from which sgemm goes to wasm: below, packing and copying into wasm memory cost
 * more than the faster products save (mnist-8's 1×256·256×10 MatMul stays here).
 */
export const WASM_MIN_WORK = 32768;

/** Micro-tile height and width: 4×4 accumulators fit the x64 register file with the operands. */
const MR = 4;
const NR = 4;
/** Depth of a K slice: an MR×KC panel of A plus an NR×KC panel of B stay in L1. */
const KC = 256;
/** Rows of A packed at once: MC×KC float64 stays in L2. */
const MC = 96;
/** Columns of B packed at once: KC×NC float64 stays in L3 / a large L2. */
const NC = 2048;

// Scratch panels, grown on demand and reused across calls (sgemm never re-enters itself).
let packedA = new Float64Array(MC * KC);
let packedB = new Float64Array(KC * NR);
const edgeTile = new Float64Array(MR * NR);

/**
 * C[m×n] = alpha · op(A)[m×k] · op(B)[k×n] + beta · C, where op(X) is X or Xᵀ.
 *
 * Storage is row-major: element (i, p) of op(A) is `a[i*lda + p]`, or `a[p*lda + i]` when
 * `transA`. When beta is 0, C is overwritten without being read (NaN in C does not leak), as
 * in BLAS.
 */
export function sgemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float32Array,
  lda: number,
  b: Float32Array,
  ldb: number,
  beta: number,
  c: Float32Array,
  ldc: number,
): void {
  checkGemmArguments(transA, transB, m, n, k, a.length, lda, b.length, ldb, c.length, ldc);
  if (m === 0 || n === 0) return;
  // Sizes as int32 for the loops' index arithmetic (shapes can arrive as float64: small-int.ts).
  m |= 0;
  n |= 0;
  k |= 0;
  lda |= 0;
  ldb |= 0;
  ldc |= 0;
  if (k !== 0 && alpha !== 0 && m * n * k >= WASM_MIN_WORK) {
    const backend = wasmKernels();
    if (backend !== undefined) {
      wasmSgemm(backend, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
      return;
    }
  }
  scaleC(m, n, beta, c, ldc);
  if (k === 0 || alpha === 0) return;
  if (m < MR) thinGemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, c, ldc);
  else blockedGemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, c, ldc);
}

/**
 * C += alpha · op(A) · op(B) through packed panels and the micro-kernel (see the module comment).
 * No argument checks: `sgemm` makes them before it calls either path.
 */
export function blockedGemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float32Array,
  lda: number,
  b: Float32Array,
  ldb: number,
  c: Float32Array,
  ldc: number,
): void {
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      packB(transB, b, ldb, pc, kc, jc, nc);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packA(transA, a, lda, ic, mc, pc, kc);
        macroKernel(mc, nc, kc, alpha, c, ic * ldc + jc, ldc);
      }
    }
  }
}

/** Throws RangeArgumentError unless every addressed element lies inside its array. */
export function checkGemmArguments(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  aLength: number,
  lda: number,
  bLength: number,
  ldb: number,
  cLength: number,
  ldc: number,
): void {
  for (const [name, value] of [['m', m], ['n', n], ['k', k]] as const) {
    if (!Number.isInteger(value) || value < 0) throw new RangeArgumentError(`gemm: ${name} = ${value} is not a non-negative integer`);
  }
  if (m === 0 || n === 0) return;
  const [aRows, aCols] = transA ? [k, m] : [m, k];
  const [bRows, bCols] = transB ? [n, k] : [k, n];
  checkMatrix('A', aRows, aCols, aLength, lda);
  checkMatrix('B', bRows, bCols, bLength, ldb);
  checkMatrix('C', m, n, cLength, ldc);
}

function checkMatrix(name: string, rows: number, cols: number, length: number, ld: number): void {
  if (rows === 0 || cols === 0) return;
  if (!Number.isInteger(ld) || ld < cols) throw new RangeArgumentError(`gemm: leading dimension of ${name} is ${ld}, needs at least ${cols}`);
  const needed = (rows - 1) * ld + cols;
  if (length < needed) throw new RangeArgumentError(`gemm: ${name} (${rows}×${cols}, ld ${ld}) needs ${needed} elements, has ${length}`);
}

function scaleC(m: number, n: number, beta: number, c: Float32Array, ldc: number): void {
  if (beta === 1) return;
  for (let i = 0; i < m; i++) {
    const row = i * ldc;
    if (beta === 0) c.fill(0, row, row + n);
    else for (let j = row; j < row + n; j++) c[j] *= beta;
  }
}

/**
 * C += alpha · op(A) · op(B) without packing: for each row of C, four columns at a time (then
 * one at a time), each a float64 dot product over all of k, rounded once into C. No argument
 * checks: `sgemm` makes them.
 */
export function thinGemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float32Array,
  lda: number,
  b: Float32Array,
  ldb: number,
  c: Float32Array,
  ldc: number,
): void {
  // Element (i, p) of op(A) is a[i·aRow + p·aStep]; element (p, j) of op(B) is b[p·bStep + j·bCol].
  const aRow = transA ? 1 : lda;
  const aStep = transA ? lda : 1;
  const bStep = transB ? 1 : ldb;
  const bCol = transB ? ldb : 1;
  for (let i = 0; i < m; i++) {
    const aStart = i * aRow;
    const cRow = i * ldc;
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      let ai = aStart;
      let b0 = j * bCol;
      let b1 = b0 + bCol;
      let b2 = b1 + bCol;
      let b3 = b2 + bCol;
      for (let p = 0; p < k; p++) {
        const av = a[ai];
        s0 += av * b[b0]; s1 += av * b[b1]; s2 += av * b[b2]; s3 += av * b[b3];
        ai += aStep;
        b0 += bStep; b1 += bStep; b2 += bStep; b3 += bStep;
      }
      c[cRow + j] += alpha * s0;
      c[cRow + j + 1] += alpha * s1;
      c[cRow + j + 2] += alpha * s2;
      c[cRow + j + 3] += alpha * s3;
    }
    for (; j < n; j++) {
      let sum = 0;
      for (let p = 0, ai = aStart, bi = j * bCol; p < k; p++, ai += aStep, bi += bStep) sum += a[ai] * b[bi];
      c[cRow + j] += alpha * sum;
    }
  }
}

/** Packs op(B)[pc:pc+kc, jc:jc+nc] as NR-wide panels, each laid out k-major: [p][0..NR). */
function packB(transB: boolean, b: Float32Array, ldb: number, pc: number, kc: number, jc: number, nc: number): void {
  const panels = Math.ceil(nc / NR);
  if (packedB.length < panels * NR * kc) packedB = new Float64Array(panels * NR * kc);
  const out = packedB;
  let idx = 0;
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = Math.min(NR, nc - jr);
    const j0 = jc + jr;
    if (!transB && cols === NR) {
      for (let p = 0; p < kc; p++) {
        const src = (pc + p) * ldb + j0;
        out[idx] = b[src];
        out[idx + 1] = b[src + 1];
        out[idx + 2] = b[src + 2];
        out[idx + 3] = b[src + 3];
        idx += NR;
      }
    } else if (cols === NR) {
      let r0 = j0 * ldb + pc;
      let r1 = r0 + ldb;
      let r2 = r1 + ldb;
      let r3 = r2 + ldb;
      for (let p = 0; p < kc; p++) {
        out[idx] = b[r0++];
        out[idx + 1] = b[r1++];
        out[idx + 2] = b[r2++];
        out[idx + 3] = b[r3++];
        idx += NR;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let j = 0; j < NR; j++) {
          out[idx++] = j >= cols ? 0 : transB ? b[(j0 + j) * ldb + pc + p] : b[(pc + p) * ldb + j0 + j];
        }
      }
    }
  }
}

/** Packs op(A)[ic:ic+mc, pc:pc+kc] as MR-tall panels, each laid out k-major: [p][0..MR). */
function packA(transA: boolean, a: Float32Array, lda: number, ic: number, mc: number, pc: number, kc: number): void {
  const panels = Math.ceil(mc / MR);
  if (packedA.length < panels * MR * kc) packedA = new Float64Array(panels * MR * kc);
  const out = packedA;
  let idx = 0;
  for (let ir = 0; ir < mc; ir += MR) {
    const rows = Math.min(MR, mc - ir);
    const i0 = ic + ir;
    if (!transA && rows === MR) {
      let r0 = i0 * lda + pc;
      let r1 = r0 + lda;
      let r2 = r1 + lda;
      let r3 = r2 + lda;
      for (let p = 0; p < kc; p++) {
        out[idx] = a[r0++];
        out[idx + 1] = a[r1++];
        out[idx + 2] = a[r2++];
        out[idx + 3] = a[r3++];
        idx += MR;
      }
    } else if (rows === MR) {
      for (let p = 0; p < kc; p++) {
        const src = (pc + p) * lda + i0;
        out[idx] = a[src];
        out[idx + 1] = a[src + 1];
        out[idx + 2] = a[src + 2];
        out[idx + 3] = a[src + 3];
        idx += MR;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let i = 0; i < MR; i++) {
          out[idx++] = i >= rows ? 0 : transA ? a[(pc + p) * lda + i0 + i] : a[(i0 + i) * lda + pc + p];
        }
      }
    }
  }
}

/** Runs the micro-kernel over every MR×NR tile of an mc×nc block of C (starting at cBase). */
function macroKernel(mc: number, nc: number, kc: number, alpha: number, c: Float32Array, cBase: number, ldc: number): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = Math.min(NR, nc - jr);
    const bOffset = (jr / NR) * NR * kc;
    for (let ir = 0; ir < mc; ir += MR) {
      const rows = Math.min(MR, mc - ir);
      microKernel(kc, (ir / MR) * MR * kc, bOffset, alpha, c, cBase + ir * ldc + jr, ldc, rows, cols);
    }
  }
}

/** C tile += alpha · Apanel · Bpanel for one MR×NR tile; `rows`/`cols` clip edge tiles. */
function microKernel(
  kc: number,
  aOffset: number,
  bOffset: number,
  alpha: number,
  c: Float32Array,
  cOffset: number,
  ldc: number,
  rows: number,
  cols: number,
): void {
  const pa = packedA;
  const pb = packedB;
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  let ai = aOffset;
  let bi = bOffset;
  for (let p = 0; p < kc; p++) {
    const a0 = pa[ai], a1 = pa[ai + 1], a2 = pa[ai + 2], a3 = pa[ai + 3];
    const b0 = pb[bi], b1 = pb[bi + 1], b2 = pb[bi + 2], b3 = pb[bi + 3];
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
    ai += MR;
    bi += NR;
  }
  if (rows === MR && cols === NR) {
    let o = cOffset;
    c[o] += alpha * c00; c[o + 1] += alpha * c01; c[o + 2] += alpha * c02; c[o + 3] += alpha * c03;
    o += ldc;
    c[o] += alpha * c10; c[o + 1] += alpha * c11; c[o + 2] += alpha * c12; c[o + 3] += alpha * c13;
    o += ldc;
    c[o] += alpha * c20; c[o + 1] += alpha * c21; c[o + 2] += alpha * c22; c[o + 3] += alpha * c23;
    o += ldc;
    c[o] += alpha * c30; c[o + 1] += alpha * c31; c[o + 2] += alpha * c32; c[o + 3] += alpha * c33;
    return;
  }
  const t = edgeTile;
  t[0] = c00; t[1] = c01; t[2] = c02; t[3] = c03;
  t[4] = c10; t[5] = c11; t[6] = c12; t[7] = c13;
  t[8] = c20; t[9] = c21; t[10] = c22; t[11] = c23;
  t[12] = c30; t[13] = c31; t[14] = c32; t[15] = c33;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) c[cOffset + i * ldc + j] += alpha * t[i * NR + j];
  }
}
