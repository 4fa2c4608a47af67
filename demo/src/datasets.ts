/** The worker's side of the samples: a SampleSource as a Dataset, with the model's preprocessing. */
import { limitDataset, type Dataset } from '../../src/data/dataset.ts';
import { idxDataset } from '../../src/data/idx-dataset.ts';
import { imageDataset } from '../../src/data/image-dataset.ts';
import type { Preprocess } from '../../src/data/preprocess.ts';
import type { Model } from '../../src/ir/graph.ts';
import type { SampleSource } from './protocol.ts';

/** The first `count` samples of a source. */
export async function openSource(source: SampleSource, preprocess: Partial<Preprocess>, count: number): Promise<Dataset> {
  const dataset =
    source.kind === 'idx'
      ? idxDataset({ images: source.images, imagesName: `${source.name} images`, labels: source.labels, labelsName: `${source.name} labels` }, preprocess)
      : await imageDataset(
          source.images.map((image) => ({ name: image.path, label: image.label, read: async () => new Uint8Array(await image.file.arrayBuffer()) })),
          { preprocess, labelled: source.labelled, where: source.name },
        );
  return limitDataset(dataset, count);
}

/**
 * Preprocessing for a model without a sidecar: layout, channels and size read off a 4-D image
 * input ([N, C, H, W] or [N, H, W, C] with C = 1 or 3); pixel values stay 0..255.
 */
export function preprocessFromInput(model: Model): Partial<Preprocess> {
  const shape = model.graph.inputs[0]?.shape;
  if (shape?.length !== 4) return {};
  const size = (h: unknown, w: unknown) => (typeof h === 'number' && typeof w === 'number' && h > 0 && w > 0 ? { size: [h, w] as [number, number] } : {});
  const [, a, b, c] = shape;
  if (a === 1 || a === 3) return { layout: 'NCHW', channels: a, ...size(b, c) };
  if (c === 1 || c === 3) return { layout: 'NHWC', channels: c, ...size(a, b) };
  return {};
}
