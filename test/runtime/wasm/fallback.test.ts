// The TypeScript paths stay the fallback where WebAssembly SIMD is missing: every wired kernel
// (QLinearConv incl. depthwise, QLinearMatMul incl. batches, QGemm with each bias form and float
// output, igemm) gives the same integers with wasm off as with wasm on (and the wasm path equals
// the plain references: the other tests here), and the float kernels agree within float32 error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DType } from '../../../src/ir/dtype.ts';
import type { Attribute, Node } from '../../../src/ir/graph.ts';
import { tensor, type Tensor } from '../../../src/ir/tensor.ts';
import { convImpl } from '../../../src/runtime/kernels/float/conv.ts';
import { sgemm } from '../../../src/runtime/kernels/float/sgemm.ts';
import { convWindow } from '../../../src/runtime/kernels/float/window.ts';
import { igemm } from '../../../src/runtime/kernels/integer/igemm.ts';
import { integerKernels } from '../../../src/runtime/kernels/integer/register.ts';
import { setWasmEnabled } from '../../../src/runtime/wasm/index.ts';
import { matrix, Random, values, zeroPoints, type Kind } from './helpers.ts';

const registry = integerKernels();

/** Runs `compute` with wasm on and off; returns both results. */
function both<T>(compute: () => T): { wasm: T; plain: T } {
  setWasmEnabled(true);
  const wasm = compute();
  setWasmEnabled(false);
  try {
    return { wasm, plain: compute() };
  } finally {
    setWasmEnabled(true);
  }
}

function run(op: string, domain: string, inputs: (Tensor | undefined)[], attributes: Record<string, Attribute> = {}): Tensor {
  // a fresh node per call: nothing prepared with one path is reused by the other
  const node: Node = { name: `${op}_fallback`, opType: op, domain, inputs: [], outputs: ['y'], attributes };
  return registry.get(op, domain)!.impl(inputs, node)[0];
}

const ints = (value: number[]): Attribute => ({ type: 'ints', value });
const one = (dtype: DType, v: number): Tensor => tensor(dtype, [], dtype === 'float32' ? Float32Array.of(v) : dtype === 'uint8' ? Uint8Array.of(v) : dtype === 'int32' ? Int32Array.of(v) : Int8Array.of(v));
const arr = (dtype: DType, shape: number[], data: ArrayLike<number>): Tensor => tensor(dtype, shape, dtype === 'float32' ? Float32Array.from(data) : dtype === 'uint8' ? Uint8Array.from(data) : dtype === 'int32' ? Int32Array.from(data) : Int8Array.from(data));

test('QLinearConv (general, pointwise, depthwise, strided) gives the same integers with and without wasm', () => {
  const random = new Random(41);
  for (let i = 0; i < 24; i++) {
    const depthwise = i % 3 === 0;
    const group = depthwise ? random.int(2, 5) : 1;
    const channels = depthwise ? group : random.int(1, 8);
    const maps = depthwise ? group * random.int(1, 2) : random.int(1, 12);
    const kernel = random.pick([1, 3, 5]);
    const size = random.int(kernel, 20);
    const xType = random.pick<Kind>(['uint8', 'int8']);
    const x = values(random, xType, channels * size * size);
    const w = values(random, 'int8', maps * (channels / group) * kernel * kernel);
    const perChannel = random.uniform() < 0.5;
    const inputs = [
      arr(xType, [1, channels, size, size], x), one('float32', 0.02), one(xType, zeroPoints(random, xType, 1, 'random')[0]),
      arr('int8', [maps, channels / group, kernel, kernel], w), perChannel ? arr('float32', [maps], Array.from({ length: maps }, () => 0.001 + 0.01 * random.uniform())) : one('float32', 0.005), perChannel ? arr('int8', [maps], new Array(maps).fill(0)) : one('int8', 0),
      one('float32', 0.1 + random.uniform()), one(xType, zeroPoints(random, xType, 1, 'random')[0]),
      random.uniform() < 0.7 ? arr('int32', [maps], Array.from({ length: maps }, () => random.int(-9000, 9000))) : undefined,
    ];
    const stride = random.pick([1, 1, 2]);
    const attributes = { group: { type: 'int', value: group } as Attribute, strides: ints([stride, stride]), pads: ints(Array(4).fill(kernel >> 1)) };
    const { wasm, plain } = both(() => run('QLinearConv', '', inputs, attributes));
    assert.deepEqual(wasm.data, plain.data, `case ${i}`);
  }
});

test('QLinearMatMul (shared and batched b) and QGemm (no C, C per column, per row, full, float output) give the same results with and without wasm', () => {
  const random = new Random(42);
  for (let i = 0; i < 16; i++) {
    const [m, n, k] = [random.int(1, 40), random.int(1, 40), random.int(1, 70)];
    const aType = random.pick<Kind>(['uint8', 'int8']);
    const a = arr(aType, [2, m, k], values(random, aType, 2 * m * k));
    const batchedB = i % 4 === 0;
    const b = arr('int8', batchedB ? [2, k, n] : [k, n], values(random, 'int8', (batchedB ? 2 : 1) * k * n));
    const matmulInputs = [a, one('float32', 0.03), one(aType, random.int(0, 100)), b, one('float32', 0.002), one('int8', 0), one('float32', 0.5), one(aType, 5)];
    const matmul = both(() => run('QLinearMatMul', '', matmulInputs));
    assert.deepEqual(matmul.wasm.data, matmul.plain.data, `QLinearMatMul case ${i}`);
    const a2 = arr(aType, [m, k], values(random, aType, m * k));
    const b2 = arr('int8', [k, n], values(random, 'int8', k * n));
    const bias = [undefined, arr('int32', [n], Array.from({ length: n }, () => random.int(-500, 500))), arr('int32', [m, 1], Array.from({ length: m }, () => random.int(-500, 500))), arr('int32', [m, n], Array.from({ length: m * n }, () => random.int(-500, 500)))][i % 4];
    const quantized = i % 5 !== 0;
    const inputs = [a2, one('float32', 0.03), one(aType, 7), b2, arr('float32', [n], Array.from({ length: n }, () => 0.001 + 0.003 * random.uniform())), arr('int8', [n], new Array(n).fill(0)), bias, quantized ? one('float32', 0.4) : undefined, quantized ? one(aType, 3) : undefined];
    const gemm = both(() => run('QGemm', 'com.microsoft', inputs));
    assert.deepEqual(gemm.wasm.data, gemm.plain.data, `QGemm case ${i}`);
  }
});

test('igemm gives the same int32 products with and without wasm', () => {
  const random = new Random(43);
  for (let i = 0; i < 10; i++) {
    const [m, n, k] = [random.int(1, 60), random.int(1, 60), random.int(1, 60)];
    const a = matrix(values(random, 'uint8', m * k), m, k, i % 2 === 0);
    const b = matrix(values(random, 'int8', k * n), k, n, i % 3 === 0);
    const aZero = zeroPoints(random, 'uint8', m, 'per-line');
    const bZero = zeroPoints(random, 'int8', n, 'random');
    const { wasm, plain } = both(() => {
      const c = new Int32Array(m * n);
      igemm(m, n, k, a, aZero, b, bZero, c);
      return c;
    });
    assert.deepEqual(wasm, plain, `case ${i}`);
  }
});

test('float sgemm and convolution agree with and without wasm within float32 rounding', () => {
  const random = new Random(44);
  const [m, n, k] = [50, 60, 70];
  const a = Float32Array.from({ length: m * k }, () => random.uniform() - 0.5);
  const b = Float32Array.from({ length: k * n }, () => random.uniform() - 0.5);
  const gemm = both(() => {
    const c = new Float32Array(m * n);
    sgemm(false, true, m, n, k, 1, a, k, b, k, 0, c, n);
    return c;
  });
  for (let i = 0; i < m * n; i++) assert.ok(Math.abs(gemm.wasm[i] - gemm.plain[i]) <= 1e-5, `sgemm ${i}`);
  const node: Node = { name: 'conv', opType: 'Conv', domain: '', inputs: [], outputs: [], attributes: { pads: ints([1, 1, 1, 1]), group: { type: 'int', value: 4 } } };
  const window = convWindow(node, [9, 9], [3, 3]);
  const x = Float32Array.from({ length: 8 * 81 }, () => random.uniform() - 0.5);
  const w = Float32Array.from({ length: 8 * 2 * 9 }, () => random.uniform() - 0.5);
  const conv = both(() => {
    const y = new Float32Array(8 * 81);
    convImpl(x, w, undefined, { batch: 1, channels: 8, featureMaps: 8, group: 4 }, window, y);
    return y;
  });
  for (let i = 0; i < conv.wasm.length; i++) assert.ok(Math.abs(conv.wasm[i] - conv.plain[i]) <= 1e-5, `conv ${i}`);
});
