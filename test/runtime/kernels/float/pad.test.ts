import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RangeArgumentError, ShapeError } from '../../../../src/errors.ts';
import { padImpl, padKernels, type PadMode } from '../../../../src/runtime/kernels/float/pad.ts';
import { assertTensor, i64, make, Rng, runKernel, size, str, unravel } from './kernel-test-utils.ts';

const X = make('float32', [3, 2], [1, 1.2, 2.3, 3.4, 4.5, 5.7]);
const f = (values: number[]) => values.map(Math.fround);

test('spec examples of the four modes', () => {
  assertTensor(runKernel(padKernels, 'Pad', [X, i64([0, 2, 0, 0])], { mode: str('constant') })[0], 'float32', [3, 4], f([0, 0, 1, 1.2, 0, 0, 2.3, 3.4, 0, 0, 4.5, 5.7]));
  assertTensor(runKernel(padKernels, 'Pad', [X, i64([0, 2, 0, 0]), make('float32', [], [9])])[0], 'float32', [3, 4], f([9, 9, 1, 1.2, 9, 9, 2.3, 3.4, 9, 9, 4.5, 5.7]));
  assertTensor(runKernel(padKernels, 'Pad', [X, i64([0, 2, 0, 0])], { mode: str('reflect') })[0], 'float32', [3, 4], f([1, 1.2, 1, 1.2, 2.3, 3.4, 2.3, 3.4, 4.5, 5.7, 4.5, 5.7]));
  assertTensor(runKernel(padKernels, 'Pad', [X, i64([0, 2, 0, 0])], { mode: str('edge') })[0], 'float32', [3, 4], f([1, 1, 1, 1.2, 2.3, 2.3, 2.3, 3.4, 4.5, 4.5, 4.5, 5.7]));
  assertTensor(
    runKernel(padKernels, 'Pad', [X, i64([2, 1, 1, 1])], { mode: str('wrap') })[0],
    'float32',
    [6, 4],
    f([3.4, 2.3, 3.4, 2.3, 5.7, 4.5, 5.7, 4.5, 1.2, 1, 1.2, 1, 3.4, 2.3, 3.4, 2.3, 5.7, 4.5, 5.7, 4.5, 1.2, 1, 1.2, 1]),
  );
});

test('axes input, negative axes and negative (cropping) pads', () => {
  const x = make('int32', [2, 3], [1, 2, 3, 4, 5, 6]);
  assertTensor(runKernel(padKernels, 'Pad', [x, i64([1, 0]), undefined, i64([-1])])[0], 'int32', [2, 4], [0, 1, 2, 3, 0, 4, 5, 6]);
  assertTensor(runKernel(padKernels, 'Pad', [x, i64([1, 2]), make('int32', [], [7]), i64([0])])[0], 'int32', [5, 3], [7, 7, 7, 1, 2, 3, 4, 5, 6, 7, 7, 7, 7, 7, 7]);
  assertTensor(padImpl(x, [0, -1, 0, -1]), 'int32', [2, 1], [2, 5]);
  assertTensor(padImpl(x, [0, -1, 0, 1], 'edge'), 'int32', [2, 3], [2, 3, 3, 5, 6, 6]);
});

/** Pads one axis by building the padded rows from slices (numpy's definitions, small pads). */
function padAxisReference(data: number[], shape: number[], axis: number, before: number, after: number, mode: PadMode, value: number): [number[], number[]] {
  const n = shape[axis];
  const source = (i: number): number | undefined => {
    if (i >= 0 && i < n) return i;
    if (mode === 'constant') return undefined;
    if (mode === 'edge') return i < 0 ? 0 : n - 1;
    if (mode === 'wrap') return i < 0 ? n + i : i - n;
    return i < 0 ? -i : 2 * (n - 1) - i; // reflect, |pad| ≤ n − 1
  };
  const outShape = [...shape];
  outShape[axis] = n + before + after;
  const out: number[] = [];
  for (let flat = 0; flat < size(outShape); flat++) {
    const o = unravel(flat, outShape);
    const s = source(o[axis] - before);
    if (s === undefined) out.push(value);
    else {
      const idx = [...o];
      idx[axis] = s;
      out.push(data[idx.reduce((acc, v, a) => acc * shape[a] + v, 0)]);
    }
  }
  return [out, outShape];
}

test('random pads of every mode match padding one axis at a time', () => {
  const rng = new Rng(41);
  for (const mode of ['constant', 'reflect', 'edge', 'wrap'] as const) {
    for (let trial = 0; trial < 25; trial++) {
      const rank = rng.int(1, 3);
      const shape = rng.shape(rank, mode === 'constant' ? 0 : 2, 4);
      const limit = (d: number) => (mode === 'reflect' ? d - 1 : mode === 'wrap' ? d : 3);
      const pads = [...shape.map((d) => rng.int(0, limit(d))), ...shape.map((d) => rng.int(0, limit(d)))];
      const x = make('float32', shape, Array.from({ length: size(shape) }, (_, i) => i + 1));
      let data = Array.from(x.data);
      let cur = [...shape];
      for (let a = 0; a < rank; a++) [data, cur] = padAxisReference(data, cur, a, pads[a], pads[a + rank], mode, -5);
      const out = padImpl(x, pads, mode, -5);
      assertTensor(out, 'float32', cur, data, `${mode} [${shape}] pads ${pads}`);
    }
  }
});

test('pads wider than the axis repeat periodically (reflect, wrap)', () => {
  const x = make('float32', [3], [1, 2, 3]);
  assertTensor(padImpl(x, [5, 5], 'reflect'), 'float32', [13], [2, 1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3, 2]);
  assertTensor(padImpl(x, [4, 4], 'wrap'), 'float32', [11], [3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1]);
  assertTensor(padImpl(make('float32', [1], [7]), [2, 2], 'reflect'), 'float32', [5], [7, 7, 7, 7, 7]);
});

test('bad pads are errors naming the node', () => {
  assert.throws(() => runKernel(padKernels, 'Pad', [X, i64([1, 1])]), (e: unknown) => e instanceof ShapeError && /test_Pad/.test(e.message));
  assert.throws(() => runKernel(padKernels, 'Pad', [X, i64([0, -3, 0, 0])]), ShapeError);
  assert.throws(() => runKernel(padKernels, 'Pad', [X, i64([0, 1, 0, 0])], { mode: str('mirror') }), RangeArgumentError);
  assert.throws(() => runKernel(padKernels, 'Pad', [make('float32', [0], []), i64([1, 1])], { mode: str('edge') }), ShapeError);
  assert.throws(() => runKernel(padKernels, 'Pad', [X, i64([0, 1, 0, 0]), make('int32', [], [1])]), ShapeError);
});
