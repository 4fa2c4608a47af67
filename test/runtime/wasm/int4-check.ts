// The int4 GEMM check shared by int4-gemm.test.ts and its relaxed-SIMD child process: random
// problems (odd sizes, extremes, zero points per tensor and per column) through int4Gemm against
// igemm-reference.ts on the unpacked weights, int32 and requantized, exact equality.
import assert from 'node:assert/strict';
import { requantizeColumns } from '../../../src/quant/output-stage.ts';
import { igemmReference } from '../../../src/runtime/kernels/integer/igemm-reference.ts';
import { wasmKernels } from '../../../src/runtime/wasm/index.ts';
import { int4Gemm, packInt4Weights } from '../../../src/runtime/wasm/int4-gemm.ts';
import { matrix, ODD_SIZES, Random, reachOf, stageFor, values, zeroPoints, type Kind } from './helpers.ts';

/** Checks `layout` on random problems; returns the number of cases. */
export function checkInt4(layout: 'pairs' | 'quads', seed: number, cases: number): number {
  const b = wasmKernels()!;
  const random = new Random(seed);
  for (let i = 0; i < cases; i++) {
    const pick = (): number => (random.uniform() < 0.5 ? random.pick(ODD_SIZES.slice(0, 4)) : random.int(1, 30));
    const [m, n, k] = [pick(), pick(), i % 7 === 0 ? 255 : pick()];
    const aKind = random.pick<Kind>(['uint8', 'int8']);
    const a = matrix(values(random, aKind, m * k, random.pick(['random', 'random', 'low', 'high'] as const)), m, k, random.uniform() < 0.2);
    const w = matrix(values(random, 'int4', k * n, random.pick(['random', 'random', 'low', 'high', 'ends'] as const)), k, n, random.uniform() < 0.2);
    const aZero = zeroPoints(random, aKind, m, random.pick(['zero', 'low', 'high', 'random'] as const));
    const bZero = zeroPoints(random, 'int4', n, random.pick(['zero', 'zero', 'low', 'high', 'per-line'] as const));
    const acc = new Int32Array(m * n);
    igemmReference(m, n, k, a, aZero, w, bZero, acc);
    const weights = packInt4Weights(w, k, n, layout);
    const got = new Int32Array(m * n);
    int4Gemm(b, { m, n, k, a, aZero, bZero, target: { kind: 'int32', c: got, offset: 0, ld: n } }, weights);
    assert.deepEqual(got, acc, `${layout} case ${i}: ${m}×${n}×${k} ${aKind}`);
    const bias = Int32Array.from({ length: n }, () => random.int(-3000, 3000));
    for (let p = 0; p < acc.length; p++) acc[p] = (acc[p] + bias[p % n]) | 0;
    const yKind = random.pick<Kind>(['int8', 'uint8']);
    const stage = stageFor(random, yKind, random.uniform() < 0.5 ? 1 : n, reachOf(acc));
    const want = yKind === 'uint8' ? new Uint8Array(m * n) : new Int8Array(m * n);
    requantizeColumns(stage, acc, 0, want, 0, m, n);
    const y = yKind === 'uint8' ? new Uint8Array(m * n) : new Int8Array(m * n);
    int4Gemm(b, { m, n, k, a, aZero, bZero, colBias: bias, target: { kind: 'quantized', stage, axis: 'columns', channel0: 0, y, offset: 0, ld: n } }, weights);
    assert.deepEqual(y, want, `${layout} case ${i}, requantized`);
  }
  return cases;
}
