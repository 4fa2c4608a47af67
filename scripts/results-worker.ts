/** One worker of scripts/results.ts: quantizes and evaluates the configurations it is sent. */
import { parentPort, workerData } from 'node:worker_threads';
import { limitDataset } from '../src/data/dataset.ts';
import { openDataset } from '../src/data/node/open-dataset.ts';
import { evaluate } from '../src/eval/evaluate.ts';
import { loadModelFile } from '../src/node/load-model.ts';
import { calibrate, type Calibration } from '../src/ptq/calibrate.ts';
import type { PtqConfig } from '../src/ptq/config.ts';
import { prepare, quantizeModel } from '../src/ptq/quantize-model.ts';
import { createExecutor } from '../src/runtime/executor.ts';
import { floatKernels } from '../src/runtime/kernels/float/register.ts';
import { simulatedKernels } from '../src/runtime/kernels/simulated/register.ts';

export interface ResultTask {
  readonly id: string;
  /** null: the float model. */
  readonly config: Partial<PtqConfig> | null;
}

export interface ResultRow {
  readonly id: string;
  readonly top1: number;
  readonly seconds: number;
}

const model = loadModelFile('models/mnist-8.onnx');
const calibrationData = await openDataset('data/mnist/calib-images-idx3-ubyte.gz');
const evaluation = limitDataset(await openDataset('data/mnist/t10k-images-idx3-ubyte.gz'), (workerData as { limit: number }).limit);
let calibration: Calibration | undefined; // statistics do not depend on the configuration: calibrate once

parentPort!.on('message', async (task: ResultTask) => {
  const t0 = performance.now();
  let top1: number;
  if (task.config === null) {
    top1 = (await evaluate(createExecutor(model, floatKernels()), evaluation)).top1;
  } else {
    calibration ??= await calibrate(prepare(model).model, calibrationData, { histogram: true, limit: 1000 });
    const { quantized } = await quantizeModel(model, calibrationData, task.config, { calibration });
    top1 = (await evaluate(createExecutor(quantized, simulatedKernels()), evaluation)).top1;
  }
  parentPort!.postMessage({ id: task.id, top1, seconds: (performance.now() - t0) / 1000 } satisfies ResultRow);
});
