// Convolutions in wasm (src/runtime/wasm/conv.ts) against the plain references on random
// geometries — 1-D to 3-D, strides, dilations, pads, groups, depthwise with channel multipliers:
// the integer ones (im2col panels + GEMM, direct depthwise) equal qlinear-conv-reference.ts
// exactly; the float ones stay within the float32 summation bound of conv-reference.ts's float64.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from '../../../src/ir/graph.ts';
import { quantizeMultiplier } from '../../../src/numeric/fixedpoint.ts';
import { outputStage } from '../../../src/quant/output-stage.ts';
import { convReference } from '../../../src/runtime/kernels/float/conv-reference.ts';
import { convImpl } from '../../../src/runtime/kernels/float/conv.ts';
import { convWindow, type Window } from '../../../src/runtime/kernels/float/window.ts';
import { qlinearConvReference } from '../../../src/runtime/kernels/integer/qlinear-conv-reference.ts';
import { qlinearConvImpl } from '../../../src/runtime/kernels/integer/qlinear-conv.ts';
import { wasmKernels } from '../../../src/runtime/wasm/index.ts';
import { gamma, Random, values, zeroPoints, type Kind } from './helpers.ts';

interface Geometry {
  window: Window;
  dims: { batch: number; channels: number; featureMaps: number; group: number };
  taps: number;
  inSize: number;
  outSize: number;
}

function convNode(attributes: Record<string, number[]>): Node {
  const attrs = Object.fromEntries(Object.entries(attributes).map(([name, value]) => [name, { type: 'ints' as const, value }]));
  return { name: 'conv_under_test', opType: 'Conv', domain: '', inputs: [], outputs: [], attributes: attrs };
}

function randomGeometry(random: Random, depthwise: boolean): Geometry {
  const rank = random.int(1, 3);
  const kernel = Array.from({ length: rank }, () => random.int(1, rank === 3 ? 3 : 5));
  const strides = kernel.map(() => (random.uniform() < 0.6 ? 1 : random.int(2, 3)));
  const dilations = kernel.map(() => (random.uniform() < 0.7 ? 1 : 2));
  const pads = [...kernel, ...kernel].map(() => random.int(0, 2));
  const spatial = kernel.map((k, i) => (k - 1) * dilations[i] + 1 + random.int(0, rank === 3 ? 4 : 12));
  const window = convWindow(convNode({ kernel_shape: kernel, strides, dilations, pads }), spatial, kernel);
  const group = depthwise ? random.int(2, 6) : random.pick([1, 1, 2]);
  const inPer = depthwise ? 1 : random.int(1, 6);
  const outPer = depthwise ? random.int(1, 3) : random.int(1, 9);
  const dims = { batch: random.int(1, 2), channels: group * inPer, featureMaps: group * outPer, group };
  const size = (v: readonly number[]): number => v.reduce((a, b) => a * b, 1);
  return { window, dims, taps: inPer * size(kernel), inSize: size(window.input), outSize: size(window.output) };
}

const backend = wasmKernels();

test('integer convolution and depthwise convolution in wasm equal the plain reference (random geometries, zero points at the ends, per-channel and per-tensor)', () => {
  assert.ok(backend !== undefined);
  const random = new Random(11);
  for (let i = 0; i < 80; i++) {
    const g = randomGeometry(random, i % 3 === 0);
    const xKind = random.pick<Kind>(['uint8', 'int8']);
    const x = values(random, xKind, g.dims.batch * g.dims.channels * g.inSize, random.pick(['random', 'random', 'random', 'low', 'high'] as const));
    const w = values(random, 'int8', g.dims.featureMaps * g.taps, random.pick(['random', 'random', 'ends'] as const)) as Int8Array;
    const xZero = zeroPoints(random, xKind, 1, random.pick(['low', 'high', 'random'] as const))[0];
    const wZero = zeroPoints(random, 'int8', g.dims.featureMaps, random.pick(['zero', 'zero', 'per-line', 'low'] as const));
    const perChannel = random.uniform() < 0.6;
    const multipliers = Array.from({ length: perChannel ? g.dims.featureMaps : 1 }, () => quantizeMultiplier(2 ** -(random.int(6, 14) + random.uniform())));
    const yKind = random.pick<Kind>(['int8', 'uint8']);
    const [qmin, qmax] = yKind === 'uint8' ? [0, 255] : [-128, 127];
    const stage = outputStage({ multiplier: multipliers.map((q) => q.multiplier), shift: multipliers.map((q) => q.shift) }, random.int(qmin, qmax), qmin, qmax);
    const bias = random.uniform() < 0.7 ? Int32Array.from({ length: g.dims.featureMaps }, () => random.int(-20000, 20000)) : undefined;
    const op = { x, xZero, w, wZero, bias, dims: g.dims, window: g.window, stage };
    const count = g.dims.batch * g.dims.featureMaps * g.outSize;
    const want = yKind === 'uint8' ? new Uint8Array(count) : new Int8Array(count);
    qlinearConvReference(op, want);
    const got = yKind === 'uint8' ? new Uint8Array(count) : new Int8Array(count);
    qlinearConvImpl(op, got);
    assert.deepEqual(got, want, `case ${i}: ${JSON.stringify({ dims: g.dims, window: g.window, xKind, xZero, perChannel })}`);
  }
});

test('float convolution and depthwise convolution in wasm stay within the float32 summation bound of the float64 reference', () => {
  // Each output is a float32 sum of K products and the bias in a fixed order (f32x4 lanes), the
  // reference a float64 sum: |y − exact| ≤ γ_(K+2)·(Σ|w·x| + |b|) bounds the difference
  // (Higham, Thm 3.1: K + 1 additions and the product roundings; the final store is exact here).
  const random = new Random(12);
  for (let i = 0; i < 60; i++) {
    const g = randomGeometry(random, i % 3 === 0);
    const x = Float32Array.from({ length: g.dims.batch * g.dims.channels * g.inSize }, () => random.uniform() * 2 - 1);
    const w = Float32Array.from({ length: g.dims.featureMaps * g.taps }, () => random.uniform() * 2 - 1);
    const bias = random.uniform() < 0.7 ? Float32Array.from({ length: g.dims.featureMaps }, () => random.uniform() - 0.5) : undefined;
    const count = g.dims.batch * g.dims.featureMaps * g.outSize;
    const exact = new Float64Array(count);
    convReference(x, w, bias, g.dims, g.window, exact);
    const magnitude = new Float64Array(count);
    convReference(x.map(Math.abs), w.map(Math.abs), bias?.map(Math.abs), g.dims, g.window, magnitude);
    const got = new Float32Array(count).fill(NaN);
    convImpl(x, w, bias, g.dims, g.window, got);
    const bound = gamma(g.taps + 2);
    for (let j = 0; j < count; j++) {
      const error = Math.abs(got[j] - exact[j]);
      assert.ok(error <= bound * magnitude[j] + 2 ** -24 * Math.abs(exact[j]), `case ${i} output ${j}: |${got[j]} − ${exact[j]}| = ${error} > bound ${bound * magnitude[j]} (${JSON.stringify({ dims: g.dims, window: g.window })})`);
    }
  }
});
