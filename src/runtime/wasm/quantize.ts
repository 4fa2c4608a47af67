/**
 * QuantizeLinear of float32 into 8-bit storage with one scale and zero point, in wasm
 * (kernels/int8/quantize.ts): the integers of src/quant/quantize.ts (eq. (2)) sixteen at a time.
 * The input of a quantized model passes through it on every run.
 */
import type { WasmBackend } from './backend.ts';
import { backendFor } from './parallel.ts';

/**
 * q[i] = clamp(round_half_to_even(fl32(x[i] / scale)) + zeroPoint, qmin, qmax) into y. Returns −1,
 * or the index of the first NaN/±∞ in x (y is then incomplete).
 */
export function quantizeToBytes(shared: WasmBackend, x: Float32Array, scale: number, zeroPoint: number, qmin: number, qmax: number, y: Int8Array | Uint8Array): number {
  const { arena, exports } = backendFor(shared, 0);
  const mark = arena.mark();
  try {
    const src = arena.copyIn(x);
    const out = arena.alloc(x.length);
    const bad = exports.quantizeF32(src, x.length, scale, zeroPoint, qmin, qmax, y instanceof Uint8Array ? 1 : 0, out);
    if (bad < 0) arena.copyOut(out, x.length, y, 0);
    return bad;
  } finally {
    arena.release(mark);
  }
}
