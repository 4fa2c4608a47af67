// IDX bytes in memory (what the browser demo fetches) as a Dataset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'fflate';
import { encodeIdxUint8 } from '../../src/data/idx.ts';
import { idxDataset } from '../../src/data/idx-dataset.ts';
import { DataError } from '../../src/errors.ts';

const images = encodeIdxUint8([3, 2, 2], Uint8Array.from({ length: 12 }, (_, i) => i * 20));

test('images and labels from bytes, gzip or not; mean/std apply to the grayscale plane', async () => {
  const dataset = idxDataset({ images: gzipSync(images), imagesName: 'x', labels: encodeIdxUint8([3], Uint8Array.of(9, 8, 7)) }, { mean: [10], std: [2] });
  assert.deepEqual(dataset.sampleShape, [1, 2, 2]);
  const batches = [];
  for await (const b of dataset.batches(2)) batches.push({ values: [...b.input.data], labels: [...(b.labels ?? [])] });
  assert.deepEqual(batches, [
    { values: [-5, 5, 15, 25, 35, 45, 55, 65], labels: [9, 8] },
    { values: [75, 85, 95, 105], labels: [7] },
  ]);
});

test('without labels the samples are unlabelled; a label count that does not match is a DataError naming the file', async () => {
  for await (const b of idxDataset({ images, imagesName: 'x' }).batches(8)) assert.equal(b.labels, undefined);
  assert.throws(
    () => idxDataset({ images, imagesName: 'x', labels: encodeIdxUint8([2], Uint8Array.of(1, 2)), labelsName: 'y-labels' }),
    (e) => e instanceof DataError && /y-labels: expected 3 labels/.test(e.message),
  );
  assert.throws(() => idxDataset({ images: encodeIdxUint8([4], new Uint8Array(4)), imagesName: 'flat' }), (e) => e instanceof DataError && /flat: .*2 dimensions/.test(e.message));
});
