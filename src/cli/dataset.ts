/** Opens the dataset a command names, with the model's sidecar preprocessing. */
import { limitDataset, type Dataset } from '../data/dataset.ts';
import { openDataset } from '../data/node/open-dataset.ts';
import type { ModelSidecar } from '../data/sidecar.ts';
import { requireFile } from './files.ts';

export async function openCommandDataset(path: string, sidecar: ModelSidecar | undefined, limit: number | undefined): Promise<Dataset> {
  requireFile(path, 'dataset');
  const dataset = await openDataset(path, { ...(sidecar?.preprocess ? { preprocess: sidecar.preprocess } : {}) });
  return limit === undefined ? dataset : limitDataset(dataset, limit);
}
