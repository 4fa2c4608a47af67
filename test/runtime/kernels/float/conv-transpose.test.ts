import { test } from 'node:test';
import assert from 'node:assert/strict';
import { convTransposeConfig } from '../../../../src/runtime/kernels/float/conv-transpose.ts';
import { convTransposeReference } from '../../../../src/runtime/kernels/float/conv-transpose-reference.ts';
import { convTransposeWindow } from '../../../../src/runtime/kernels/float/window.ts';
import { tensor, type Tensor } from '../../../../src/ir/tensor.ts';
import { ShapeError } from '../../../../src/errors.ts';
import { assertClose, makeNode, randomArray, randomInt, rng } from '../../helpers.ts';

type Mode = 'NOTSET' | 'SAME_UPPER' | 'SAME_LOWER' | 'VALID' | 'output_shape';

interface Case {
  batch: number;
  group: number;
  inPerGroup: number;
  outPerGroup: number;
  spatial: number[];
  kernel: number[];
  strides: number[];
  dilations: number[];
  pads: number[];
  outputPadding: number[];
  mode: Mode;
  outputShape: number[];
  bias: boolean;
}

/** Begin pad and output size of one axis, from the ConvTranspose operator doc. */
function axisGeometry(c: Case, axis: number): { begin: number; out: number } {
  const rank = c.spatial.length;
  const natural = c.strides[axis] * (c.spatial[axis] - 1) + c.outputPadding[axis] + (c.kernel[axis] - 1) * c.dilations[axis] + 1;
  if (c.mode === 'VALID') return { begin: 0, out: natural };
  if (c.mode === 'NOTSET') return { begin: c.pads[axis], out: natural - c.pads[axis] - c.pads[axis + rank] };
  const out = c.mode === 'output_shape' ? c.outputShape[axis] : c.spatial[axis] * c.strides[axis];
  const total = natural - out;
  // SAME_UPPER: pads[start] = total / 2 (floor); otherwise pads[start] = total − total / 2.
  return { begin: c.mode === 'SAME_UPPER' ? Math.floor(total / 2) : total - Math.floor(total / 2), out };
}

/** Scatter definition: y[n, m, i·s + k·d − begin] += x[n, c, i] · w[c, m − g·Mg, k], plus bias. */
function reference(c: Case, x: Float64Array, w: Float64Array, b: Float64Array | undefined): { shape: number[]; data: Float64Array } {
  const rank = c.spatial.length;
  const geo = c.spatial.map((_, axis) => axisGeometry(c, axis));
  const out = geo.map((g) => g.out);
  const C = c.group * c.inPerGroup;
  const M = c.group * c.outPerGroup;
  const outSize = out.reduce((p, q) => p * q, 1);
  const inSize = c.spatial.reduce((p, q) => p * q, 1);
  const kSize = c.kernel.reduce((p, q) => p * q, 1);
  const y = new Float64Array(c.batch * M * outSize);
  const unravel = (index: number, shape: number[]): number[] => {
    const coords = new Array<number>(shape.length);
    for (let a = shape.length - 1; a >= 0; a--) {
      coords[a] = index % shape[a];
      index = Math.floor(index / shape[a]);
    }
    return coords;
  };
  for (let n = 0; n < c.batch; n++) {
    for (let ch = 0; ch < C; ch++) {
      const g = Math.floor(ch / c.inPerGroup);
      for (let i = 0; i < inSize; i++) {
        const iCoords = unravel(i, c.spatial);
        for (let mm = 0; mm < c.outPerGroup; mm++) {
          for (let k = 0; k < kSize; k++) {
            const kCoords = unravel(k, c.kernel);
            let o = 0;
            let inside = true;
            for (let a = 0; a < rank; a++) {
              const pos = iCoords[a] * c.strides[a] + kCoords[a] * c.dilations[a] - geo[a].begin;
              if (pos < 0 || pos >= out[a]) inside = false;
              o = o * out[a] + pos;
            }
            if (!inside) continue;
            const m = g * c.outPerGroup + mm;
            y[(n * M + m) * outSize + o] += x[(n * C + ch) * inSize + i] * w[(ch * c.outPerGroup + mm) * kSize + k];
          }
        }
      }
    }
  }
  if (b) for (let n = 0; n < c.batch; n++) for (let m = 0; m < M; m++) for (let o = 0; o < outSize; o++) y[(n * M + m) * outSize + o] += b[m];
  return { shape: [c.batch, M, ...out], data: y };
}

function check(c: Case, seed: number): void {
  const random = rng(seed);
  const C = c.group * c.inPerGroup;
  const M = c.group * c.outPerGroup;
  const x = Float64Array.from(Float32Array.from(randomArray(c.batch * C * c.spatial.reduce((p, q) => p * q, 1), random)));
  const w = Float64Array.from(Float32Array.from(randomArray(C * c.outPerGroup * c.kernel.reduce((p, q) => p * q, 1), random)));
  const b = c.bias ? Float64Array.from(Float32Array.from(randomArray(M, random))) : undefined;
  const inputs: Tensor[] = [tensor('float32', [c.batch, C, ...c.spatial], Float32Array.from(x)), tensor('float32', [C, c.outPerGroup, ...c.kernel], Float32Array.from(w))];
  if (b) inputs.push(tensor('float32', [M], Float32Array.from(b)));
  const attrs: Record<string, number | string | number[]> = { group: c.group, strides: c.strides, dilations: c.dilations, output_padding: c.outputPadding };
  if (c.mode === 'NOTSET') attrs.pads = c.pads;
  else if (c.mode === 'output_shape') attrs.output_shape = c.outputShape;
  else attrs.auto_pad = c.mode;
  const node = makeNode('ConvTranspose', inputs.map((_, i) => `in${i}`), ['Y'], attrs);
  const [y] = convTransposeConfig.impl(inputs, node);
  const expected = reference(c, x, w, b);
  const what = `ConvTranspose ${JSON.stringify(c)}`;
  assert.deepEqual(y.shape, expected.shape, `${what}: shape`);
  assertClose(y.data, expected.data, what, 1e-5, 1e-5);
  // The plain-loop reference in src must agree too (in float64).
  const window = convTransposeWindow(node, c.spatial, c.kernel);
  const viaReference = new Float64Array(expected.data.length);
  convTransposeReference(x, w, b, { batch: c.batch, channels: C, featureMaps: M, group: c.group }, window, viaReference);
  assertClose(viaReference, expected.data, `convTransposeReference ${JSON.stringify(c)}`, 1e-12, 1e-12);
}

test('ConvTranspose matches the scatter definition on 120 seeded random cases', () => {
  const random = rng(3);
  for (let i = 0; i < 120; i++) {
    const rank = randomInt(random, 1, 3);
    const r = (lo: number, hi: number): number[] => Array.from({ length: rank }, () => randomInt(random, lo, hi));
    const kernel = r(1, 3);
    const strides = r(1, 3);
    const dilations = r(1, 2);
    const spatial = r(1, rank === 3 ? 3 : 5);
    // output_padding must stay below the stride (or the dilation).
    const outputPadding = strides.map((s, a) => randomInt(random, 0, Math.max(s, dilations[a]) - 1));
    const natural = spatial.map((n, a) => strides[a] * (n - 1) + outputPadding[a] + (kernel[a] - 1) * dilations[a] + 1);
    // Pads that leave at least one output element; output_shape within ±2 of the natural size.
    const pads = [...natural.map((n) => randomInt(random, 0, Math.min(2, Math.floor((n - 1) / 2)))), ...natural.map((n) => randomInt(random, 0, Math.min(2, Math.floor((n - 1) / 2))))];
    const outputShape = natural.map((n) => Math.max(1, n + randomInt(random, -2, 2)));
    const mode = (['NOTSET', 'NOTSET', 'SAME_UPPER', 'SAME_LOWER', 'VALID', 'output_shape'] as const)[randomInt(random, 0, 5)];
    check(
      { batch: randomInt(random, 1, 2), group: randomInt(random, 1, 3), inPerGroup: randomInt(random, 1, 3), outPerGroup: randomInt(random, 1, 3), spatial, kernel, strides, dilations, pads, outputPadding, mode, outputShape, bias: random() < 0.5 },
      500 + i,
    );
  }
});

test('ConvTranspose: output_shape larger than the natural size extends the output with bias only', () => {
  const c: Case = { batch: 1, group: 1, inPerGroup: 1, outPerGroup: 2, spatial: [3, 3], kernel: [3, 3], strides: [3, 2], dilations: [1, 1], pads: [0, 0, 0, 0], outputPadding: [0, 0], mode: 'output_shape', outputShape: [10, 8], bias: true };
  check(c, 1);
});

test('ConvTranspose errors name the node', () => {
  const x = tensor('float32', [1, 2, 3, 3]);
  const node = makeNode('ConvTranspose', ['X', 'W'], ['Y']);
  assert.throws(() => convTransposeConfig.impl([x, tensor('float32', [3, 1, 2, 2])], node), (e: unknown) => e instanceof ShapeError && /convtranspose_under_test/.test(e.message));
  assert.throws(() => convTransposeConfig.impl([x, tensor('float32', [2, 1, 2, 2]), tensor('float32', [2])], node), /bias B has shape \[2\], expected \[1\]/);
  assert.throws(() => convTransposeConfig.impl([x, tensor('float32', [2, 1, 2, 2])], makeNode('ConvTranspose', ['X', 'W'], ['Y'], { pads: [3, 3, 3, 3] })), /output spatial shape/);
});
