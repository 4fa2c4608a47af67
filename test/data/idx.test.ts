import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { encodeIdxUint8, parseIdx } from '../../src/data/idx.ts';
import { DataError } from '../../src/errors.ts';

test('the official t10k labels: first labels and class counts as published', () => {
  const labels = parseIdx(readFileSync('data/mnist/t10k-labels-idx1-ubyte.gz'), 't10k labels');
  assert.deepEqual(labels.shape, [10000]);
  assert.deepEqual([...labels.data.subarray(0, 5)], [7, 2, 1, 0, 4]);
  const counts = new Array(10).fill(0);
  for (const l of labels.data) counts[l]++;
  // Class counts of the MNIST test set (data/mnist/SOURCE.txt).
  assert.deepEqual(counts, [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
});

test('the official t10k images: 10,000 × 28 × 28 uint8', () => {
  const images = parseIdx(readFileSync('data/mnist/t10k-images-idx3-ubyte.gz'), 't10k images');
  assert.equal(images.type, 'uint8');
  assert.deepEqual(images.shape, [10000, 28, 28]);
});

test('encode → gzip → parse round-trips, big-endian dims', () => {
  const data = Uint8Array.from({ length: 2 * 3 * 4 }, (_, i) => i * 7);
  const bytes = encodeIdxUint8([2, 3, 4], data);
  // Header written by hand: magic 0x00000803, then dims 2, 3, 4 big-endian.
  assert.deepEqual([...bytes.subarray(0, 16)], [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4]);
  const parsed = parseIdx(gzipSync(bytes));
  assert.deepEqual(parsed.shape, [2, 3, 4]);
  assert.deepEqual([...parsed.data], [...data]);
});

test('int32 and float32 IDX elements are big-endian', () => {
  const bytes = new Uint8Array([0, 0, 0x0c, 1, 0, 0, 0, 2, 0xff, 0xff, 0xff, 0xfe, 0, 0, 1, 0]);
  assert.deepEqual([...parseIdx(bytes).data], [-2, 256]);
  const f = new Uint8Array([0, 0, 0x0d, 1, 0, 0, 0, 1, 0x3f, 0xc0, 0, 0]);
  assert.deepEqual([...parseIdx(f).data], [1.5]);
});

test('bad IDX input gives DataError naming the file', () => {
  assert.throws(() => parseIdx(new Uint8Array([1, 2, 3, 4]), 'x.idx'), (e) => e instanceof DataError && /x\.idx.*magic/.test(e.message));
  assert.throws(() => parseIdx(new Uint8Array([0, 0, 0x42, 1, 0, 0, 0, 1, 0]), 'y'), (e) => e instanceof DataError && /element type/.test(e.message));
  const truncated = encodeIdxUint8([2, 2], new Uint8Array(4)).subarray(0, 14);
  assert.throws(() => parseIdx(truncated, 'z'), (e) => e instanceof DataError && /needs 16 bytes/.test(e.message));
  assert.throws(() => parseIdx(new Uint8Array([0x1f, 0x8b, 1, 2, 3]), 'g'), (e) => e instanceof DataError && /gzip/.test(e.message));
});
