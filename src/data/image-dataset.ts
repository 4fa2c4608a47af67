/**
 * PNG/JPEG images as a Dataset, decoded batch by batch from wherever their bytes come from: files
 * on disk (`openDataset` in Node) or File objects a user dropped on the browser demo. The first
 * image fixes the sample shape when the preprocessing gives no target size; every other image must
 * match it.
 */
import { DataError } from '../errors.ts';
import { tensor } from '../ir/tensor.ts';
import { checkBatchSize, type Batch, type Dataset } from './dataset.ts';
import { decodeImage } from './image.ts';
import { preprocessImage, resolvePreprocess, type Preprocess } from './preprocess.ts';

export interface ImageSource {
  /** Names the image in messages (its path). */
  readonly name: string;
  /** Class index; ignored when the dataset is unlabelled. */
  readonly label: number;
  readonly read: () => Promise<Uint8Array>;
}

export async function imageDataset(images: readonly ImageSource[], options: { preprocess?: Partial<Preprocess>; labelled: boolean; where: string }): Promise<Dataset> {
  if (images.length === 0) throw new DataError(`${options.where}: no .png/.jpg/.jpeg images found (expected one subfolder per class, or images directly)`);
  const p = resolvePreprocess(options.preprocess, 'preprocess');
  const load = async (image: ImageSource) => preprocessImage(decodeImage(await image.read(), image.name), p);
  const first = await load(images[0]);
  const sampleSize = first.data.length;
  return {
    size: images.length,
    sampleShape: first.shape,
    async *batches(batchSize: number): AsyncGenerator<Batch> {
      checkBatchSize(batchSize);
      for (let start = 0; start < images.length; start += batchSize) {
        const n = Math.min(batchSize, images.length - start);
        const values = new Float32Array(n * sampleSize);
        const labels = new Int32Array(n);
        for (let i = 0; i < n; i++) {
          const image = images[start + i];
          const sample = await load(image);
          if (sample.data.length !== sampleSize) {
            throw new DataError(`${image.name}: preprocessed to [${sample.shape.join(', ')}], other images give [${first.shape.join(', ')}]; set preprocess.size`);
          }
          values.set(sample.data, i * sampleSize);
          labels[i] = image.label;
        }
        const input = tensor('float32', [n, ...first.shape], values);
        yield options.labelled ? { input, labels } : { input };
      }
    },
  };
}
