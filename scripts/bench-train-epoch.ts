/**
 * Times one training epoch over the 10,000 training digits (docs/BENCHMARKS.md): the CNN of
 * `quantkit train`'s defaults from scratch, and one QAT epoch (LSQ, W4A4) of models/mnist-cnn.onnx.
 * One thread; the 1-minute load average is printed before and after, since the machine is shared.
 *
 *   npx tsx scripts/bench-train-epoch.ts
 */
import { cpus, loadavg } from 'node:os';
import { openDataset } from '../src/data/node/open-dataset.ts';
import { loadModelFile } from '../src/node/load-model.ts';
import { DEFAULT_QAT_CONFIG, quantizationAwareTraining } from '../src/qat/qat-job.ts';
import { loadTrainingData } from '../src/qat/train/data.ts';
import { DEFAULT_TRAIN_CONFIG, trainClassifier } from '../src/qat/train-job.ts';

const load = () => loadavg()[0].toFixed(2);
console.log(`${new Date().toISOString()}, node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} logical CPUs), load average ${load()} at start`);
const data = await loadTrainingData(await openDataset('data/mnist/train-images-idx3-ubyte.gz', { preprocess: { channels: 1, scale: 1 / 255 } }));

const train = await trainClassifier(data, { ...DEFAULT_TRAIN_CONFIG, epochs: 1 });
console.log(`train, channels ${DEFAULT_TRAIN_CONFIG.channels.join(',')}, batch ${DEFAULT_TRAIN_CONFIG.batchSize}: one epoch over ${data.count} digits in ${train.history[0].seconds.toFixed(1)} s (load ${load()})`);

const qat = await quantizationAwareTraining(loadModelFile('models/mnist-cnn.onnx'), data, { ...DEFAULT_QAT_CONFIG, method: 'lsq', weightBits: 4, activationBits: 4, epochs: 1 });
console.log(`qat lsq W4A4, batch ${DEFAULT_QAT_CONFIG.batchSize}: one epoch over ${data.count} digits in ${qat.history[0].seconds.toFixed(1)} s (load ${load()})`);
