import { test } from 'node:test';
import assert from 'node:assert/strict';
import { averagePoolConfig, maxPoolConfig } from '../../../../src/runtime/kernels/float/pool.ts';
import { tensor } from '../../../../src/ir/tensor.ts';
import type { DType } from '../../../../src/ir/dtype.ts';
import { ShapeError, UnsupportedOpError } from '../../../../src/errors.ts';
import { assertClose, makeNode, randomArray, randomInt, rng } from '../../helpers.ts';

interface PoolCase {
  shape: number[]; // N, C, spatial...
  kernel: number[];
  strides: number[];
  dilations: number[];
  pads: number[];
  autoPad: 'NOTSET' | 'SAME_UPPER' | 'SAME_LOWER' | 'VALID';
  ceilMode: boolean;
  countIncludePad: boolean;
}

/** Pads and output size per the pooling operator docs (ceil_mode drops windows starting in the end pad). */
function axisGeometry(c: PoolCase, axis: number): { begin: number; end: number; out: number } {
  const rank = c.kernel.length;
  const size = c.shape[axis + 2];
  const span = c.dilations[axis] * (c.kernel[axis] - 1) + 1;
  const s = c.strides[axis];
  if (c.autoPad === 'SAME_UPPER' || c.autoPad === 'SAME_LOWER') {
    const out = Math.ceil(size / s);
    const total = Math.max(0, (out - 1) * s + span - size);
    const small = Math.floor(total / 2);
    return c.autoPad === 'SAME_UPPER' ? { begin: small, end: total - small, out } : { begin: total - small, end: small, out };
  }
  const begin = c.autoPad === 'VALID' ? 0 : c.pads[axis];
  const end = c.autoPad === 'VALID' ? 0 : c.pads[axis + rank];
  const exact = (size + begin + end - span) / s + 1;
  let out = c.ceilMode ? Math.ceil(exact) : Math.floor(exact);
  if (c.ceilMode && (out - 1) * s >= size + begin) out -= 1;
  return { begin, end, out };
}

/** Every window position from the definitions; max skips padding, average divides per count_include_pad. */
function reference(c: PoolCase, x: ArrayLike<number>, kind: 'max' | 'average'): { shape: number[]; data: number[]; indices: number[] } {
  const rank = c.kernel.length;
  const geo = c.kernel.map((_, a) => axisGeometry(c, a));
  const spatial = c.shape.slice(2);
  const out = geo.map((g) => g.out);
  const inSize = spatial.reduce((p, q) => p * q, 1);
  const outSize = out.reduce((p, q) => p * q, 1);
  const kSize = c.kernel.reduce((p, q) => p * q, 1);
  const data: number[] = [];
  const indices: number[] = [];
  for (let plane = 0; plane < c.shape[0] * c.shape[1]; plane++) {
    for (let o = 0; o < outSize; o++) {
      const oc: number[] = new Array<number>(rank);
      let rest = o;
      for (let a = rank - 1; a >= 0; a--) {
        oc[a] = rest % out[a];
        rest = Math.floor(rest / out[a]);
      }
      let best = -Infinity;
      let bestAt = -1;
      let sum = 0;
      let inside = 0;
      let padded = 0;
      for (let k = 0; k < kSize; k++) {
        let flat = 0;
        let ok = true;
        let inPadded = true;
        for (let a = 0, rest = k, div = kSize; a < rank; a++) {
          div /= c.kernel[a];
          const ka = Math.floor(rest / div);
          rest %= div;
          const pos = oc[a] * c.strides[a] - geo[a].begin + ka * c.dilations[a];
          if (pos < 0 || pos >= spatial[a]) ok = false;
          if (pos < -geo[a].begin || pos >= spatial[a] + geo[a].end) inPadded = false;
          flat = flat * spatial[a] + pos;
        }
        if (inPadded) padded++;
        if (!ok) continue;
        inside++;
        const v = x[plane * inSize + flat];
        sum += v;
        if (v > best) {
          best = v;
          bestAt = plane * inSize + flat;
        }
      }
      data.push(kind === 'max' ? best : sum / (c.countIncludePad ? padded : inside));
      indices.push(bestAt);
    }
  }
  return { shape: [c.shape[0], c.shape[1], ...out], data, indices };
}

function poolNode(op: string, c: PoolCase, outputs = ['Y']) {
  const attrs: Record<string, number | string | number[]> = { kernel_shape: c.kernel, strides: c.strides, dilations: c.dilations, ceil_mode: c.ceilMode ? 1 : 0 };
  if (op === 'AveragePool') attrs.count_include_pad = c.countIncludePad ? 1 : 0;
  if (c.autoPad === 'NOTSET') attrs.pads = c.pads;
  else attrs.auto_pad = c.autoPad;
  return makeNode(op, ['X'], outputs, attrs);
}

function randomCase(random: () => number): PoolCase {
  const rank = randomInt(random, 1, 3);
  const r = (lo: number, hi: number): number[] => Array.from({ length: rank }, () => randomInt(random, lo, hi));
  const kernel = r(1, 3);
  const dilations = r(1, 2);
  // Pads smaller than the kernel, as the spec requires.
  const pads = [...kernel.map((k) => randomInt(random, 0, k - 1)), ...kernel.map((k) => randomInt(random, 0, k - 1))];
  const spatial = kernel.map((k, a) => dilations[a] * (k - 1) + 1 + randomInt(random, 0, rank === 3 ? 3 : 6));
  return {
    shape: [randomInt(random, 1, 2), randomInt(random, 1, 3), ...spatial],
    kernel,
    strides: r(1, 3),
    dilations,
    pads,
    autoPad: (['NOTSET', 'NOTSET', 'NOTSET', 'SAME_UPPER', 'SAME_LOWER', 'VALID'] as const)[randomInt(random, 0, 5)],
    ceilMode: random() < 0.5,
    countIncludePad: random() < 0.5,
  };
}

test('MaxPool (with Indices) and AveragePool match the definitions on 200 seeded random cases', () => {
  const random = rng(11);
  for (let i = 0; i < 200; i++) {
    const c = randomCase(random);
    const x = Float32Array.from(randomArray(c.shape.reduce((p, q) => p * q, 1), random));
    const input = tensor('float32', c.shape, x);
    const what = JSON.stringify(c);
    const max = reference(c, x, 'max');
    const [y, indices] = maxPoolConfig.impl([input], poolNode('MaxPool', c, ['Y', 'I']));
    assert.deepEqual(y.shape, max.shape, `MaxPool ${what}: shape`);
    assertClose(y.data, max.data, `MaxPool ${what}`, 0, 0);
    assert.equal(indices.dtype, 'int64');
    assert.deepEqual([...indices.data], max.indices, `MaxPool ${what}: indices`);
    const average = reference(c, x, 'average');
    const [z] = averagePoolConfig.impl([input], poolNode('AveragePool', c));
    assert.deepEqual(z.shape, average.shape, `AveragePool ${what}: shape`);
    assertClose(z.data, average.data, `AveragePool ${what}`, 1e-6, 1e-7);
  }
});

test('MaxPool: 8-bit integers, storage_order = 1 indices, no Indices output when not asked', () => {
  const c: PoolCase = { shape: [1, 2, 4, 5], kernel: [2, 2], strides: [2, 2], dilations: [1, 1], pads: [0, 0, 0, 1], autoPad: 'NOTSET', ceilMode: false, countIncludePad: false };
  const random = rng(5);
  for (const dtype of ['uint8', 'int8'] as DType[]) {
    const values = Array.from({ length: 40 }, () => randomInt(random, dtype === 'uint8' ? 0 : -128, dtype === 'uint8' ? 255 : 127));
    const x = tensor(dtype, c.shape, dtype === 'uint8' ? Uint8Array.from(values) : Int8Array.from(values));
    const outputs = maxPoolConfig.impl([x], poolNode('MaxPool', c));
    assert.equal(outputs.length, 1);
    assert.equal(outputs[0].dtype, dtype);
    assert.deepEqual([...outputs[0].data], reference(c, values, 'max').data);
  }
  // Column-major spatial index: h + H·w, plus the plane offset.
  const x = tensor('float32', [1, 2, 2, 3], Float32Array.from([0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8]));
  const node = makeNode('MaxPool', ['X'], ['Y', 'I'], { kernel_shape: [2, 3], storage_order: 1 });
  const [, indices] = maxPoolConfig.impl([x], node);
  assert.deepEqual([...indices.data], [0 + 2 * 1, 6 + (1 + 2 * 2)]);
});

test('AveragePool computes float64 in float64', () => {
  const c: PoolCase = { shape: [1, 1, 3, 3], kernel: [2, 2], strides: [1, 1], dilations: [1, 1], pads: [1, 1, 1, 1], autoPad: 'NOTSET', ceilMode: false, countIncludePad: true };
  const x = Float64Array.from([1e-17, 1, 2, 3, 4, 5, 6, 7, 8]);
  const [y] = averagePoolConfig.impl([tensor('float64', c.shape, x)], poolNode('AveragePool', c));
  assert.equal(y.dtype, 'float64');
  assert.equal(y.data[0], 1e-17 / 4);
});

test('pooling errors name the node', () => {
  assert.throws(() => maxPoolConfig.impl([tensor('float32', [1, 1, 4, 4])], makeNode('MaxPool', ['X'], ['Y'])), (e: unknown) => e instanceof ShapeError && /maxpool_under_test/.test(e.message) && /kernel_shape/.test(e.message));
  assert.throws(() => averagePoolConfig.impl([tensor('int32', [1, 1, 4, 4])], makeNode('AveragePool', ['X'], ['Y'], { kernel_shape: [2, 2] })), UnsupportedOpError);
  assert.throws(() => maxPoolConfig.impl([tensor('float32', [1, 4])], makeNode('MaxPool', ['X'], ['Y'], { kernel_shape: [2] })), /N × C × spatial/);
  assert.throws(() => maxPoolConfig.impl([tensor('float32', [1, 1, 4, 4])], makeNode('MaxPool', ['X'], ['Y'], { kernel_shape: [2] })), /kernel_shape has 1 values for 2 spatial axes/);
});
