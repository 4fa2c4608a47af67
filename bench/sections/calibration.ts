/**
 * The calibration section (the PTQ issue's targets):
 *   - cost of entropy calibration — histograms of every quantized activation plus the KL search —
 *     against a plain float forward pass over the same 1,000 images (the ratio should stay ≤ 1.5);
 *   - peak memory of calibrating on 100 vs 1,000 images, each in its own process: observers are
 *     streaming, so memory must not grow with the number of samples.
 */
import { execFileSync } from 'node:child_process';
import { openDataset } from '../../src/data/node/open-dataset.ts';
import { feedSlice, fitInput } from '../../src/eval/feed.ts';
import { loadModelFile } from '../../src/node/load-model.ts';
import { calibrate } from '../../src/ptq/calibrate.ts';
import { resolveConfig } from '../../src/ptq/config.ts';
import { buildPlan } from '../../src/ptq/plan.ts';
import { prepare } from '../../src/ptq/quantize-model.ts';
import { findTargets } from '../../src/ptq/targets.ts';
import { createExecutor } from '../../src/runtime/executor.ts';
import { floatKernels } from '../../src/runtime/kernels/float/register.ts';
import type { BenchRow, BenchSection } from '../lib/report.ts';
import { bestOfInterleaved } from '../lib/timing.ts';

const SAMPLES = 1000;

async function costRows(): Promise<BenchRow[]> {
  const model = prepare(loadModelFile('models/mnist-8.onnx')).model;
  const dataset = await openDataset('data/mnist/calib-images-idx3-ubyte.gz');
  const config = resolveConfig({ method: 'entropy' });
  const targets = findTargets(model.graph, config);
  const executor = createExecutor(model, floatKernels());
  const fit = fitInput(model.graph.inputs[0], dataset.sampleShape);
  const forward = async () => {
    for await (const batch of dataset.batches(fit.batchSize)) executor.runSync({ [fit.name]: feedSlice(batch.input, 0, batch.input.shape[0], fit) });
  };
  const entropy = async () => {
    const calibration = await calibrate(model, dataset, { histogram: true, limit: SAMPLES, tensors: targets.activations });
    buildPlan(model, targets, calibration, config);
  };
  const times = await bestOfInterleaved(3, { forward, entropy });
  const workload = `mnist-8, ${SAMPLES} calibration images`;
  return [
    { workload, engine: 'float forward pass', value: times.forward / 1000, unit: 's', higherIsBetter: false, baseline: true },
    { workload, engine: 'entropy calibration (histograms + KL search)', value: times.entropy / 1000, unit: 's', higherIsBetter: false, note: `${(times.entropy / times.forward).toFixed(2)}× the forward pass` },
  ];
}

function memoryRows(): BenchRow[] {
  const rss = (samples: number) => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'bench/calibration-child.ts', String(samples)], { encoding: 'utf8' });
    return (JSON.parse(out.trim().split('\n').at(-1)!) as { maxRssBytes: number }).maxRssBytes / 2 ** 20;
  };
  const small = rss(100);
  const large = rss(SAMPLES);
  const workload = 'mnist-8 entropy calibration, peak RSS';
  return [
    { workload, engine: '100 images', value: small, unit: 'MiB', higherIsBetter: false, baseline: true },
    { workload, engine: `${SAMPLES} images`, value: large, unit: 'MiB', higherIsBetter: false, note: `${(((large - small) / small) * 100).toFixed(1)}% more than 100 images` },
  ];
}

export const calibrationSection: BenchSection = {
  name: 'calibration',
  description: 'entropy calibration vs a float forward pass; peak memory at 100 vs 1,000 images',
  async run() {
    return [...(await costRows()), ...memoryRows()];
  },
};
