/** quantkit's Node helpers (`quantkit/node`): model and dataset files, kernel worker threads. */
export { loadModelFile, loadModelFileWithReport, confinedExternalData, type LoadModelOptions } from './load-model.ts';
export { openDataset, type OpenDatasetOptions } from '../data/node/open-dataset.ts';
export { startKernelThreads, stopKernelThreads } from './threads/pool.ts';
