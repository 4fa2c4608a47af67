/**
 * Opens a dataset from disk: an IDX file (MNIST style, gzip or not; labels found beside it), a
 * .npy array of preprocessed samples (labels from X.labels.npy or labels.npy beside it), or a
 * folder of PNG/JPEG images with one subfolder per class (sorted names give the label indices;
 * a folder without subfolders is unlabeled).
 */
import { existsSync } from 'node:fs';
import { open, readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { DataError } from '../../errors.ts';
import { tensor } from '../../ir/tensor.ts';
import { checkBatchSize, type Batch, type Dataset } from '../dataset.ts';
import { idxDataset } from '../idx-dataset.ts';
import { imageDataset } from '../image-dataset.ts';
import { decodeNpyElements, parseNpy, parseNpyHeader } from '../npy.ts';
import type { Preprocess } from '../preprocess.ts';

export interface OpenDatasetOptions {
  /** How raw pixels become input values (IDX and image folders; .npy is taken as already preprocessed). */
  readonly preprocess?: Partial<Preprocess>;
}

export async function openDataset(path: string, options: OpenDatasetOptions = {}): Promise<Dataset> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw new DataError(`dataset ${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { cause: error });
  }
  if (info.isDirectory()) return openImageFolder(path, options);
  if (extname(path).toLowerCase() === '.npy') return openNpy(path);
  return openIdx(path, options);
}

/** The labels file beside an IDX images file: `...-images-idx3-ubyte[.gz]` → `...-labels-idx1-ubyte[.gz]`. */
export function idxLabelsPath(imagesPath: string): string | undefined {
  const name = basename(imagesPath);
  if (!/images-idx3/.test(name)) return undefined;
  const candidate = join(dirname(imagesPath), name.replace('images-idx3', 'labels-idx1'));
  return existsSync(candidate) ? candidate : undefined;
}

async function openIdx(path: string, options: OpenDatasetOptions): Promise<Dataset> {
  const labelsPath = idxLabelsPath(path);
  const source = { images: await readFile(path), imagesName: path, ...(labelsPath ? { labels: await readFile(labelsPath), labelsName: labelsPath } : {}) };
  return idxDataset(source, options.preprocess);
}

/** .npy samples are streamed from disk in batches: the array never has to fit in memory. */
async function openNpy(path: string): Promise<Dataset> {
  const handle = await open(path, 'r');
  let header;
  let fileSize;
  try {
    const head = new Uint8Array(65536);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    header = parseNpyHeader(head.subarray(0, bytesRead), path);
    fileSize = (await handle.stat()).size;
  } finally {
    await handle.close();
  }
  if (header.shape.length < 1) throw new DataError(`${path}: a dataset array needs a leading sample dimension, got a scalar`);
  const [count, ...sampleShape] = header.shape;
  const sampleSize = sampleShape.reduce((a, b) => a * b, 1);
  const needed = header.dataOffset + count * sampleSize * header.bytesPerElement;
  if (fileSize < needed) throw new DataError(`${path}: truncated (shape [${header.shape.join(', ')}] needs ${needed} bytes, the file has ${fileSize})`);
  const labels = await npyLabels(path, count);
  const hdr = header;
  return {
    size: count,
    sampleShape,
    async *batches(batchSize: number): AsyncGenerator<Batch> {
      checkBatchSize(batchSize);
      const file = await open(path, 'r');
      try {
        for (let start = 0; start < count; start += batchSize) {
          const n = Math.min(batchSize, count - start);
          const bytes = new Uint8Array(n * sampleSize * hdr.bytesPerElement);
          await file.read(bytes, 0, bytes.length, hdr.dataOffset + start * sampleSize * hdr.bytesPerElement);
          const values = new Float32Array(n * sampleSize);
          decodeNpyElements(hdr, bytes, values.length, values);
          const input = tensor('float32', [n, ...sampleShape], values);
          yield labels === undefined ? { input } : { input, labels: labels.slice(start, start + n) };
        }
      } finally {
        await file.close();
      }
    },
  };
}

async function npyLabels(path: string, count: number): Promise<Int32Array | undefined> {
  const stem = path.slice(0, -extname(path).length);
  for (const candidate of [`${stem}.labels.npy`, join(dirname(path), 'labels.npy')]) {
    if (candidate === path || !existsSync(candidate)) continue;
    const { header, data } = parseNpy(await readFile(candidate), candidate);
    if (header.shape.length !== 1 || header.shape[0] !== count) {
      throw new DataError(`${candidate}: expected ${count} labels to match ${path}, found shape [${header.shape.join(', ')}]`);
    }
    return Int32Array.from(data);
  }
  return undefined;
}

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg']);

async function openImageFolder(path: string, options: OpenDatasetOptions): Promise<Dataset> {
  const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const classes = entries.filter((e) => e.isDirectory()).map((e) => e.name);
  const files: { file: string; label: number }[] = [];
  if (classes.length > 0) {
    for (const [label, name] of classes.entries()) {
      const inner = (await readdir(join(path, name))).sort();
      for (const file of inner) if (IMAGE_EXTENSIONS.has(extname(file).toLowerCase())) files.push({ file: join(path, name, file), label });
    }
  } else {
    for (const e of entries) if (e.isFile() && IMAGE_EXTENSIONS.has(extname(e.name).toLowerCase())) files.push({ file: join(path, e.name), label: -1 });
  }
  const images = files.map(({ file, label }) => ({ name: file, label, read: () => readFile(file) }));
  return imageDataset(images, { ...(options.preprocess ? { preprocess: options.preprocess } : {}), labelled: classes.length > 0, where: path });
}
