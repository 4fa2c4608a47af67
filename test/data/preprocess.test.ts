import { test } from 'node:test';
import assert from 'node:assert/strict';
import { preprocessImage, resolvePreprocess } from '../../src/data/preprocess.ts';
import { DataError } from '../../src/errors.ts';

const rgb = (width: number, height: number, pixels: number[]) => ({ width, height, channels: 3, pixels: Uint8Array.from(pixels) });

test('NCHW planes, scale then mean/std per channel', () => {
  // 2×1 RGB image: pixel 0 = (10, 20, 30), pixel 1 = (40, 50, 60).
  const image = rgb(2, 1, [10, 20, 30, 40, 50, 60]);
  const p = resolvePreprocess({ scale: 0.5, mean: [1, 2, 3], std: [2, 4, 8] });
  const { shape, data } = preprocessImage(image, p);
  assert.deepEqual(shape, [3, 1, 2]);
  // (x·0.5 − mean[c]) / std[c], computed by hand.
  assert.deepEqual([...data], [2, 9.5, 2, 5.75, 1.5, 3.375]);
});

test('NHWC interleaves, BGR swaps, grayscale uses BT.601 luma', () => {
  const image = rgb(1, 1, [100, 150, 200]);
  const bgr = preprocessImage(image, resolvePreprocess({ layout: 'NHWC', channelOrder: 'BGR' }));
  assert.deepEqual(bgr.shape, [1, 1, 3]);
  assert.deepEqual([...bgr.data], [200, 150, 100]);
  const gray = preprocessImage(image, resolvePreprocess({ channels: 1 }));
  assert.ok(Math.abs(gray.data[0] - (0.299 * 100 + 0.587 * 150 + 0.114 * 200)) < 1e-4);
});

test('bilinear downscale by 2 averages each 2×2 block (half-pixel centres)', () => {
  const pixels: number[] = [];
  const values = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150];
  for (const v of values) pixels.push(v);
  const image = { width: 4, height: 4, channels: 1, pixels: Uint8Array.from(pixels) };
  const { data } = preprocessImage(image, resolvePreprocess({ channels: 1, size: [2, 2] }));
  const block = (r: number, c: number) => (values[r * 8 + c * 2] + values[r * 8 + c * 2 + 1] + values[r * 8 + c * 2 + 4] + values[r * 8 + c * 2 + 5]) / 4;
  assert.deepEqual([...data], [block(0, 0), block(0, 1), block(1, 0), block(1, 1)]);
});

test('invalid preprocessing is a DataError naming the field', () => {
  assert.throws(() => resolvePreprocess({ std: [0] }), (e) => e instanceof DataError && /std/.test(e.message));
  assert.throws(() => resolvePreprocess({ channels: 2 as 1 }), (e) => e instanceof DataError && /channels/.test(e.message));
  assert.throws(() => resolvePreprocess({ mean: [1, 2] }), (e) => e instanceof DataError && /mean/.test(e.message));
  assert.throws(() => resolvePreprocess({ size: [0, 3] }), (e) => e instanceof DataError && /size/.test(e.message));
});
