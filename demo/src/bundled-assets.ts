/**
 * The files the demo serves beside the page (demo/bundled-data.ts makes them from models/ and
 * data/mnist/): mnist-8 with its sidecar, the 1,000 bundled calibration digits (MNIST training
 * distribution) and the first EVALUATION_SLICE images of the official t10k test set.
 */
export const EVALUATION_SLICE = 2000;

export const BUNDLED = {
  model: 'bundled/mnist-8.onnx',
  sidecar: 'bundled/mnist-8.json',
  calibrationImages: 'bundled/calib-images-idx3-ubyte.gz',
  calibrationLabels: 'bundled/calib-labels-idx1-ubyte.gz',
  evaluationImages: `bundled/t10k-${EVALUATION_SLICE}-images-idx3-ubyte.gz`,
  evaluationLabels: `bundled/t10k-${EVALUATION_SLICE}-labels-idx1-ubyte.gz`,
} as const;
