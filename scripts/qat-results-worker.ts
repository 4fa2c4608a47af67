/** One worker of scripts/qat-results.ts: runs the float evaluation or one QAT configuration it is sent. */
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import { limitDataset, type Dataset } from '../src/data/dataset.ts';
import { openDataset } from '../src/data/node/open-dataset.ts';
import { parseSidecar } from '../src/data/sidecar.ts';
import { evaluate } from '../src/eval/evaluate.ts';
import type { Model } from '../src/ir/graph.ts';
import { loadModelFile } from '../src/node/load-model.ts';
import { exportModel } from '../src/onnx/export.ts';
import { DEFAULT_QAT_CONFIG, quantizationAwareTraining } from '../src/qat/qat-job.ts';
import { loadTrainingData } from '../src/qat/train/data.ts';
import { createExecutor, type Executor } from '../src/runtime/executor.ts';
import { createIntegerExecutor } from '../src/runtime/integer/executor.ts';
import { floatKernels } from '../src/runtime/kernels/float/register.ts';
import { simulatedKernels } from '../src/runtime/kernels/simulated/register.ts';

export interface QatTask {
  readonly id: string;
  /** undefined: the float model. */
  readonly method?: string;
  readonly bits?: number;
  readonly epochs?: number;
}

export interface QatRow {
  readonly id: string;
  /** Top-1 on the evaluation images: quantkit float or simulated, the integer executor, onnxruntime-node. */
  readonly top1: number;
  readonly integer?: number;
  readonly onnxruntime: number;
  /** The PTQ model QAT started from (simulated). */
  readonly ptq?: number;
  readonly seconds: number;
}

const { model: modelPath, limit } = workerData as { model: string; limit: number };
const sidecar = parseSidecar(readFileSync(modelPath.replace(/\.onnx$/, '.json'), 'utf8'));
const preprocess = sidecar.preprocess ?? {};
const model = loadModelFile(modelPath);
const evaluation = limitDataset(await openDataset('data/mnist/t10k-images-idx3-ubyte.gz', { preprocess }), limit);
const training = await loadTrainingData(await openDataset('data/mnist/train-images-idx3-ubyte.gz', { preprocess }));

const top1 = async (executor: Executor, data: Dataset = evaluation) => (await evaluate(executor, data, { batchSize: 100 })).top1;

/** Top-1 of onnxruntime-node on the evaluation images (basic optimizations: see models/README.md). */
async function onnxruntimeTop1(quantized: Model): Promise<number> {
  const session = await ort.InferenceSession.create(exportModel(quantized), { logSeverityLevel: 3, graphOptimizationLevel: 'basic', intraOpNumThreads: 1 });
  try {
    let correct = 0;
    let total = 0;
    for await (const batch of evaluation.batches(100)) {
      const n = batch.input.shape[0];
      const logits = (await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', batch.input.data as Float32Array, [...batch.input.shape]) }))[session.outputNames[0]].data as Float32Array;
      for (let i = 0; i < n; i++) {
        const row = logits.subarray(i * 10, i * 10 + 10);
        if (row.indexOf(Math.max(...row)) === batch.labels![i]) correct++;
      }
      total += n;
    }
    return correct / total;
  } finally {
    await session.release();
  }
}

parentPort!.on('message', async (task: QatTask) => {
  const t0 = performance.now();
  let row: Omit<QatRow, 'seconds'>;
  if (task.method === undefined) {
    row = { id: task.id, top1: await top1(createExecutor(model, floatKernels())), onnxruntime: await onnxruntimeTop1(model) };
  } else {
    const config = { ...DEFAULT_QAT_CONFIG, method: task.method, weightBits: task.bits!, activationBits: task.bits!, epochs: task.epochs ?? DEFAULT_QAT_CONFIG.epochs };
    const result = await quantizationAwareTraining(model, training, config);
    row = {
      id: task.id,
      top1: await top1(createExecutor(result.quantized, simulatedKernels())),
      integer: await top1(createIntegerExecutor(result.quantized)),
      onnxruntime: await onnxruntimeTop1(result.quantized),
      ptq: await top1(createExecutor(result.ptq, simulatedKernels())),
    };
  }
  parentPort!.postMessage({ ...row, seconds: (performance.now() - t0) / 1000 } satisfies QatRow);
});
