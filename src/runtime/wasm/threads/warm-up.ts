/**
 * Warms up the kernels of a new thread pool before it takes work. Starting threads compiles the
 * kernel module anew (for a shared memory), and V8 runs a wasm function with its baseline
 * compiler until it has run long enough to be tiered up: the first 512³ int8 GEMM after
 * startKernelThreads(2) took ~25 ms instead of ~4. Each worker runs the hot kernels a few times on
 * a private memory of its own — nothing in the shared memory is touched — before it says it is
 * ready; the optimised code then serves every thread using the module (~50 ms at start here).
 */
import { outputStage } from '../../../quant/output-stage.ts';
import { WasmArena } from '../arena.ts';
import type { KernelExports, WasmBackend } from '../backend.ts';
import { f32Conv, f32Depthwise, int8Conv, int8Depthwise } from '../conv.ts';
import { wasmSgemm } from '../f32-gemm.ts';
import { int8Gemm, packOperand } from '../int8-gemm.ts';

/** Rounds of the warm-up problems: enough for V8 to tier up every kernel they run. */
const ROUNDS = 12;

/** Runs the int8 and fp32 GEMMs, convolutions and depthwise convolutions on a private instance of `module`. */
export function warmUpKernels(module: WebAssembly.Module, maxPages: number): void {
  const memory = new WebAssembly.Memory({ initial: 16, maximum: maxPages, shared: true });
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const backend: WasmBackend = { exports: instance.exports as unknown as KernelExports, arena: new WasmArena(memory, maxPages), memory, module, relaxed: false, pool: undefined };
  const [m, n, k] = [64, 128, 256];
  const a = Int8Array.from({ length: m * k }, (_, i) => (i % 255) - 127);
  const b = Uint8Array.from({ length: k * n }, (_, i) => i % 256);
  const stage = outputStage({ multiplier: [1 << 30], shift: [-12] }, 3, 0, 255);
  const y = new Uint8Array(m * n);
  const fa = Float32Array.from(a);
  const fb = Float32Array.from(b);
  const fc = new Float32Array(m * n);
  // a 3×3 convolution 16 → 32 and a depthwise one on 32 planes of 24×24
  const size = 24;
  const window = { spatialRank: 2, input: [1, size, size], output: [1, size, size], kernel: [1, 3, 3], strides: [1, 1, 1], dilations: [1, 1, 1], padBegin: [0, 1, 1], padEnd: [0, 1, 1] };
  const x = Uint8Array.from({ length: 32 * size * size }, (_, i) => (i * 7) % 256);
  const w = Int8Array.from({ length: 32 * 16 * 9 }, (_, i) => (i % 255) - 127);
  const convY = new Uint8Array(32 * size * size);
  const convF = new Float32Array(32 * size * size);
  const weights = [packOperand(backend, { data: w, offset: 0, rowStride: 16 * 9, colStride: 1 }, 'rows', 32, 16 * 9)];
  const conv = { x, xZero: 5, w, wZero: new Int32Array(1), bias: undefined, dims: { batch: 1, channels: 16, featureMaps: 32, group: 1 }, window, stage };
  const depthwise = { ...conv, dims: { batch: 1, channels: 32, featureMaps: 32, group: 32 } };
  for (let round = 0; round < ROUNDS; round++) {
    int8Gemm(backend, { m, n, k, a: { view: { data: a, offset: 0, rowStride: k, colStride: 1 } }, b: { view: { data: b, offset: 0, rowStride: n, colStride: 1 } }, aZero: [0], bZero: [7], target: { kind: 'quantized', stage, axis: 'rows', channel0: 0, y, offset: 0, ld: n } });
    wasmSgemm(backend, false, false, m, n, k, 1, fa, k, fb, n, 0, fc, n);
    int8Conv(backend, conv, convY, weights);
    int8Depthwise(backend, depthwise, convY);
    f32Conv(backend, Float32Array.from(x.subarray(0, 16 * size * size)), fa.subarray(0, 32 * 16 * 9), undefined, conv.dims, window, convF);
    f32Depthwise(backend, Float32Array.from(x), fa.subarray(0, 32 * 9), undefined, depthwise.dims, window, convF);
  }
}
