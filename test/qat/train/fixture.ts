// A tiny CNN and 200 training-distribution digits (pixels/255) for the training tests.
import { buildCnn } from '../../../src/qat/models/cnn.ts';
import type { TrainingData } from '../../../src/qat/train/data.ts';
import { mnistData } from '../../ptq/mnist.ts';

export function tinyData(count = 200): TrainingData {
  const { images, labels } = mnistData('calib', count);
  return { images: images.map((v) => v / 255), labels, sampleShape: [1, 28, 28], count };
}

export const tinyCnn = () => buildCnn({ channels: [4, 8], seed: 7 });
