/**
 * Training data in memory: a Dataset read once into one array (training shuffles, so it needs
 * random access), and the mini-batches of an epoch: a seeded permutation, each batch gathered
 * and optionally augmented.
 */
import { DataError } from '../../errors.ts';
import type { Dataset } from '../../data/dataset.ts';
import { tensor, type Tensor } from '../../ir/tensor.ts';
import { randomAffine, randomShift } from './augment.ts';
import { permutation } from './random.ts';

export interface TrainingData {
  /** Samples back to back. */
  readonly images: Float32Array;
  readonly labels: Int32Array;
  readonly sampleShape: readonly number[];
  readonly count: number;
}

/** Reads a labelled dataset into memory. */
export async function loadTrainingData(dataset: Dataset): Promise<TrainingData> {
  const parts: Float32Array[] = [];
  const labels: number[] = [];
  for await (const batch of dataset.batches(256)) {
    if (batch.labels === undefined) throw new DataError('training needs labels; the dataset has none');
    parts.push(batch.input.data as Float32Array);
    labels.push(...batch.labels);
  }
  if (labels.length === 0) throw new DataError('training: the dataset is empty');
  const images = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    images.set(p, offset);
    offset += p.length;
  }
  return { images, labels: Int32Array.from(labels), sampleShape: dataset.sampleShape, count: labels.length };
}

export interface MiniBatch {
  readonly input: Tensor;
  readonly labels: Int32Array;
}

export interface EpochOptions {
  readonly batchSize: number;
  /** Uniform source for this epoch's order and augmentation. */
  readonly uniform: () => number;
  /** Largest random shift in pixels (0: none). */
  readonly shift: number;
  /** Largest random rotation (degrees) and relative scaling: with either, random affine maps (augment.ts). */
  readonly rotate?: number;
  readonly scale?: number;
}

function augment(input: Tensor, options: EpochOptions): Tensor {
  const rotate = options.rotate ?? 0;
  const scale = options.scale ?? 0;
  if (rotate > 0 || scale > 0) return randomAffine(input, { rotate, scale, shift: options.shift }, options.uniform);
  return options.shift > 0 ? randomShift(input, options.shift, options.uniform) : input;
}

/** The epoch's batches in a seeded order (the last one may be shorter). */
export function* epochBatches(data: TrainingData, options: EpochOptions): Generator<MiniBatch> {
  const order = permutation(data.count, options.uniform);
  const size = data.images.length / data.count;
  for (let start = 0; start < data.count; start += options.batchSize) {
    const n = Math.min(options.batchSize, data.count - start);
    const images = new Float32Array(n * size);
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const k = order[start + i];
      images.set(data.images.subarray(k * size, (k + 1) * size), i * size);
      labels[i] = data.labels[k];
    }
    const input = tensor('float32', [n, ...data.sampleShape], images);
    yield { input: augment(input, options), labels };
  }
}
