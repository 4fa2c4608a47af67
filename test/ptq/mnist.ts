// Shared fixtures for the PTQ tests: the bundled mnist-8 and slices of the bundled data.
import { readFileSync } from 'node:fs';
import { arrayDataset, type Dataset } from '../../src/data/dataset.ts';
import { parseIdx } from '../../src/data/idx.ts';
import type { Model } from '../../src/ir/graph.ts';
import { importModel } from '../../src/onnx/import.ts';

export const MNIST_MODEL_PATH = 'models/mnist-8.onnx';

export function mnistModel(): Model {
  return importModel(readFileSync(MNIST_MODEL_PATH), { fileName: MNIST_MODEL_PATH });
}

/** The first `count` images (raw 0..255, as mnist-8 expects) and labels of an IDX pair. */
export function mnistData(set: 'calib' | 't10k', count: number): { dataset: Dataset; images: Float32Array; labels: Int32Array } {
  const images = parseIdx(readFileSync(`data/mnist/${set}-images-idx3-ubyte.gz`)).data as Uint8Array;
  const labels = parseIdx(readFileSync(`data/mnist/${set}-labels-idx1-ubyte.gz`)).data as Uint8Array;
  const x = Float32Array.from(images.subarray(0, count * 784));
  const y = Int32Array.from(labels.subarray(0, count));
  return { dataset: arrayDataset(x, [1, 28, 28], y), images: x, labels: y };
}
