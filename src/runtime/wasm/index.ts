/**
 * The wasm kernels' public face: the backend with its self-tests registered. Kernels and
 * applications import from here (backend.ts alone has no self-tests and loads nothing).
 */
import { registerSelfTests } from './backend.ts';
import { baselineSelfTest, relaxedSelfTest } from './self-test.ts';

registerSelfTests({ baseline: baselineSelfTest, relaxed: relaxedSelfTest });

export { createKernelMemory, initWasmKernels, installBackend, loadBackend, setWasmEnabled, wasmEnabled, wasmKernels, wasmStatus, type WasmBackend, type WasmStatus } from './backend.ts';
