// PNG/JPEG bytes from any source (the browser demo's dropped files) as a Dataset, read batch by batch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encode as encodePng } from 'fast-png';
import { imageDataset, type ImageSource } from '../../src/data/image-dataset.ts';
import { DataError } from '../../src/errors.ts';

function gray(name: string, label: number, size: number, value: number, reads: string[]): ImageSource {
  const bytes = encodePng({ width: size, height: size, data: new Uint8Array(size * size).fill(value), channels: 1, depth: 8 });
  return { name, label, read: async () => (reads.push(name), bytes) };
}

test('decodes on demand: the first image at creation (it fixes the sample shape), the rest batch by batch', async () => {
  const reads: string[] = [];
  const dataset = await imageDataset([gray('a', 1, 2, 10, reads), gray('b', 0, 2, 20, reads), gray('c', 1, 2, 30, reads)], { preprocess: { channels: 1 }, labelled: true, where: 'folder' });
  assert.deepEqual([dataset.size, dataset.sampleShape, reads], [3, [1, 2, 2], ['a']]);
  const batches = [];
  for await (const b of dataset.batches(2)) batches.push({ first: b.input.data[0], shape: b.input.shape, labels: [...(b.labels ?? [])] });
  assert.deepEqual(batches, [
    { first: 10, shape: [2, 1, 2, 2], labels: [1, 0] },
    { first: 30, shape: [1, 1, 2, 2], labels: [1] },
  ]);
  assert.deepEqual(reads, ['a', 'a', 'b', 'c']);
});

test('unlabelled images carry no labels; no images, or an image of another size, is a DataError naming it', async () => {
  const reads: string[] = [];
  const unlabelled = await imageDataset([gray('a', -1, 2, 10, reads)], { preprocess: { channels: 1 }, labelled: false, where: 'folder' });
  for await (const b of unlabelled.batches(4)) assert.equal(b.labels, undefined);
  await assert.rejects(imageDataset([], { labelled: false, where: 'empty folder' }), (e) => e instanceof DataError && /empty folder: no \.png/.test(e.message));
  const mixed = await imageDataset([gray('a', 0, 2, 10, reads), gray('big', 0, 3, 10, reads)], { preprocess: { channels: 1 }, labelled: true, where: 'folder' });
  await assert.rejects(async () => {
    for await (const _ of mixed.batches(2));
  }, (e) => e instanceof DataError && /big: preprocessed to \[1, 3, 3\]/.test(e.message));
});
