/**
 * Gathering through one index map per axis: out[o0, …, ok] = x[map0[o0], …, mapk[ok]], or a
 * fill value where any map entry is −1. Pad (every mode) and nearest-neighbour Resize are this
 * one loop with different maps.
 */
import { stridesOf, tensor, type Tensor } from '../../../ir/tensor.ts';

/** The gathered tensor; `maps[a]` has one source index (or −1) per output position on axis a. */
export function gatherAxisMaps(x: Tensor, maps: readonly Int32Array[], fill: number): Tensor {
  const rank = x.shape.length;
  const out = tensor(x.dtype, maps.map((m) => m.length));
  const dst = out.data;
  const src = x.data;
  if (dst.length === 0) return out;
  if (rank === 0) {
    dst[0] = src[0];
    return out;
  }
  // Pre-multiply each map by its axis stride; −1 stays the "fill" marker.
  const strides = stridesOf(x.shape);
  const offsets = maps.map((m, a) => Float64Array.from(m, (i) => (i < 0 ? -1 : i * strides[a])));
  const last = offsets[rank - 1];
  const n = last.length;
  const index = new Array<number>(rank - 1).fill(0);
  for (let o = 0; o < dst.length; o += n) {
    let base = 0;
    for (let a = 0; a < rank - 1 && base >= 0; a++) {
      const off = offsets[a][index[a]];
      base = off < 0 ? -1 : base + off;
    }
    if (base < 0) {
      dst.fill(fill, o, o + n);
    } else {
      for (let j = 0; j < n; j++) {
        const m = last[j];
        dst[o + j] = m < 0 ? fill : src[base + m];
      }
    }
    for (let a = rank - 2; a >= 0; a--) {
      if (++index[a] < maps[a].length) break;
      index[a] = 0;
    }
  }
  return out;
}
