import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arrayDataset } from '../../../src/data/dataset.ts';
import { epochBatches, loadTrainingData } from '../../../src/qat/train/data.ts';
import { deriveSeed, permutation, seededRandom } from '../../../src/qat/train/random.ts';

test('an epoch visits every sample once, in a seeded order, with its label', async () => {
  const data = await loadTrainingData(arrayDataset(Float32Array.from({ length: 37 * 4 }, (_, i) => Math.floor(i / 4)), [1, 2, 2], Int32Array.from({ length: 37 }, (_, i) => i % 10)));
  assert.equal(data.count, 37);
  const seen: number[] = [];
  const sizes: number[] = [];
  for (const b of epochBatches(data, { batchSize: 10, uniform: seededRandom(3), shift: 0 })) {
    sizes.push(b.labels.length);
    for (let i = 0; i < b.labels.length; i++) {
      const sample = b.input.data[i * 4];
      assert.equal(b.labels[i], sample % 10);
      seen.push(sample);
    }
  }
  assert.deepEqual(sizes, [10, 10, 10, 7]);
  assert.deepEqual([...seen].sort((a, b) => a - b), Array.from({ length: 37 }, (_, i) => i));
  assert.notDeepEqual(seen, Array.from({ length: 37 }, (_, i) => i), 'shuffled');
  assert.deepEqual(Array.from(permutation(37, seededRandom(3))), seen, 'the order is the seeded permutation');
  assert.notEqual(deriveSeed(1, 0), deriveSeed(1, 1));
  assert.notEqual(deriveSeed(1, 0), deriveSeed(2, 0));
});

test('loading an unlabelled dataset for training fails with a DataError', async () => {
  await assert.rejects(loadTrainingData(arrayDataset(new Float32Array(8), [2, 2])), /training needs labels/);
});
