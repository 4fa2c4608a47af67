// Max pooling of 8-bit planes (src/runtime/kernels/float/pool.ts's maxPool2d on int8/uint8): per
// output row, the rows its window covers (clipped to the input, so padding never wins) are
// reduced to one row with i8x16.max, sixteen columns at a time; then each output takes the max
// of its clipped column range of that row — eight outputs per shuffle for the 2 × 2 / 2 case of
// downsampling, a scalar loop otherwise. A window with no input tap gives 0, as the float kernel's
// −∞ does when stored in an 8-bit array. Vectors run past the ends of rows (into the next row, or
// the slack the caller leaves): those lanes land in scratch or in outputs written again later.

/**
 * `planes` planes iH × iW of bytes at x (signed: int8; 16 bytes of slack after them) pooled with
 * window kH × kW, strides sH, sW and leading pads pH, pW into oH × oW bytes per plane at out (8
 * bytes of slack after them). `row`: iW + 32 bytes of scratch.
 */
export function maxPool8(x: usize, planes: i32, iH: i32, iW: i32, oH: i32, oW: i32, kH: i32, kW: i32, sH: i32, sW: i32, pH: i32, pW: i32, signed: i32, row: usize, out: usize): void {
  const plane = <usize>iH * iW;
  const halving = kW === 2 && sW === 2 && pW === 0 && 2 * oW <= iW;
  const vectorOutputs = halving ? oW : 0;
  for (let c = 0; c < planes; c++) {
    const base = x + <usize>c * plane;
    for (let oh = 0; oh < oH; oh++) {
      const h0 = max(0, oh * sH - pH);
      const h1 = min(iH, oh * sH - pH + kH);
      if (h0 >= h1) {
        memory.fill(out, 0, oW);
        out += oW;
        continue;
      }
      verticalMax(base + <usize>h0 * iW, h1 - h0, iW, signed, row);
      for (let ow = 0; ow < vectorOutputs; ow += 8) {
        const v = v128.load(row + (<usize>ow << 1));
        const even = i8x16.shuffle(v, v, 0, 2, 4, 6, 8, 10, 12, 14, 0, 2, 4, 6, 8, 10, 12, 14);
        const odd = i8x16.shuffle(v, v, 1, 3, 5, 7, 9, 11, 13, 15, 1, 3, 5, 7, 9, 11, 13, 15);
        v128.store64_lane(out + ow, signed ? i8x16.max_s(even, odd) : i8x16.max_u(even, odd), 0);
      }
      for (let ow = vectorOutputs; ow < oW; ow++) {
        const w0 = max(0, ow * sW - pW);
        const w1 = min(iW, ow * sW - pW + kW);
        store<u8>(out + ow, w0 < w1 ? rangeMax(row, w0, w1, signed) : 0);
      }
      out += oW;
    }
  }
}

/** row[w] = max over `rows` rows from `from` (stride iW) of column w, for w < iW. */
function verticalMax(from: usize, rows: i32, iW: i32, signed: i32, row: usize): void {
  memory.copy(row, from, iW);
  for (let h = 1; h < rows; h++) {
    const src = from + <usize>h * iW;
    for (let w = 0; w < iW; w += 16) {
      const a = v128.load(row + w), b = v128.load(src + w);
      v128.store(row + w, signed ? i8x16.max_s(a, b) : i8x16.max_u(a, b));
    }
  }
}

/** max of row[w0 … w1) as a byte (w0 < w1). */
function rangeMax(row: usize, w0: i32, w1: i32, signed: i32): u8 {
  if (signed) {
    let best = load<i8>(row + w0);
    for (let w = w0 + 1; w < w1; w++) best = max(best, load<i8>(row + w));
    return <u8>best;
  }
  let best = load<u8>(row + w0);
  for (let w = w0 + 1; w < w1; w++) best = max(best, load<u8>(row + w));
  return best;
}
