// The 8-bit max pooling and QuantizeLinear kernels in wasm against the plain TypeScript loops:
// maxPoolImpl (the general per-tap loop of float/pool.ts) on random 2-D windows with pads,
// strides and ceil_mode; quantize (src/quant/quantize.ts, eq. (2)) on values that hit rounding
// ties, the saturation ends and huge quotients — equal byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from '../../../src/ir/graph.ts';
import { createParams } from '../../../src/quant/params.ts';
import { quantize } from '../../../src/quant/quantize.ts';
import { isMaxPool2d, maxPoolImpl } from '../../../src/runtime/kernels/float/pool.ts';
import { poolWindow } from '../../../src/runtime/kernels/float/window.ts';
import { wasmKernels } from '../../../src/runtime/wasm/index.ts';
import { maxPool8 } from '../../../src/runtime/wasm/pool.ts';
import { quantizeToBytes } from '../../../src/runtime/wasm/quantize.ts';
import { ODD_SIZES, Random, values, type Kind } from './helpers.ts';

const backend = wasmKernels();

function poolNode(kernel: number[], strides: number[], pads: number[], ceilMode: number): Node {
  const ints = (value: number[]) => ({ type: 'ints' as const, value });
  return {
    name: 'pool_under_test',
    opType: 'MaxPool',
    domain: '',
    inputs: [],
    outputs: [],
    attributes: { kernel_shape: ints(kernel), strides: ints(strides), pads: ints(pads), ceil_mode: { type: 'int' as const, value: ceilMode } },
  };
}

test('8-bit max pooling in wasm equals the per-tap reference loop (random 2-D windows, pads, strides, ceil_mode, odd sizes)', () => {
  assert.ok(backend !== undefined);
  const random = new Random(5);
  for (let i = 0; i < 120; i++) {
    const kernel = [random.int(1, 4), random.int(1, 4)];
    const strides = i % 4 === 0 ? [2, 2] : [random.int(1, 3), random.int(1, 3)];
    if (i % 4 === 0) kernel.splice(0, 2, 2, 2);
    const pads = [...kernel, ...kernel].map((k) => random.int(0, k - 1));
    const spatial = [kernel[0] + random.pick([0, 1, 2, 5, 16, 33]), kernel[1] + random.pick([...ODD_SIZES.slice(0, 3), 0, 14, 31])];
    const window = poolWindow(poolNode(kernel, strides, pads, random.int(0, 1)), spatial);
    assert.ok(isMaxPool2d(window));
    const planes = random.int(1, 5);
    const kind = random.pick<Kind>(['uint8', 'int8']);
    const x = values(random, kind, planes * spatial[0] * spatial[1], random.pick(['random', 'random', 'low', 'high', 'ends'] as const)) as Uint8Array | Int8Array;
    const size = planes * window.output[1] * window.output[2];
    const expected = kind === 'uint8' ? new Uint8Array(size) : new Int8Array(size);
    maxPoolImpl(x, planes, window, expected);
    const actual = kind === 'uint8' ? new Uint8Array(size) : new Int8Array(size);
    maxPool8(backend, x, planes, window, actual);
    assert.deepEqual(actual, expected, `case ${i}: ${kind} ${planes}×${spatial} kernel ${kernel} strides ${strides} pads ${pads}`);
  }
});

test('QuantizeLinear to 8 bits in wasm equals eq. (2) in TypeScript (ties, saturation, huge quotients, ±0), and finds the first NaN/±∞', () => {
  assert.ok(backend !== undefined);
  const random = new Random(9);
  const formats = [
    { bits: 8, signed: false, qmin: 0, qmax: 255 },
    { bits: 8, signed: true, qmin: -128, qmax: 127 },
    { bits: 8, signed: true, qmin: -127, qmax: 127 },
    { bits: 4, signed: true, qmin: -8, qmax: 7 },
    { bits: 4, signed: false, qmin: 0, qmax: 15 },
  ];
  for (let i = 0; i < 60; i++) {
    const format = random.pick(formats);
    const scale = i % 2 === 0 ? 2 ** random.int(-10, 6) : Math.fround(2 ** (random.uniform() * 20 - 10)); // powers of two make exact ties
    const zeroPoint = random.int(format.qmin, format.qmax);
    const length = random.pick([...ODD_SIZES, 16, 64, 1000]);
    const x = Float32Array.from({ length }, () => {
      const r = random.uniform();
      if (r < 0.3) return (random.int(-300, 300) + 0.5) * scale; // ties of x / s
      if (r < 0.4) return random.pick([0, -0, 3.4e38, -3.4e38, 1e-45]);
      return (random.uniform() * 2 - 1) * scale * 300;
    });
    const params = createParams({ scale: Float32Array.of(scale), zeroPoint, ...format });
    const expected = quantize(x, [length], params);
    const actual = new (format.signed ? Int8Array : Uint8Array)(length);
    assert.equal(quantizeToBytes(backend, x, scale, zeroPoint, format.qmin, format.qmax, actual), -1);
    assert.deepEqual(actual, expected, `case ${i}: scale ${scale}, zero point ${zeroPoint}, ${JSON.stringify(format)}`);
  }
  for (const bad of [NaN, Infinity, -Infinity]) {
    for (const at of [0, 5, 15, 16, 37, 99]) {
      const x = new Float32Array(100).fill(1);
      x[at] = bad;
      if (at < 99) x[99] = NaN; // only the first one is reported
      assert.equal(quantizeToBytes(backend, x, 0.5, 0, 0, 255, new Uint8Array(100)), at);
    }
  }
});
