/**
 * Direct convolution as an implicit GEMM: per image and group, Y_g[m, j] = Σ_p W_g[m, p] · X̂[p, j]
 * where X̂ is the im2col matrix of the input (im2col.ts), never built. Row p of X̂ is a tap
 * (c, kd, kh, kw), column j an output position (od, oh, ow), and on a zero-padded copy of the
 * input X̂[p, j] = padded[tapOffset[p] + columnBase[j]]: a tap is one constant shift of the
 * whole image. The micro-kernel keeps an MR×NR tile of Y in locals and reads, per tap, MR packed
 * weights and NR input values through the two offset tables, so there is no column matrix to
 * write and no B panel to pack — for small convolutions (few channels, like mnist-8's) those
 * copies cost as much as the multiply-adds.
 *
 * Accumulation is in float64 (the JavaScript number), rounded once when stored into y, except
 * that taps are summed in KC-deep slices for cache locality (y holds the running sum between
 * slices, as in sgemm). Same contract as `convImpl` (conv.ts), checked against
 * `convReference` (conv-reference.ts) by test/runtime/kernels/float/conv-direct.test.ts.
 *
 * Where WebAssembly SIMD runs, float32 convolutions go to src/runtime/wasm/conv.ts (packed
 * weights × im2col panels in f32x4, float32 sums: within the bound of its tests); the code below
 * is the fallback, and the path of float64 tensors.
 */
import type { ConvDims } from './conv.ts';
import type { FloatArray } from './float-io.ts';
import { intWindow } from './small-int.ts';
import type { Window } from './window.ts';
import { wasmKernels } from '../../wasm/index.ts';
import { f32Conv } from '../../wasm/conv.ts';

/**
 * Tile sizes: 8 output channels × 8 output positions. Of the shapes tried (4×4 to 16×4), 8×8 was
 * fastest on mnist-8's convolutions: V8 spills most of the 64 accumulators to the stack, but a
 * spill costs less than a typed-array load (index arithmetic plus a bounds check), and 8×8 needs
 * the fewest loads per multiply-add. A last panel of at most 4 channels takes 4×8 tiles.
 */
const MR = 8;
const NR = 8;
/** Taps per slice: an MR×KC weight panel (16 KB) stays in L1 while the tile walks the columns. */
const KC = 256;
/**
 * Output positions per block: what a block reads of the input for one slice (at most KC × NC
 * values, 1 MB) stays in L2 while every panel passes over it. Without the blocks, 256 → 64
 * channels 1×1 on 56×56 ran about a third slower.
 */
const NC = 512;

// Scratch, grown on demand and reused across calls (the kernel never re-enters itself).
let padded = new Float64Array(0);
let packedW = new Float64Array(0);
let tapOffsets = new Int32Array(0);
let columnBases = new Int32Array(0);
const tileSums = new Float64Array(MR * NR);

/**
 * y = conv(x, w) + bias for dense row-major N × C × spatial x, M × C/group × kernel w and
 * N × M × output y (overwritten), any strides, dilations, pads and groups. Values are the
 * ONNX Conv formula (see conv.ts); float32 or float64 storage.
 */
export function convDirect(x: FloatArray, w: FloatArray, bias: FloatArray | undefined, dims: ConvDims, geometry: Window, y: FloatArray): void {
  const window = intWindow(geometry);
  const backend = x instanceof Float32Array && w instanceof Float32Array && y instanceof Float32Array && !(bias instanceof Float64Array) ? wasmKernels() : undefined;
  if (backend !== undefined && window.output.every((o) => o > 0) && dims.featureMaps > 0) {
    f32Conv(backend, x as Float32Array, w as Float32Array, bias as Float32Array | undefined, dims, window, y as Float32Array);
    return;
  }
  const batch = dims.batch | 0;
  const channels = dims.channels | 0;
  const featureMaps = dims.featureMaps | 0;
  const group = dims.group | 0;
  const groupChannels = (channels / group) | 0;
  const groupMaps = (featureMaps / group) | 0;
  const [iD, iH, iW] = window.input;
  const [oD, oH, oW] = window.output;
  const [kD, kH, kW] = window.kernel;
  const [pD, pH, pW] = window.padBegin;
  // The last tap any output reads lies before in + padEnd (output = floor(span / s) + 1).
  const dP = iD + pD + window.padEnd[0];
  const hP = iH + pH + window.padEnd[1];
  const wP = iW + pW + window.padEnd[2];
  const planeP = dP * hP * wP;
  const inSize = iD * iH * iW;
  const outSize = oD * oH * oW;
  const depth = groupChannels * kD * kH * kW;
  if (outSize === 0 || groupMaps === 0) return;
  if (depth === 0) {
    fillBias(y, bias, batch, featureMaps, outSize);
    return;
  }
  const columns = Math.ceil(outSize / NR) * NR;
  if (padded.length < groupChannels * planeP) padded = new Float64Array(groupChannels * planeP);
  if (packedW.length < Math.ceil(groupMaps / 4) * 4 * depth) packedW = new Float64Array(Math.ceil(groupMaps / 4) * 4 * depth);
  if (tapOffsets.length < depth) tapOffsets = new Int32Array(depth);
  if (columnBases.length < columns) columnBases = new Int32Array(columns);
  writeTapOffsets(groupChannels, window, hP, wP, planeP, tapOffsets);
  writeColumnBases(window, hP, wP, columns, columnBases);
  if (window.padBegin.some((p) => p > 0) || window.padEnd.some((p) => p > 0)) padded.fill(0, 0, groupChannels * planeP);

  for (let g = 0; g < group; g++) {
    packWeights(w, g * groupMaps * depth, groupMaps, depth, packedW);
    for (let n = 0; n < batch; n++) {
      copyPadded(x, (n * channels + g * groupChannels) * inSize, groupChannels, window, dP, hP, wP, padded);
      const yBase = (n * featureMaps + g * groupMaps) * outSize;
      for (let pc = 0; pc < depth; pc += KC) {
        const end = Math.min(depth, pc + KC);
        for (let j0 = 0; j0 < outSize; j0 += NC) {
          const j1 = Math.min(outSize, j0 + NC);
          for (let m0 = 0; m0 < groupMaps; m0 += MR) {
            const rows = Math.min(MR, groupMaps - m0);
            const biasAt = pc === 0 ? g * groupMaps + m0 : -1;
            const yRow = yBase + m0 * outSize;
            // Panel m0 starts at m0·depth; within it, tap p's weights at (p − pc)·height.
            if (rows > 4) panel8x8(pc, end, m0 * depth + pc * MR, j0, j1, outSize, y, yRow, rows, bias, biasAt);
            else panel4x8(pc, end, m0 * depth + pc * 4, j0, j1, outSize, y, yRow, rows, bias, biasAt);
          }
        }
      }
    }
  }
}

/** y[n, m, :] = bias[m] (or 0): the convolution of an empty kernel. */
function fillBias(y: FloatArray, bias: FloatArray | undefined, batch: number, featureMaps: number, plane: number): void {
  for (let n = 0; n < batch; n++) {
    for (let m = 0; m < featureMaps; m++) y.fill(bias === undefined ? 0 : bias[m], (n * featureMaps + m) * plane, (n * featureMaps + m + 1) * plane);
  }
}

/** tapOffsets[p] for p = ((c·kD + kd)·kH + kh)·kW + kw: where tap p sits relative to a column base. */
function writeTapOffsets(groupChannels: number, window: Window, hP: number, wP: number, planeP: number, out: Int32Array): void {
  const [kD, kH, kW] = window.kernel;
  const [dD, dH, dW] = window.dilations;
  let p = 0;
  for (let c = 0; c < groupChannels; c++) {
    for (let kd = 0; kd < kD; kd++) {
      for (let kh = 0; kh < kH; kh++) {
        const row = c * planeP + (kd * dD * hP + kh * dH) * wP;
        for (let kw = 0; kw < kW; kw++) out[p++] = row + kw * dW;
      }
    }
  }
}

/**
 * columnBases[j] for j = (od·oH + oh)·oW + ow: the padded position of tap (0, 0, 0, 0) of output
 * j. Entries from the output size up to `columns` repeat the last one, so a partial last tile
 * reads valid memory (its extra columns are computed and dropped).
 */
function writeColumnBases(window: Window, hP: number, wP: number, columns: number, out: Int32Array): void {
  const [oD, oH, oW] = window.output;
  const [sD, sH, sW] = window.strides;
  let j = 0;
  for (let od = 0; od < oD; od++) {
    for (let oh = 0; oh < oH; oh++) {
      const row = (od * sD * hP + oh * sH) * wP;
      for (let ow = 0; ow < oW; ow++) out[j++] = row + ow * sW;
    }
  }
  for (; j < columns; j++) out[j] = out[j - 1];
}

/**
 * Packs the rows × depth matrix at w[offset] as row panels, tap-major ([p][0..height)): panels of
 * MR rows, the last one 4 rows tall when at most 4 are left; rows past the end are zero.
 */
function packWeights(w: FloatArray, offset: number, rows: number, depth: number, out: Float64Array): void {
  let idx = 0;
  for (let m0 = 0; m0 < rows; m0 += MR) {
    const height = rows - m0 > 4 ? MR : 4;
    const valid = Math.min(height, rows - m0);
    const row = offset + m0 * depth;
    for (let p = 0; p < depth; p++) {
      for (let r = 0; r < height; r++) out[idx++] = r < valid ? w[row + r * depth + p] : 0;
    }
  }
}

/** Copies `channels` planes of x (from xOffset) into the interior of the zero-padded dP × hP × wP planes. */
function copyPadded(x: FloatArray, xOffset: number, channels: number, window: Window, dP: number, hP: number, wP: number, out: Float64Array): void {
  const [iD, iH, iW] = window.input;
  const [pD, pH, pW] = window.padBegin;
  let src = xOffset;
  for (let c = 0; c < channels; c++) {
    for (let d = 0; d < iD; d++) {
      for (let h = 0; h < iH; h++) {
        let dst = ((c * dP + d + pD) * hP + h + pH) * wP + pW;
        const end = src + iW;
        while (src < end) out[dst++] = x[src++];
      }
    }
  }
}

/** Tiles of 8 rows × 8 columns over one 8-row panel (see storeTile for the stores). */
function panel8x8(pc: number, end: number, wOffset: number, j0: number, j1: number, ldy: number, y: FloatArray, yRow: number, rows: number, bias: FloatArray | undefined, biasAt: number): void {
  const xp = padded;
  const pw = packedW;
  const taps = tapOffsets;
  const bases = columnBases;
  const s = tileSums;
  let w = 0;
  for (let j = j0; j < j1; j += 8) {
    const b0 = bases[j], b1 = bases[j + 1], b2 = bases[j + 2], b3 = bases[j + 3], b4 = bases[j + 4], b5 = bases[j + 5], b6 = bases[j + 6], b7 = bases[j + 7];
    let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c04 = 0, c05 = 0, c06 = 0, c07 = 0;
    let c10 = 0, c11 = 0, c12 = 0, c13 = 0, c14 = 0, c15 = 0, c16 = 0, c17 = 0;
    let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c24 = 0, c25 = 0, c26 = 0, c27 = 0;
    let c30 = 0, c31 = 0, c32 = 0, c33 = 0, c34 = 0, c35 = 0, c36 = 0, c37 = 0;
    let c40 = 0, c41 = 0, c42 = 0, c43 = 0, c44 = 0, c45 = 0, c46 = 0, c47 = 0;
    let c50 = 0, c51 = 0, c52 = 0, c53 = 0, c54 = 0, c55 = 0, c56 = 0, c57 = 0;
    let c60 = 0, c61 = 0, c62 = 0, c63 = 0, c64 = 0, c65 = 0, c66 = 0, c67 = 0;
    let c70 = 0, c71 = 0, c72 = 0, c73 = 0, c74 = 0, c75 = 0, c76 = 0, c77 = 0;
    let wi = wOffset;
    for (let p = pc; p < end; p++) {
      const t = taps[p];
      const x0 = xp[b0 + t], x1 = xp[b1 + t], x2 = xp[b2 + t], x3 = xp[b3 + t], x4 = xp[b4 + t], x5 = xp[b5 + t], x6 = xp[b6 + t], x7 = xp[b7 + t];
      w = pw[wi]; c00 += w * x0; c01 += w * x1; c02 += w * x2; c03 += w * x3; c04 += w * x4; c05 += w * x5; c06 += w * x6; c07 += w * x7;
      w = pw[wi + 1]; c10 += w * x0; c11 += w * x1; c12 += w * x2; c13 += w * x3; c14 += w * x4; c15 += w * x5; c16 += w * x6; c17 += w * x7;
      w = pw[wi + 2]; c20 += w * x0; c21 += w * x1; c22 += w * x2; c23 += w * x3; c24 += w * x4; c25 += w * x5; c26 += w * x6; c27 += w * x7;
      w = pw[wi + 3]; c30 += w * x0; c31 += w * x1; c32 += w * x2; c33 += w * x3; c34 += w * x4; c35 += w * x5; c36 += w * x6; c37 += w * x7;
      w = pw[wi + 4]; c40 += w * x0; c41 += w * x1; c42 += w * x2; c43 += w * x3; c44 += w * x4; c45 += w * x5; c46 += w * x6; c47 += w * x7;
      w = pw[wi + 5]; c50 += w * x0; c51 += w * x1; c52 += w * x2; c53 += w * x3; c54 += w * x4; c55 += w * x5; c56 += w * x6; c57 += w * x7;
      w = pw[wi + 6]; c60 += w * x0; c61 += w * x1; c62 += w * x2; c63 += w * x3; c64 += w * x4; c65 += w * x5; c66 += w * x6; c67 += w * x7;
      w = pw[wi + 7]; c70 += w * x0; c71 += w * x1; c72 += w * x2; c73 += w * x3; c74 += w * x4; c75 += w * x5; c76 += w * x6; c77 += w * x7;
      wi += 8;
    }
    s[0] = c00; s[1] = c01; s[2] = c02; s[3] = c03; s[4] = c04; s[5] = c05; s[6] = c06; s[7] = c07;
    s[8] = c10; s[9] = c11; s[10] = c12; s[11] = c13; s[12] = c14; s[13] = c15; s[14] = c16; s[15] = c17;
    s[16] = c20; s[17] = c21; s[18] = c22; s[19] = c23; s[20] = c24; s[21] = c25; s[22] = c26; s[23] = c27;
    s[24] = c30; s[25] = c31; s[26] = c32; s[27] = c33; s[28] = c34; s[29] = c35; s[30] = c36; s[31] = c37;
    s[32] = c40; s[33] = c41; s[34] = c42; s[35] = c43; s[36] = c44; s[37] = c45; s[38] = c46; s[39] = c47;
    s[40] = c50; s[41] = c51; s[42] = c52; s[43] = c53; s[44] = c54; s[45] = c55; s[46] = c56; s[47] = c57;
    s[48] = c60; s[49] = c61; s[50] = c62; s[51] = c63; s[52] = c64; s[53] = c65; s[54] = c66; s[55] = c67;
    s[56] = c70; s[57] = c71; s[58] = c72; s[59] = c73; s[60] = c74; s[61] = c75; s[62] = c76; s[63] = c77;
    storeTile(s, 8, y, yRow + j, ldy, rows, Math.min(8, j1 - j), bias, biasAt);
  }
}

/** Tiles of 4 rows × 8 columns over one 4-row panel (see storeTile for the stores). */
function panel4x8(pc: number, end: number, wOffset: number, j0: number, j1: number, ldy: number, y: FloatArray, yRow: number, rows: number, bias: FloatArray | undefined, biasAt: number): void {
  const xp = padded;
  const pw = packedW;
  const taps = tapOffsets;
  const bases = columnBases;
  const s = tileSums;
  let w = 0;
  for (let j = j0; j < j1; j += 8) {
    const b0 = bases[j], b1 = bases[j + 1], b2 = bases[j + 2], b3 = bases[j + 3], b4 = bases[j + 4], b5 = bases[j + 5], b6 = bases[j + 6], b7 = bases[j + 7];
    let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c04 = 0, c05 = 0, c06 = 0, c07 = 0;
    let c10 = 0, c11 = 0, c12 = 0, c13 = 0, c14 = 0, c15 = 0, c16 = 0, c17 = 0;
    let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c24 = 0, c25 = 0, c26 = 0, c27 = 0;
    let c30 = 0, c31 = 0, c32 = 0, c33 = 0, c34 = 0, c35 = 0, c36 = 0, c37 = 0;
    let wi = wOffset;
    for (let p = pc; p < end; p++) {
      const t = taps[p];
      const x0 = xp[b0 + t], x1 = xp[b1 + t], x2 = xp[b2 + t], x3 = xp[b3 + t], x4 = xp[b4 + t], x5 = xp[b5 + t], x6 = xp[b6 + t], x7 = xp[b7 + t];
      w = pw[wi]; c00 += w * x0; c01 += w * x1; c02 += w * x2; c03 += w * x3; c04 += w * x4; c05 += w * x5; c06 += w * x6; c07 += w * x7;
      w = pw[wi + 1]; c10 += w * x0; c11 += w * x1; c12 += w * x2; c13 += w * x3; c14 += w * x4; c15 += w * x5; c16 += w * x6; c17 += w * x7;
      w = pw[wi + 2]; c20 += w * x0; c21 += w * x1; c22 += w * x2; c23 += w * x3; c24 += w * x4; c25 += w * x5; c26 += w * x6; c27 += w * x7;
      w = pw[wi + 3]; c30 += w * x0; c31 += w * x1; c32 += w * x2; c33 += w * x3; c34 += w * x4; c35 += w * x5; c36 += w * x6; c37 += w * x7;
      wi += 4;
    }
    s[0] = c00; s[1] = c01; s[2] = c02; s[3] = c03; s[4] = c04; s[5] = c05; s[6] = c06; s[7] = c07;
    s[8] = c10; s[9] = c11; s[10] = c12; s[11] = c13; s[12] = c14; s[13] = c15; s[14] = c16; s[15] = c17;
    s[16] = c20; s[17] = c21; s[18] = c22; s[19] = c23; s[20] = c24; s[21] = c25; s[22] = c26; s[23] = c27;
    s[24] = c30; s[25] = c31; s[26] = c32; s[27] = c33; s[28] = c34; s[29] = c35; s[30] = c36; s[31] = c37;
    storeTile(s, 8, y, yRow + j, ldy, rows, Math.min(8, j1 - j), bias, biasAt);
  }
}

/**
 * Stores a tile from `sums` (row-major, `width` per row): its first `rows` × `cols` entries go to
 * y[yOffset + r·ldy + s], as sum + bias[biasAt + r] on the first tap slice (biasAt ≥ 0), added
 * to the running sum on later ones.
 */
function storeTile(sums: Float64Array, width: number, y: FloatArray, yOffset: number, ldy: number, rows: number, cols: number, bias: FloatArray | undefined, biasAt: number): void {
  for (let r = 0; r < rows; r++) {
    const o = yOffset + r * ldy;
    if (biasAt < 0) {
      for (let s = 0; s < cols; s++) y[o + s] += sums[r * width + s];
    } else {
      const b = bias === undefined ? 0 : bias[biasAt + r];
      for (let s = 0; s < cols; s++) y[o + s] = sums[r * width + s] + b;
    }
  }
}
