/**
 * Datasets: what calibration, evaluation and training read. A dataset is an async iterable of
 * batches, so a calibration set never has to fit in memory (loaders stream from disk where the
 * format allows).
 */
import { DataError } from '../errors.ts';
import { tensor, type Tensor } from '../ir/tensor.ts';

export interface Batch {
  /** float32 [n, ...sampleShape], already preprocessed for the model's input. */
  readonly input: Tensor;
  /** Class labels, one per sample, when the dataset has them. */
  readonly labels?: Int32Array;
}

export interface Dataset {
  /** Number of samples, when known without reading everything. */
  readonly size: number | undefined;
  /** Shape of one sample (without the batch dimension). */
  readonly sampleShape: readonly number[];
  /** Batches of up to `batchSize` samples, in order; the last one may be shorter. */
  batches(batchSize: number): AsyncIterable<Batch>;
}

/** A dataset over samples already in memory: `data` holds `count` samples of `sampleShape`, back to back. */
export function arrayDataset(data: Float32Array, sampleShape: readonly number[], labels?: Int32Array): Dataset {
  const sampleSize = sampleShape.reduce((a, b) => a * b, 1);
  if (sampleSize === 0 || data.length % sampleSize !== 0) {
    throw new DataError(`dataset: ${data.length} values do not split into samples of shape [${sampleShape.join(', ')}]`);
  }
  const count = data.length / sampleSize;
  if (labels !== undefined && labels.length !== count) {
    throw new DataError(`dataset: ${count} samples but ${labels.length} labels`);
  }
  return {
    size: count,
    sampleShape: [...sampleShape],
    async *batches(batchSize: number) {
      checkBatchSize(batchSize);
      for (let start = 0; start < count; start += batchSize) {
        const n = Math.min(batchSize, count - start);
        const input = tensor('float32', [n, ...sampleShape], data.slice(start * sampleSize, (start + n) * sampleSize));
        yield labels === undefined ? { input } : { input, labels: labels.slice(start, start + n) };
      }
    },
  };
}

/** The first `limit` samples of a dataset. */
export function limitDataset(dataset: Dataset, limit: number): Dataset {
  if (!Number.isInteger(limit) || limit < 1) throw new DataError(`dataset limit must be a positive integer, got ${limit}`);
  return {
    size: dataset.size === undefined ? undefined : Math.min(dataset.size, limit),
    sampleShape: dataset.sampleShape,
    async *batches(batchSize: number) {
      let left = limit;
      for await (const batch of dataset.batches(Math.min(batchSize, limit))) {
        if (left <= 0) return;
        const n = batch.input.shape[0];
        if (n <= left) {
          yield batch;
          left -= n;
        } else {
          yield sliceBatch(batch, left);
          return;
        }
      }
    },
  };
}

/** The first `n` samples of a batch. */
export function sliceBatch(batch: Batch, n: number): Batch {
  const [, ...rest] = batch.input.shape;
  const sampleSize = rest.reduce((a, b) => a * b, 1);
  const input = tensor('float32', [n, ...rest], (batch.input.data as Float32Array).slice(0, n * sampleSize));
  return batch.labels === undefined ? { input } : { input, labels: batch.labels.slice(0, n) };
}

export function checkBatchSize(batchSize: number): void {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new DataError(`batch size must be a positive integer, got ${batchSize}`);
}
