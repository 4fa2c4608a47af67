import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RangeArgumentError, ShapeError } from '../../../../src/errors.ts';
import { resizeImpl, resizeKernels } from '../../../../src/runtime/kernels/float/resize.ts';
import { assertClose, assertTensor, float, i64, int, ints, make, Rng, runKernel, str } from './kernel-test-utils.ts';

const f32 = (shape: number[], values: number[]) => make('float32', shape, values);
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const resize = (x: ReturnType<typeof f32>, attrs: Record<string, ReturnType<typeof str>>, roi?: number[], scales?: number[], sizes?: number[]) =>
  runKernel(resizeKernels, 'Resize', [x, roi && f32([roi.length], roi), scales && f32([scales.length], scales), sizes && i64(sizes)], attrs)[0];

test('spec examples: nearest up/down with scales', () => {
  const x = f32([1, 1, 2, 2], [1, 2, 3, 4]);
  assertTensor(resize(x, {}, undefined, [1, 1, 2, 3]), 'float32', [1, 1, 4, 6], [1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4]);
  assertTensor(resize(f32([1, 1, 2, 4], range(8)), {}, undefined, [1, 1, 0.6, 0.6]), 'float32', [1, 1, 1, 2], [1, 3]);
  // axes: scales given for the last two axes only (in either order).
  assertTensor(resize(x, { axes: ints([3, 2]) }, undefined, [3, 2]), 'float32', [1, 1, 4, 6], [1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4]);
});

test('spec examples: linear with half_pixel and align_corners', () => {
  const x = f32([1, 1, 2, 2], [1, 2, 3, 4]);
  assertClose(resize(x, { mode: str('linear') }, undefined, [1, 1, 2, 2]), {
    shape: [1, 1, 4, 4],
    data: [1, 1.25, 1.75, 2, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3, 3.25, 3.75, 4],
  });
  const t = 1 / 3;
  assertClose(resize(x, { mode: str('linear'), coordinate_transformation_mode: str('align_corners') }, undefined, [1, 1, 2, 2]), {
    shape: [1, 1, 4, 4],
    data: [1, 1 + t, 1 + 2 * t, 2, 1 + 2 * t, 2, 2 + t, 2 + 2 * t, 2 + t, 2 + 2 * t, 3, 3 + t, 3, 3 + t, 3 + 2 * t, 4],
  });
  const y = f32([1, 1, 2, 4], range(8));
  assertClose(resize(y, { mode: str('linear') }, undefined, [1, 1, 0.6, 0.6]), { shape: [1, 1, 1, 2], data: [2.6666665, 4.3333331] }, 1e-6);
  // align_corners with a fractional output length (2.4): x_original = x · 3 / 1.4.
  assertClose(resize(y, { mode: str('linear'), coordinate_transformation_mode: str('align_corners') }, undefined, [1, 1, 0.6, 0.6]), { shape: [1, 1, 1, 2], data: [1, 1 + 3 / 1.4] }, 1e-6);
});

test('spec examples: tf_crop_and_resize with and without extrapolation', () => {
  const x = f32([1, 1, 4, 4], range(16));
  const attrs = { mode: str('linear'), coordinate_transformation_mode: str('tf_crop_and_resize') };
  assertClose(resize(x, attrs, [0, 0, 0.4, 0.6, 1, 1, 0.6, 0.8], undefined, [1, 1, 3, 3]), {
    shape: [1, 1, 3, 3],
    data: [7.6, 7.9, 8.2, 8.8, 9.1, 9.4, 10, 10.3, 10.6],
  }, 1e-5);
  assertClose(resize(x, { ...attrs, extrapolation_value: float(10) }, [0, 0, 0.4, 0.6, 1, 1, 1.2, 1.7], undefined, [1, 1, 3, 3]), {
    shape: [1, 1, 3, 3],
    data: [7.6, 10, 10, 12.4, 10, 10, 10, 10, 10],
  }, 1e-5);
  // axes form: roi only for the two resized axes.
  assertClose(resize(x, { ...attrs, axes: ints([2, 3]) }, [0.4, 0.6, 0.6, 0.8], undefined, [3, 3]), {
    shape: [1, 1, 3, 3],
    data: [7.6, 7.9, 8.2, 8.8, 9.1, 9.4, 10, 10.3, 10.6],
  }, 1e-5);
});

/** x_original per the spec's formulas, for a 1-D reference. */
function original(mode: string, x: number, scale: number, inLen: number, outLen: number): number {
  switch (mode) {
    case 'asymmetric':
      return x / scale;
    case 'align_corners':
      return outLen === 1 ? 0 : (x * (inLen - 1)) / (outLen - 1);
    default:
      return (x + 0.5) / scale - 0.5;
  }
}

test('nearest modes and coordinate modes on random 1-D sizes', () => {
  const rng = new Rng(71);
  const pick: Record<string, (c: number) => number> = {
    round_prefer_floor: (c) => (c - Math.floor(c) <= 0.5 ? Math.floor(c) : Math.ceil(c)),
    round_prefer_ceil: (c) => (c - Math.floor(c) < 0.5 ? Math.floor(c) : Math.ceil(c)),
    floor: Math.floor,
    ceil: Math.ceil,
  };
  for (let trial = 0; trial < 60; trial++) {
    const inLen = rng.int(1, 6);
    const outLen = rng.int(1, 12);
    const coord = ['half_pixel', 'asymmetric', 'align_corners'][rng.int(0, 2)];
    const nearest = Object.keys(pick)[rng.int(0, 3)];
    const x = f32([inLen], range(inLen).map((v) => v * 10));
    const out = resize(x, { coordinate_transformation_mode: str(coord), nearest_mode: str(nearest) }, undefined, undefined, [outLen]);
    const expected = Array.from({ length: outLen }, (_, i) => {
      const c = original(coord, i, outLen / inLen, inLen, outLen);
      return x.data[Math.min(Math.max(pick[nearest](c), 0), inLen - 1)];
    });
    assertTensor(out, 'float32', [outLen], expected, `${coord} ${nearest} ${inLen}→${outLen}`);
  }
});

/** Direct 2-D weighted sum with per-axis 1-D weights and edge clamping. */
function separable(data: ArrayLike<number>, h: number, w: number, wy: (o: number) => [number, number][], wx: (o: number) => [number, number][], oh: number, ow: number): number[] {
  const out: number[] = [];
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      let v = 0;
      for (const [iy, cy] of wy(y)) for (const [ix, cx] of wx(x)) v += cy * cx * data[Math.min(Math.max(iy, 0), h - 1) * w + Math.min(Math.max(ix, 0), w - 1)];
      out.push(v);
    }
  }
  return out;
}

function keys(t: number, a: number): number {
  t = Math.abs(t);
  if (t <= 1) return (a + 2) * t ** 3 - (a + 3) * t ** 2 + 1;
  if (t < 2) return a * t ** 3 - 5 * a * t ** 2 + 8 * a * t - 4 * a;
  return 0;
}

test('cubic (a = −0.75, half_pixel) equals the direct 4×4-tap sum; spec example first row', () => {
  const x = f32([1, 1, 4, 4], range(16));
  const out = resize(x, { mode: str('cubic') }, undefined, [1, 1, 2, 2]);
  const taps = (o: number): [number, number][] => {
    const c = (o + 0.5) / 2 - 0.5;
    const i0 = Math.floor(c);
    return [-1, 0, 1, 2].map((k) => [i0 + k, keys(c - (i0 + k), -0.75)]);
  };
  assertClose(out, { shape: [1, 1, 8, 8], data: separable(x.data, 4, 4, taps, taps, 8, 8) }, 1e-5, 1e-5);
  assertClose(
    { shape: [8], data: out.data.subarray(0, 8) } as never,
    { shape: [8], data: [0.47265625, 0.76953125, 1.24609375, 1.875, 2.28125, 2.91015625, 3.38671875, 3.68359375] },
    1e-6,
  );
});

test('cubic with exclude_outside renormalises the inside taps', () => {
  const x = f32([4], [1, 2, 4, 8]);
  const out = resize(x, { mode: str('cubic'), exclude_outside: int(1), cubic_coeff_a: float(-0.5) }, undefined, [2]);
  const expected = Array.from({ length: 8 }, (_, o) => {
    const c = (o + 0.5) / 2 - 0.5;
    const i0 = Math.floor(c);
    let sum = 0;
    let norm = 0;
    for (let k = -1; k <= 2; k++) {
      const i = i0 + k;
      if (i < 0 || i > 3) continue;
      const w = keys(c - i, -0.5);
      sum += w * x.data[i];
      norm += w;
    }
    return sum / norm;
  });
  assertClose(out, { shape: [8], data: expected }, 1e-6, 1e-6);
});

test('antialiased linear downsampling is a normalised triangle filter of width 2/scale', () => {
  const rng = new Rng(73);
  const x = make('float32', [1, 1, 6, 7], Array.from({ length: 42 }, () => rng.uniform() * 10));
  const out = resize(x, { mode: str('linear'), antialias: int(1) }, undefined, undefined, [1, 1, 3, 3]);
  const taps = (inLen: number, outLen: number) => (o: number): [number, number][] => {
    const scale = outLen / inLen;
    const c = (o + 0.5) / scale - 0.5;
    const list: [number, number][] = [];
    for (let i = -10; i < inLen + 10; i++) {
      const w = Math.max(0, 1 - Math.abs(i - c) * scale);
      if (w > 0) list.push([i, w]);
    }
    const total = list.reduce((s, [, w]) => s + w, 0);
    return list.map(([i, w]) => [i, w / total]);
  };
  assertClose(out, { shape: [1, 1, 3, 3], data: separable(x.data, 6, 7, taps(6, 3), taps(7, 3), 3, 3) }, 1e-5, 1e-5);
  // A constant image stays constant under any filter.
  const flat = resize(f32([1, 1, 5, 5], new Array(25).fill(3)), { mode: str('cubic'), antialias: int(1) }, undefined, [1, 1, 0.5, 0.5]);
  assertClose(flat, { shape: [1, 1, 2, 2], data: [3, 3, 3, 3] }, 1e-6);
});

test('sizes with keep_aspect_ratio_policy', () => {
  const x = f32([1, 1, 2, 2], [1, 2, 3, 4]);
  // Without axes, N and C take part: their ratio 1 caps not_larger, and not_smaller scales them too.
  assert.deepEqual(resize(x, { keep_aspect_ratio_policy: str('not_larger') }, undefined, undefined, [1, 1, 7, 8]).shape, [1, 1, 2, 2]);
  assert.deepEqual(resize(x, { keep_aspect_ratio_policy: str('not_smaller') }, undefined, undefined, [1, 1, 7, 8]).shape, [4, 4, 8, 8]);
  assert.deepEqual(resize(x, { keep_aspect_ratio_policy: str('not_larger'), axes: ints([2, 3]) }, undefined, undefined, [7, 8]).shape, [1, 1, 7, 7]);
  assert.deepEqual(resize(x, { keep_aspect_ratio_policy: str('not_smaller'), axes: ints([2, 3]) }, undefined, undefined, [7, 8]).shape, [1, 1, 8, 8]);
  assert.deepEqual(resize(x, { keep_aspect_ratio_policy: str('not_larger'), axes: ints([2, 3]) }, undefined, undefined, [3, 5]).shape, [1, 1, 3, 3]);
  assert.deepEqual(resizeImpl(f32([2, 2], [1, 2, 3, 4]), { sizes: [3, 1] }).shape, [3, 1]);
});

test('integer inputs are clamped and truncated; bad arguments are errors', () => {
  const u8 = make('uint8', [4], [0, 255, 0, 255]);
  const cubic = resizeImpl(u8, { mode: 'cubic', scales: [2] });
  assert.equal(cubic.dtype, 'uint8');
  assert.ok(Array.from(cubic.data).every((v) => v >= 0 && v <= 255));
  const x = f32([1, 1, 2, 2], [1, 2, 3, 4]);
  assert.throws(() => runKernel(resizeKernels, 'Resize', [x]), (e: unknown) => e instanceof ShapeError && /test_Resize/.test(e.message));
  assert.throws(() => resize(x, {}, undefined, [1, 1, 2]), ShapeError);
  assert.throws(() => resize(x, {}, undefined, [1, 1, 2, 2], [1, 1, 4, 4]), ShapeError);
  assert.throws(() => resize(x, {}, undefined, [1, 1, 0, 2]), RangeArgumentError);
  assert.throws(() => resize(x, { mode: str('area') }, undefined, [1, 1, 2, 2]), RangeArgumentError);
  assert.throws(() => resize(x, { antialias: int(1) }, undefined, [1, 1, 2, 2]), RangeArgumentError);
});
