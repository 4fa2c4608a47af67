/**
 * An IDX images file (and its labels, if any) as a Dataset, from bytes: what `openDataset` reads
 * from disk in Node and the browser demo fetches. IDX images are grayscale planes, so only the
 * scale/mean/std of the preprocessing apply.
 */
import { DataError } from '../errors.ts';
import { arrayDataset, type Dataset } from './dataset.ts';
import { parseIdx } from './idx.ts';
import { normalize, resolvePreprocess, type Preprocess } from './preprocess.ts';

export interface IdxSource {
  /** The images file's bytes (gzip-compressed or not) and its name for messages. */
  readonly images: Uint8Array;
  readonly imagesName: string;
  readonly labels?: Uint8Array;
  readonly labelsName?: string;
}

export function idxDataset(source: IdxSource, preprocess?: Partial<Preprocess>): Dataset {
  const images = parseIdx(source.images, source.imagesName);
  if (images.shape.length < 2) throw new DataError(`${source.imagesName}: an IDX images file needs at least 2 dimensions, got [${images.shape.join(', ')}]`);
  const [count, ...rest] = images.shape;
  const p = resolvePreprocess({ channels: 1, ...preprocess }, 'preprocess');
  const data = Float32Array.from(images.data as ArrayLike<number>);
  normalize(data, 1, 'NCHW', p);
  const sampleShape = rest.length === 2 ? [1, ...rest] : rest;
  if (source.labels === undefined) return arrayDataset(data, sampleShape);
  const labelsName = source.labelsName ?? 'labels';
  const labels = parseIdx(source.labels, labelsName);
  if (labels.shape.length !== 1 || labels.shape[0] !== count) {
    throw new DataError(`${labelsName}: expected ${count} labels to match ${source.imagesName}, found shape [${labels.shape.join(', ')}]`);
  }
  return arrayDataset(data, sampleShape, Int32Array.from(labels.data as ArrayLike<number>));
}
