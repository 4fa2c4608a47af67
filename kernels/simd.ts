// Entry of the baseline module (WebAssembly SIMD128): every kernel src/runtime/wasm calls.
export { int8PackColumns, int8PackLines, int8PackStrided } from './int8/pack';
export { int8Gemm } from './int8/gemm';
export { maxPool8 } from './int8/pool';
export { quantizeF32 } from './int8/quantize';
export { f32Pack, f32PackColumns, f32Gemm } from './f32/gemm';
export { copyRuns, padPlanes, im2colPairsContiguous, im2colPairsGather, im2colF32Contiguous, im2colF32Gather } from './conv/im2col';
export { int8Depthwise, f32Depthwise } from './conv/depthwise';
export { int4Gemm } from './int4/gemm';
