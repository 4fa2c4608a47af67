/** The mnist-8 workload shared by bench sections: t10k in memory, and onnxruntime passes over it. */
import { readFileSync } from 'node:fs';
import { openDataset } from '../../src/data/node/open-dataset.ts';
import type { Dataset } from '../../src/data/dataset.ts';
import { parseSidecar } from '../../src/data/sidecar.ts';
import type { BenchRow } from './report.ts';
import type { OrtRunner } from './onnxruntime.ts';

export const MNIST_MODEL = 'models/mnist-8.onnx';
const IMAGES = 'data/mnist/t10k-images-idx3-ubyte.gz';

export interface Mnist {
  readonly dataset: Dataset;
  readonly images: Float32Array;
  readonly labels: Int32Array;
  readonly count: number;
}

export async function loadMnist(): Promise<Mnist> {
  const sidecar = parseSidecar(readFileSync('models/mnist-8.json', 'utf8'));
  const dataset = await openDataset(IMAGES, sidecar.preprocess === undefined ? {} : { preprocess: sidecar.preprocess });
  const parts: Float32Array[] = [];
  const labels: number[] = [];
  for await (const batch of dataset.batches(1000)) {
    parts.push(batch.input.data as Float32Array);
    labels.push(...(batch.labels ?? []));
  }
  const images = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    images.set(part, offset);
    offset += part.length;
  }
  return { dataset, images, labels: Int32Array.from(labels), count: labels.length };
}

export function argmax(row: Float32Array): number {
  let best = 0;
  for (let c = 1; c < row.length; c++) if (row[c] > row[best]) best = c;
  return best;
}

export function mnistRow(engine: string, ms: number, count: number, top1: number, baseline = false): BenchRow {
  return {
    workload: `mnist-8 t10k, ${count.toLocaleString('en-US')} images, batch 1`,
    engine,
    value: ms / 1000,
    unit: 's',
    higherIsBetter: false,
    ...(baseline ? { baseline } : {}),
    note: `${((ms * 1000) / count).toFixed(0)} µs/image, top-1 ${top1.toFixed(4)}`,
  };
}


/** Top-1 of an onnxruntime session over the first `count` images, one image per run. */
export async function ortPass(runner: OrtRunner, mnist: Mnist, count: number): Promise<number> {
  let correct = 0;
  for (let i = 0; i < count; i++) {
    const logits = await runner.run({ Input3: { data: mnist.images.subarray(i * 784, (i + 1) * 784), dims: [1, 1, 28, 28] } });
    if (argmax(logits) === mnist.labels[i]) correct++;
  }
  return correct / count;
}
