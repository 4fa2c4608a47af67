/**
 * The quantized section: mnist-8 quantized by quantkit (W8A8, entropy, per channel, the `npm
 * start` defaults) over the whole t10k set, batch 1 — quantkit's integer-only executor (the
 * baseline) and simulated (fake-quant) executor against onnxruntime-web (wasm, 1 thread) and
 * onnxruntime-node running the same QDQ file, and the float model in quantkit for the
 * int8-vs-fp32 ratio. Each row notes its top-1, as a check that all computed the same thing.
 */
import { limitDataset } from '../../src/data/dataset.ts';
import { openDataset } from '../../src/data/node/open-dataset.ts';
import { evaluate } from '../../src/eval/evaluate.ts';
import type { Executor } from '../../src/runtime/executor.ts';
import { loadModelFile } from '../../src/node/load-model.ts';
import { exportModel } from '../../src/onnx/export.ts';
import { quantizeModel } from '../../src/ptq/quantize-model.ts';
import { createExecutor } from '../../src/runtime/executor.ts';
import { createIntegerExecutor } from '../../src/runtime/integer/executor.ts';
import { floatKernels } from '../../src/runtime/kernels/float/register.ts';
import { simulatedKernels } from '../../src/runtime/kernels/simulated/register.ts';
import { loadMnist, MNIST_MODEL, mnistRow, ortPass } from '../lib/mnist.ts';
import { createRunner, ENGINE_NAMES, type OrtEngine } from '../lib/onnxruntime.ts';
import type { BenchRow, BenchSection } from '../lib/report.ts';
import { bestOf } from '../lib/timing.ts';

const PASSES = 2;
const WARMUP = 300;

export const quantizedSection: BenchSection = {
  name: 'quantized',
  description: 'mnist-8 W8A8 on t10k: quantkit integer-only and simulated vs onnxruntime on the same QDQ model, and quantkit fp32',
  async run() {
    const mnist = await loadMnist();
    const model = loadModelFile(MNIST_MODEL);
    const calibration = await openDataset('data/mnist/calib-images-idx3-ubyte.gz');
    const { quantized } = await quantizeModel(model, calibration);
    const rows: BenchRow[] = [];
    const time = async (engine: string, executor: Executor, baseline = false) => {
      await evaluate(executor, limitDataset(mnist.dataset, WARMUP));
      let top1 = 0;
      const ms = await bestOf(PASSES, async () => {
        top1 = (await evaluate(executor, mnist.dataset)).top1;
      }, 0);
      rows.push(mnistRow(engine, ms, mnist.count, top1, baseline));
    };
    await time('quantkit int8 (integer-only)', createIntegerExecutor(quantized), true);
    await time('quantkit int8 (simulated, fake-quant)', createExecutor(quantized, simulatedKernels()));
    await time('quantkit fp32', createExecutor(model, floatKernels()));
    const bytes = exportModel(quantized);
    for (const engine of ['web', 'node'] as OrtEngine[]) {
      const runner = await createRunner(engine, bytes);
      await ortPass(runner, mnist, WARMUP);
      let top1 = 0;
      const ms = await bestOf(PASSES, async () => {
        top1 = await ortPass(runner, mnist, mnist.count);
      }, 0);
      rows.push(mnistRow(`${ENGINE_NAMES[engine]}, same QDQ model`, ms, mnist.count, top1));
      await runner.release();
    }
    return rows;
  },
};
