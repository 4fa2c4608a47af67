/**
 * Max pooling of 8-bit tensors in wasm (kernels/int8/pool.ts): the values of float/pool.ts's
 * maxPool2d for the windows `isMaxPool2d` accepts, on int8/uint8 planes. On small quantized
 * models the pools between convolutions cost as much as a convolution in JavaScript.
 */
import type { Window } from '../kernels/float/window.ts';
import type { WasmBackend } from './backend.ts';
import { backendFor } from './parallel.ts';

/** Max pooling of `planes` planes of x (iH × iW each) into y, for a window isMaxPool2d accepts. */
export function maxPool8(shared: WasmBackend, x: Int8Array | Uint8Array, planes: number, window: Window, y: Int8Array | Uint8Array): void {
  const { arena, exports } = backendFor(shared, 0);
  const [, iH, iW] = window.input;
  const [, oH, oW] = window.output;
  const mark = arena.mark();
  try {
    const src = arena.copyIn(x);
    const row = arena.alloc(16 + iW + 32); // also the input's slack
    const out = arena.alloc(planes * oH * oW + 8);
    exports.maxPool8(src, planes, iH, iW, oH, oW, window.kernel[1], window.kernel[2], window.strides[1], window.strides[2], window.padBegin[1], window.padBegin[2], x instanceof Int8Array ? 1 : 0, row + 16, out);
    arena.copyOut(out, planes * oH * oW, y, 0);
  } finally {
    arena.release(mark);
  }
}
