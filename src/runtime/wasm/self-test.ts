/**
 * Self-tests run when the backend loads (backend.ts): small problems through the wasm kernels,
 * compared with the plain TypeScript references. An engine that validates a module but computes
 * it wrongly — Node 20's baseline compiler returns twice the relaxed dot product until the
 * function tiers up — is caught here, on the very first calls, and its kernels are not used.
 */
import { igemmReference } from '../kernels/integer/igemm-reference.ts';
import { gemmReference } from '../kernels/float/gemm-reference.ts';
import { outputStage, requantizeColumns } from '../../quant/output-stage.ts';
import { quantizeMultiplier } from '../../numeric/fixedpoint.ts';
import type { WasmBackend } from './backend.ts';
import { wasmSgemm } from './f32-gemm.ts';
import { int4Gemm, packInt4Weights } from './int4-gemm.ts';
import { int8Gemm } from './int8-gemm.ts';

const M = 5;
const N = 11;
const K = 9;

/** Deterministic operands: uint8 activations with extremes, int4-valued int8 weights, a bias. */
function operands(): { a: Uint8Array; b: Int8Array; bias: Int32Array } {
  const a = Uint8Array.from({ length: M * K }, (_, i) => (i % 7 === 0 ? 255 : (i * 37) % 256));
  const b = Int8Array.from({ length: K * N }, (_, i) => (i % 5 === 0 ? -8 : ((i * 11) % 16) - 8));
  const bias = Int32Array.from({ length: N }, (_, j) => (j * 997) % 2000 - 1000);
  return { a, b, bias };
}

/** The same product through the reference and the output stage, per column. */
function expected(a: Uint8Array, b: Int8Array, bias: Int32Array, aZero: number, stage: ReturnType<typeof outputStage>): Int8Array {
  const acc = new Int32Array(M * N);
  igemmReference(M, N, K, { data: a, offset: 0, rowStride: K, colStride: 1 }, [aZero], { data: b, offset: 0, rowStride: N, colStride: 1 }, [0], acc);
  for (let i = 0; i < M * N; i++) acc[i] = (acc[i] + bias[i % N]) | 0;
  const y = new Int8Array(M * N);
  requantizeColumns(stage, acc, 0, y, 0, M, N);
  return y;
}

function testStage(): ReturnType<typeof outputStage> {
  const multipliers = Array.from({ length: N }, (_, j) => quantizeMultiplier(0.0007 * (j + 1)));
  return outputStage({ multiplier: multipliers.map((q) => q.multiplier), shift: multipliers.map((q) => q.shift) }, -3, -128, 127);
}

function differs(x: ArrayLike<number>, y: ArrayLike<number>): boolean {
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return true;
  return x.length !== y.length;
}

/** The int8 GEMM with its requantizing epilogue, the int4 (dot_i16x8) GEMM and the fp32 GEMM. */
export function baselineSelfTest(backend: WasmBackend): string | undefined {
  const { a, b, bias } = operands();
  const stage = testStage();
  const want = expected(a, b, bias, 131, stage);
  const problem = { m: M, n: N, k: K, aZero: [131], bZero: [0], colBias: bias };
  const target = (y: Int8Array) => ({ kind: 'quantized' as const, stage, axis: 'columns' as const, channel0: 0, y, offset: 0, ld: N });
  const got = new Int8Array(M * N);
  int8Gemm(backend, { ...problem, a: { view: { data: a, offset: 0, rowStride: K, colStride: 1 } }, b: { view: { data: b, offset: 0, rowStride: N, colStride: 1 } }, target: target(got) });
  if (differs(got, want)) return 'int8 GEMM';
  const got4 = new Int8Array(M * N);
  int4Gemm(backend, { ...problem, a: { data: a, offset: 0, rowStride: K, colStride: 1 }, target: target(got4) }, packInt4Weights({ data: b, offset: 0, rowStride: N, colStride: 1 }, K, N, 'pairs'));
  if (differs(got4, want)) return 'int4 GEMM';
  // small integers: every float32 sum is exact, in any order
  const fa = Float32Array.from(a, (v) => v - 128);
  const fb = Float32Array.from(b);
  const fc = new Float32Array(M * N);
  const fr = new Float64Array(M * N);
  wasmSgemm(backend, false, false, M, N, K, 1, fa, K, fb, N, 0, fc, N);
  gemmReference(false, false, M, N, K, 1, fa, K, fb, N, 0, fr, N);
  if (differs(fc, fr)) return 'fp32 GEMM';
  return undefined;
}

/** The relaxed-SIMD int4 GEMM, several calls (an engine may be wrong only before tier-up, or only after). */
export function relaxedSelfTest(backend: WasmBackend): string | undefined {
  const { a, b, bias } = operands();
  const stage = testStage();
  const want = expected(a, b, bias, 131, stage);
  const weights = packInt4Weights({ data: b, offset: 0, rowStride: N, colStride: 1 }, K, N, 'quads');
  for (let round = 0; round < 3; round++) {
    const got = new Int8Array(M * N);
    int4Gemm(backend, { m: M, n: N, k: K, aZero: [131], bZero: [0], colBias: bias, a: { data: a, offset: 0, rowStride: K, colStride: 1 }, target: { kind: 'quantized', stage, axis: 'columns', channel0: 0, y: got, offset: 0, ld: N } }, weights);
    if (differs(got, want)) return `relaxed int4 GEMM, call ${round + 1}`;
  }
  return baselineSelfTest(backend);
}
