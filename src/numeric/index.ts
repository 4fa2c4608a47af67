/**
 * numeric/: the number formats under quantization, with no dependency beyond src/errors.ts.
 */
export * from './rounding.ts'; // rounding modes: half-to-even, half-away, floor, ceil, toward zero, stochastic
export * from './exact-rounding.ts'; // the same modes on exact rationals (BigInt)
export * from './integer.ts'; // 1–32-bit two's complement / unsigned: codes, wrap, saturate, bit and hex views
export * from './dyadic.ts'; // exact m · 2^e arithmetic behind fixed point
export * from './slope-bias.ts'; // real = s · q + z
export * from './qformat.ts'; // Qm.n = slope-bias with s = 2^−n, z = 0
export * from './minifloat.ts'; // float16, bfloat16, float8 (e4m3fn, e4m3fnuz, e5m2, e5m2fnuz)
export * from './decimal.ts'; // n-significant-digit decimal arithmetic (catastrophic cancellation)
export * from './error.ts'; // absolute/relative error, ulp distance, MSE, max error, SQNR
export * from './fixedpoint.ts'; // gemmlowp primitives: rounding doubling high multiply, rounding shift, quantized multipliers
