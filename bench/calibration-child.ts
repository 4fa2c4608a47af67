/**
 * Child process of the calibration bench: calibrates mnist-8 with histograms (entropy) on the
 * first N bundled calibration images and prints its peak resident set size, so two sample counts
 * can be compared in separate processes (RSS only grows within one).
 *
 *   npx tsx bench/calibration-child.ts 1000
 */
import { openDataset } from '../src/data/node/open-dataset.ts';
import { loadModelFile } from '../src/node/load-model.ts';
import { calibrate } from '../src/ptq/calibrate.ts';
import { resolveConfig } from '../src/ptq/config.ts';
import { prepare } from '../src/ptq/quantize-model.ts';
import { findTargets } from '../src/ptq/targets.ts';

const samples = Number(process.argv[2]);
const model = prepare(loadModelFile('models/mnist-8.onnx')).model;
const dataset = await openDataset('data/mnist/calib-images-idx3-ubyte.gz');
const tensors = findTargets(model.graph, resolveConfig()).activations;
const calibration = await calibrate(model, dataset, { histogram: true, limit: samples, tensors });
// maxRSS is in kilobytes.
console.log(JSON.stringify({ samples: calibration.samples, maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
