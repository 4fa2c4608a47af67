// The wasm int8 GEMM (kernels/int8/gemm.ts through src/runtime/wasm/int8-gemm.ts) against the
// plain references: igemm-reference.ts for the int32 products, and quant/output-stage.ts for
// the requantized outputs — exact equality, on random shapes with the odd sizes 1, 3, 17, 63,
// 255, operands at their extremes, zero points at the range ends, per tensor and per line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requantizeColumns, requantizeOne, requantizeRows } from '../../../src/quant/output-stage.ts';
import { igemmReference } from '../../../src/runtime/kernels/integer/igemm-reference.ts';
import { wasmKernels } from '../../../src/runtime/wasm/index.ts';
import { int8Gemm, packOperand } from '../../../src/runtime/wasm/int8-gemm.ts';
import { matrix, ODD_SIZES, Random, reachOf, stageFor, values, zeroPoints, type Kind } from './helpers.ts';

const backend = wasmKernels();

test('the wasm kernels load on this engine (SIMD128)', () => {
  assert.ok(backend !== undefined, 'WebAssembly SIMD is expected in Node ≥ 20');
});

interface Case {
  m: number;
  n: number;
  k: number;
  aKind: Kind;
  bKind: Kind;
  transA: boolean;
  transB: boolean;
  mode: 'random' | 'low' | 'high' | 'ends';
  aZero: 'zero' | 'low' | 'high' | 'random' | 'per-line';
  bZero: 'zero' | 'low' | 'high' | 'random' | 'per-line';
}

function randomCase(random: Random, i: number): Case {
  const size = (): number => (random.uniform() < 0.6 ? random.pick(ODD_SIZES.slice(0, 4)) : random.int(1, 40));
  const big = i % 9 === 0; // every ninth case has one dimension of 255
  const dims = [size(), size(), size()];
  if (big) dims[random.int(0, 2)] = 255;
  return {
    m: dims[0],
    n: dims[1],
    k: dims[2],
    aKind: random.pick<Kind>(['uint8', 'int8']),
    bKind: random.pick<Kind>(['int8', 'int8', 'uint8']),
    transA: random.uniform() < 0.25,
    transB: random.uniform() < 0.25,
    mode: random.pick(['random', 'random', 'low', 'high', 'ends'] as const),
    aZero: random.pick(['zero', 'low', 'high', 'random', 'per-line'] as const),
    bZero: random.pick(['zero', 'zero', 'low', 'high', 'per-line'] as const),
  };
}

test('int32 products equal the plain reference: u8×s8, s8×s8, u8×u8, s8×u8, transposes, zero points per tensor and per line', () => {
  const random = new Random(1);
  for (let i = 0; i < 60; i++) {
    const c = randomCase(random, i);
    const a = matrix(values(random, c.aKind, c.m * c.k, c.mode), c.m, c.k, c.transA);
    const b = matrix(values(random, c.bKind, c.k * c.n, c.mode), c.k, c.n, c.transB);
    const aZero = zeroPoints(random, c.aKind, c.m, c.aZero);
    const bZero = zeroPoints(random, c.bKind, c.n, c.bZero);
    const want = new Int32Array(c.m * c.n);
    igemmReference(c.m, c.n, c.k, a, aZero, b, bZero, want);
    // written into a larger C at an offset with a leading dimension: the rest stays untouched
    const ld = c.n + 3;
    const got = new Int32Array(5 + c.m * ld).fill(-7);
    int8Gemm(backend!, { m: c.m, n: c.n, k: c.k, a: { view: a }, b: { view: b }, aZero, bZero, target: { kind: 'int32', c: got, offset: 5, ld } });
    for (let r = 0; r < c.m; r++) {
      assert.deepEqual(got.subarray(5 + r * ld, 5 + r * ld + c.n), want.subarray(r * c.n, (r + 1) * c.n), `case ${i} ${JSON.stringify(c)} row ${r}`);
      if (r + 1 < c.m) assert.deepEqual([...got.subarray(5 + r * ld + c.n, 5 + (r + 1) * ld)], [-7, -7, -7], `case ${i}: padding after row ${r}`);
    }
  }
});

test('requantized outputs equal the output stage of quant/output-stage.ts: channels along rows or columns, per tensor, int8 and uint8, bias', () => {
  const random = new Random(2);
  let informative = 0; // cases whose outputs are not all saturated (one-signed products with a zero point at the end saturate legitimately)
  for (let i = 0; i < 60; i++) {
    const c = randomCase(random, i);
    const a = matrix(values(random, c.aKind, c.m * c.k, c.mode), c.m, c.k, c.transA);
    const b = matrix(values(random, c.bKind, c.k * c.n, c.mode), c.k, c.n, c.transB);
    const aZero = zeroPoints(random, c.aKind, c.m, c.aZero);
    const bZero = zeroPoints(random, c.bKind, c.n, c.bZero);
    const acc = new Int32Array(c.m * c.n);
    igemmReference(c.m, c.n, c.k, a, aZero, b, bZero, acc);
    const axis = random.pick(['rows', 'columns'] as const);
    const channels = axis === 'rows' ? c.m : c.n;
    const bias = random.uniform() < 0.7 ? Int32Array.from({ length: channels }, () => random.int(-50000, 50000)) : undefined;
    if (bias !== undefined) for (let p = 0; p < acc.length; p++) acc[p] = (acc[p] + bias[axis === 'rows' ? Math.floor(p / c.n) : p % c.n]) | 0;
    const yKind = random.pick<Kind>(['int8', 'uint8']);
    const stage = stageFor(random, yKind, random.uniform() < 0.5 ? 1 : channels, reachOf(acc), random.pick(['low', 'high', 'random'] as const));
    const want = yKind === 'uint8' ? new Uint8Array(c.m * c.n) : new Int8Array(c.m * c.n);
    if (axis === 'rows') requantizeRows(stage, acc, 0, want, 0, c.m, c.n, 0);
    else requantizeColumns(stage, acc, 0, want, 0, c.m, c.n);
    const got = yKind === 'uint8' ? new Uint8Array(c.m * c.n) : new Int8Array(c.m * c.n);
    int8Gemm(backend!, {
      m: c.m,
      n: c.n,
      k: c.k,
      a: { view: a },
      b: { view: b },
      aZero,
      bZero,
      rowBias: axis === 'rows' && bias !== undefined ? { data: bias, offset: 0 } : undefined,
      colBias: axis === 'columns' ? bias : undefined,
      target: { kind: 'quantized', stage, axis, channel0: 0, y: got, offset: 0, ld: c.n },
    });
    assert.deepEqual(got, want, `case ${i} ${JSON.stringify({ ...c, axis, yKind })}`);
    if (new Set(want).size > 2) informative++;
  }
  assert.ok(informative >= 30, `only ${informative} of 60 cases had unsaturated outputs`);
});

test('the output stage in wasm equals requantizeOne on int32 accumulators across the whole range (bias-only products)', () => {
  // k = 1 and A = 0: every accumulator is its bias, so any int32 reaches the output stage
  const random = new Random(3);
  const n = 64;
  const edges = [-2147483648, 2147483647, -2147483647, 0, 1, -1, 1 << 30, -(1 << 30)];
  for (let trial = 0; trial < 40; trial++) {
    const yKind = random.pick<Kind>(['int8', 'uint8', 'int4']);
    const bias = Int32Array.from({ length: n }, (_, j) => (j < edges.length ? edges[j] : Math.round((random.uniform() * 2 - 1) * 2 ** random.int(0, 31))) | 0);
    // multipliers from 2^−34 (rounds to 0) to 2^20 (shift > 0 and no headroom)
    const stage = stageFor(random, yKind, n, 2 ** random.int(-20, 33));
    const got = yKind === 'uint8' ? new Uint8Array(n) : new Int8Array(n);
    const zero = new Int8Array(1);
    int8Gemm(backend!, { m: 1, n, k: 1, a: { view: matrix(zero, 1, 1, false) }, b: { view: matrix(new Int8Array(n), 1, n, false) }, aZero: [0], bZero: [0], colBias: bias, target: { kind: 'quantized', stage, axis: 'columns', channel0: 0, y: got, offset: 0, ld: n } });
    for (let j = 0; j < n; j++) assert.equal(got[j], requantizeOne(stage, j, bias[j]), `trial ${trial} column ${j}: acc ${bias[j]}, M0 ${stage.multiplier[j]}, shift ${stage.shift[j]}`);
  }
});

test('an operand packed once (packOperand) gives the same results as packing per call', () => {
  const random = new Random(4);
  const [m, n, k] = [17, 63, 33];
  const a = matrix(values(random, 'uint8', m * k), m, k, false);
  const b = matrix(values(random, 'int8', k * n), k, n, true);
  const packed = packOperand(backend!, b, 'columns', n, k);
  const once = new Int32Array(m * n);
  const each = new Int32Array(m * n);
  int8Gemm(backend!, { m, n, k, a: { view: a }, b: { packed }, aZero: [200], bZero: [0], target: { kind: 'int32', c: once, offset: 0, ld: n } });
  int8Gemm(backend!, { m, n, k, a: { view: a }, b: { view: b }, aZero: [200], bZero: [0], target: { kind: 'int32', c: each, offset: 0, ld: n } });
  assert.deepEqual(once, each);
});
