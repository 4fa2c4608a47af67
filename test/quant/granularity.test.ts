import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { tensorRange, channelRanges, groupRanges, paramsForTensor } from '../../src/quant/granularity.ts';
import { scaleLayout, scaleIndexOf, normalizeAxis } from '../../src/quant/layout.ts';
import { RangeArgumentError } from '../../src/errors.ts';

const argError = (pattern: RegExp) => (e: unknown) => e instanceof RangeArgumentError && pattern.test(e.message);

/** Multi-index of a row-major flat index. */
function unravel(flat: number, shape: number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = flat % shape[d];
    flat = Math.floor(flat / shape[d]);
  }
  return idx;
}

/** Scale index by the ONNX definition: the blocked scale tensor indexed at idx with idx[axis] / g. */
function referenceScaleIndex(flat: number, shape: number[], axis?: number, groupSize?: number): number {
  if (axis === undefined) return 0;
  const idx = unravel(flat, shape);
  if (groupSize === undefined) return idx[axis];
  const scaleShape = shape.slice();
  scaleShape[axis] = Math.ceil(shape[axis] / groupSize);
  idx[axis] = Math.floor(idx[axis] / groupSize);
  return idx.reduce((acc, v, d) => acc * scaleShape[d] + v, 0);
}

const shapeArb = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 });

test('scale index of every element matches the ONNX blocked-quantization definition', () => {
  fc.assert(
    fc.property(shapeArb, fc.nat(), fc.integer({ min: 1, max: 7 }), fc.constantFrom('tensor', 'channel', 'group'), (shape, axisSeed, g, kind) => {
      const rank = shape.length;
      const rawAxis = (axisSeed % (2 * rank)) - rank; // any axis in [−rank, rank − 1]
      const axis = kind === 'tensor' ? undefined : normalizeAxis(rawAxis, rank, 'test');
      const groupSize = kind === 'group' ? g : undefined;
      const layout = scaleLayout(shape, kind === 'tensor' ? undefined : rawAxis, groupSize);
      const size = shape.reduce((a, b) => a * b, 1);
      const expectedCount = kind === 'tensor' ? 1 : kind === 'channel' ? shape[axis!] : (size / shape[axis!]) * Math.ceil(shape[axis!] / g);
      assert.equal(layout.count, expectedCount);
      for (let i = 0; i < size; i++) assert.equal(scaleIndexOf(layout, i), referenceScaleIndex(i, shape, axis, groupSize));
    }),
    { numRuns: 300 },
  );
});

test('blocked scale shape: the axis dimension becomes ceil(D / groupSize)', () => {
  assert.deepEqual(scaleLayout([3, 4], 1, 2).scaleShape, [3, 2]);
  assert.deepEqual(scaleLayout([3, 5], 1, 2).scaleShape, [3, 3]); // shorter last group of 1
  assert.deepEqual(scaleLayout([1, 4, 3, 2], 1, 2).scaleShape, [1, 2, 3, 2]); // test_dequantizelinear_blocked
  assert.deepEqual(scaleLayout([7], 0, 10).scaleShape, [1]); // one group larger than the axis
  assert.deepEqual(scaleLayout([2, 3], -1).scaleShape, [3]);
  assert.deepEqual(scaleLayout([2, 3]).scaleShape, []);
});

test('ranges per tensor, channel and group on a worked tensor', () => {
  // shape [2, 5]:  row 0 = 1 −2 3 −4 5, row 1 = 0 7 −1 2 −9
  const data = Float32Array.of(1, -2, 3, -4, 5, 0, 7, -1, 2, -9);
  assert.deepEqual(tensorRange(data), { min: -9, max: 7 });
  const rows = channelRanges(data, [2, 5], 0);
  assert.deepEqual([[...rows.min], [...rows.max]], [[-4, -9], [5, 7]]);
  const cols = channelRanges(data, [2, 5], -1);
  assert.deepEqual([[...cols.min], [...cols.max]], [[0, -2, -1, -4, -9], [1, 7, 3, 2, 5]]);
  // groups of 2 along axis 1: blocks {0,1}, {2,3}, {4} per row → scale shape [2, 3]
  const groups = groupRanges(data, [2, 5], 1, 2);
  assert.deepEqual([...groups.min], [-2, -4, 5, 0, -1, -9]);
  assert.deepEqual([...groups.max], [1, 3, 5, 7, 2, -9]);
  // groups of 2 along axis 0 of a [3, 2] tensor: blocks rows {0,1}, {2} → scale shape [2, 2]
  const g0 = groupRanges(Float32Array.of(1, 2, 3, 4, 5, 6), [3, 2], 0, 2);
  assert.deepEqual([[...g0.min], [...g0.max]], [[1, 2, 5, 6], [3, 4, 5, 6]]);
  assert.deepEqual(tensorRange(new Float32Array(0)), { min: 0, max: 0 });
});

const schemeArb = fc.constantFrom('symmetric', 'symmetric-full', 'asymmetric', 'unsigned') as fc.Arbitrary<'symmetric' | 'symmetric-full' | 'asymmetric' | 'unsigned'>;

test('per-channel (and per-group) params equal per-tensor params of each slice taken alone', () => {
  fc.assert(
    fc.property(shapeArb, fc.nat(), fc.integer({ min: 1, max: 6 }), fc.boolean(), schemeArb, fc.integer({ min: 2, max: 16 }), fc.integer(), (shape, axisSeed, g, grouped, scheme, bits, seed) => {
      const rank = shape.length;
      const axis = (axisSeed % (2 * rank)) - rank;
      const size = shape.reduce((a, b) => a * b, 1);
      const data = new Float32Array(size);
      let state = seed >>> 0;
      for (let i = 0; i < size; i++) {
        state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
        data[i] = Math.fround((state / 2 ** 32 - 0.4) * 10 * (1 + (i % 3)));
      }
      const p = paramsForTensor(data, shape, { granularity: grouped ? 'group' : 'channel', axis, groupSize: g, bits, scheme });
      const a = normalizeAxis(axis, rank, 'test');
      assert.equal(p.axis, a);
      assert.equal(p.groupSize, grouped ? g : undefined);
      // gather the elements of each scale index with the reference index math, then quantize them alone
      const slices: number[][] = Array.from({ length: p.scale.length }, () => []);
      for (let i = 0; i < size; i++) slices[referenceScaleIndex(i, shape, a, grouped ? g : undefined)].push(data[i]);
      slices.forEach((slice, j) => {
        const alone = paramsForTensor(Float32Array.from(slice), [slice.length], { granularity: 'tensor', bits, scheme });
        assert.equal(p.scale[j], alone.scale[0], `scale ${j}`);
        assert.equal(p.zeroPoint[j], alone.zeroPoint[0], `zero point ${j}`);
      });
    }),
    { numRuns: 300 },
  );
});

test('bad granularity arguments throw, naming the value', () => {
  const data = new Float32Array(6);
  const o = { bits: 8, scheme: 'symmetric' } as const;
  assert.throws(() => paramsForTensor(data, [2, 3], { ...o, granularity: 'channel', axis: 2 }), argError(/axis 2 is out of range for rank 2/));
  assert.throws(() => paramsForTensor(data, [2, 3], { ...o, granularity: 'channel', axis: -3 }), argError(/axis -3/));
  assert.throws(() => paramsForTensor(data, [2, 3], { ...o, granularity: 'channel', axis: 0.5 }), argError(/axis 0.5/));
  assert.throws(() => paramsForTensor(data, [2, 3], { ...o, granularity: 'channel' }), argError(/needs an axis/));
  assert.throws(() => paramsForTensor(data, [2, 3], { ...o, granularity: 'group', axis: 1 }), argError(/needs a groupSize/));
  assert.throws(() => paramsForTensor(data, [2, 3], { ...o, granularity: 'group', axis: 1, groupSize: 0 }), argError(/groupSize 0/));
  assert.throws(() => paramsForTensor(data, [2, 3], { ...o, granularity: 'group', axis: 1, groupSize: 1.5 }), argError(/groupSize 1.5/));
  assert.throws(() => paramsForTensor(data, [2, 4], { ...o, granularity: 'tensor' }), argError(/6 elements but shape \[2, 4\] has 8/));
  assert.throws(() => paramsForTensor(data, [2, -3], { ...o, granularity: 'tensor' }), argError(/dimension 1 is -3/));
  assert.throws(() => paramsForTensor(data, [6], { ...o, granularity: 'layer' as 'tensor' }), argError(/"layer"/));
  assert.throws(() => channelRanges(Float32Array.of(1, Number.NaN), [2], 0), argError(/element 1 is NaN/));
  assert.throws(() => tensorRange(Float32Array.of(Number.NEGATIVE_INFINITY)), argError(/element 0 is -Infinity/));
});
