/**
 * Window geometry as small integers, for the hot loops' index arithmetic.
 *
 * Shapes and integer attributes come out of the ONNX importer as arrays of doubles (V8 keeps
 * such arrays unboxed as float64). Numbers read from them can stay float64 in optimized code,
 * and so can the offsets computed from them, which then need converting back to int32 for
 * every typed-array access; the hot loop's type feedback also differs from a call with integer
 * geometry. Measured: mnist-8's second convolution ran about 30% slower once the kernel had
 * seen the model's geometry. `v | 0` turns a value into an int32 once, at the kernel's entry;
 * window sizes are far below 2^31.
 */
import type { Window } from './window.ts';

/** [a | 0, b | 0, c | 0] for a three-entry window array. */
function int3(values: readonly number[]): number[] {
  return [values[0] | 0, values[1] | 0, values[2] | 0];
}

/** Integer copies of windows (windows are cached per node, so runs find theirs here). */
const intWindows = new WeakMap<Window, Window>();

/** The same window with every number an int32 (the same object for the same window). */
export function intWindow(window: Window): Window {
  let copy = intWindows.get(window);
  if (copy === undefined) intWindows.set(window, (copy = intWindowOf(window)));
  return copy;
}

function intWindowOf(window: Window): Window {
  return {
    spatialRank: window.spatialRank | 0,
    input: int3(window.input),
    output: int3(window.output),
    kernel: int3(window.kernel),
    strides: int3(window.strides),
    dilations: int3(window.dilations),
    padBegin: int3(window.padBegin),
    padEnd: int3(window.padEnd),
  };
}
