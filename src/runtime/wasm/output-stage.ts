/**
 * The output stage of src/quant/output-stage.ts (docs/QUANTIZATION.md eqs. (15)–(18a)) as the
 * six int32 arrays kernels/int8/requantize.ts reads per channel — the same integers, arranged
 * for lanes: wasm SIMD has no per-lane shift count, so the rounding right shift by r becomes a
 * multiplication by 2^(31−r) (0 marks r = 0), and the headroom 2^L and the left shift of
 * eq. (17) merge into one int32 factor (both wrap like Math.imul).
 */
import type { OutputStage } from '../../quant/output-stage.ts';

/** Arrays per stage, in this order: bound, scale, multiplier, shift multiplier, mask, half, right shift. */
export const STAGE_ARRAYS = 7;

/**
 * The arrays for channels [first, first + count) of `stage` (per tensor: channel 0, count 1),
 * each padded with zeros to `length` entries; back to back in one Int32Array.
 */
export function stageArrays(stage: OutputStage, first: number, count: number, length: number): Int32Array {
  const out = new Int32Array(STAGE_ARRAYS * length);
  const perChannel = stage.multiplier.length > 1;
  for (let i = 0; i < count; i++) {
    const c = perChannel ? first + i : 0;
    const shift = stage.shift[c];
    const left = shift > 0 ? shift : 0;
    const right = shift > 0 ? 0 : -shift;
    out[i] = stage.bound[c];
    out[length + i] = Math.imul(stage.headroom[c], 1 << left);
    out[2 * length + i] = stage.multiplier[c];
    out[3 * length + i] = right === 0 ? 0 : 2 ** (31 - right);
    out[4 * length + i] = ((1 << right) - 1) | 0;
    out[5 * length + i] = (((1 << right) - 1) | 0) >> 1;
    out[6 * length + i] = right;
  }
  return out;
}
