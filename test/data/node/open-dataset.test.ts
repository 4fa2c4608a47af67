import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encode as encodePng } from 'fast-png';
import { encodeIdxUint8 } from '../../../src/data/idx.ts';
import { openDataset } from '../../../src/data/node/open-dataset.ts';
import type { Dataset } from '../../../src/data/dataset.ts';
import { DataError } from '../../../src/errors.ts';
import { npyBytes } from '../npy-fixture.ts';

async function collect(dataset: Dataset, batchSize: number) {
  const sizes: number[] = [];
  const values: number[] = [];
  const labels: number[] = [];
  for await (const batch of dataset.batches(batchSize)) {
    sizes.push(batch.input.shape[0]);
    values.push(...batch.input.data);
    if (batch.labels) labels.push(...batch.labels);
  }
  return { sizes, values, labels };
}

function withTempDir(fn: (dir: string) => Promise<void>) {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quantkit-data-'));
    try {
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

test('the bundled t10k set opens with labels found beside the images', async () => {
  const dataset = await openDataset('data/mnist/t10k-images-idx3-ubyte.gz');
  assert.equal(dataset.size, 10000);
  assert.deepEqual(dataset.sampleShape, [1, 28, 28]);
  for await (const batch of dataset.batches(5)) {
    assert.deepEqual(batch.input.shape, [5, 1, 28, 28]);
    assert.deepEqual([...(batch.labels ?? [])], [7, 2, 1, 0, 4]);
    break;
  }
});

test('IDX: preprocessing scale applies; batches cover every sample once', withTempDir(async (dir) => {
  const images = Uint8Array.from({ length: 5 * 2 * 2 }, (_, i) => i * 10);
  writeFileSync(join(dir, 'x-images-idx3-ubyte.gz'), gzipSync(encodeIdxUint8([5, 2, 2], images)));
  writeFileSync(join(dir, 'x-labels-idx1-ubyte.gz'), gzipSync(encodeIdxUint8([5], new Uint8Array([4, 3, 2, 1, 0]))));
  const dataset = await openDataset(join(dir, 'x-images-idx3-ubyte.gz'), { preprocess: { scale: 0.1, mean: [1] } });
  const { sizes, values, labels } = await collect(dataset, 2);
  assert.deepEqual(sizes, [2, 2, 1]);
  assert.deepEqual(labels, [4, 3, 2, 1, 0]);
  values.forEach((v, i) => assert.ok(Math.abs(v - (i * 10 * 0.1 - 1)) < 1e-5));
}));

test('.npy streams in batches with labels from X.labels.npy', withTempDir(async (dir) => {
  const values = Float32Array.from({ length: 7 * 3 }, (_, i) => i / 4);
  writeFileSync(join(dir, 'x.npy'), npyBytes('<f4', [7, 3], new Uint8Array(values.buffer)));
  writeFileSync(join(dir, 'x.labels.npy'), npyBytes('<i8', [7], new Uint8Array(new BigInt64Array([0n, 1n, 2n, 3n, 4n, 5n, 6n]).buffer)));
  const dataset = await openDataset(join(dir, 'x.npy'));
  assert.deepEqual(dataset.sampleShape, [3]);
  const got = await collect(dataset, 3);
  assert.deepEqual(got.sizes, [3, 3, 1]);
  assert.deepEqual(got.values, [...values]);
  assert.deepEqual(got.labels, [0, 1, 2, 3, 4, 5, 6]);
}));

test('image folder: one subfolder per class, sorted, resized', withTempDir(async (dir) => {
  for (const [cls, value] of [['cat', 10], ['ant', 200]] as const) {
    mkdirSync(join(dir, cls));
    const rgba = new Uint8Array(4 * 4 * 4).fill(value);
    for (let i = 3; i < rgba.length; i += 4) rgba[i] = 255;
    writeFileSync(join(dir, cls, 'a.png'), encodePng({ width: 4, height: 4, data: rgba, channels: 4, depth: 8 }));
  }
  const dataset = await openDataset(dir, { preprocess: { size: [2, 2], scale: 1 / 255 } });
  assert.deepEqual(dataset.sampleShape, [3, 2, 2]);
  const { labels, values } = await collect(dataset, 8);
  assert.deepEqual(labels, [0, 1]); // ant = 0, cat = 1
  assert.ok(Math.abs(values[0] - 200 / 255) < 1e-6);
  assert.ok(Math.abs(values[12] - 10 / 255) < 1e-6);
}));

test('missing paths and empty folders are DataErrors', withTempDir(async (dir) => {
  await assert.rejects(openDataset(join(dir, 'nope.gz')), (e) => e instanceof DataError && /nope\.gz/.test(e.message));
  await assert.rejects(openDataset(dir), (e) => e instanceof DataError && /no \.png/.test(e.message));
}));
