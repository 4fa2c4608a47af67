// Entry of the relaxed-SIMD module: the baseline kernels plus those using relaxed SIMD
// (src/runtime/wasm/backend.ts loads it only when it validates and its self-test passes).
export * from './simd';
export { int4GemmRelaxed, int8PackQuads } from './int4/gemm-relaxed';
