/**
 * `quantkit qat <model.onnx> --data <train> --wbits N --abits N --method ste|lsq|pact --epochs E
 * -o <out.onnx>`: quantization-aware training from a float model, exported through the PTQ path
 * (a QuantPlan applied by ptq/qdq.ts) as a standard QDQ model, with the input's sidecar.
 */
import type { Command } from 'commander';
import { RANGE_METHODS } from '../../calib/methods/registry.ts';
import { evaluate } from '../../eval/evaluate.ts';
import type { Model } from '../../ir/graph.ts';
import { exportModel } from '../../onnx/export.ts';
import { planToJSON } from '../../ptq/plan-json.ts';
import { QAT_METHODS } from '../../qat/methods.ts';
import { DEFAULT_QAT_CONFIG, quantizationAwareTraining, type QatConfig } from '../../qat/qat-job.ts';
import { createExecutor, type Executor } from '../../runtime/executor.ts';
import { createIntegerExecutor } from '../../runtime/integer/executor.ts';
import { floatKernels } from '../../runtime/kernels/float/register.ts';
import { simulatedKernels } from '../../runtime/kernels/simulated/register.ts';
import { openCommandDataset } from '../dataset.ts';
import { loadModel, sidecarPath, writeOutput } from '../files.ts';
import { percent, printJson, table } from '../format.ts';
import { intInRange, numberIn, oneOf, positiveInt } from '../options.ts';
import { threadsOption } from '../threads.ts';
import { openTrainingData, optimizationConfig, optimizationOptions, refuseExisting, trainingHooks, type OptimizationOptions } from './train.ts';

interface QatOptions extends OptimizationOptions {
  data: string;
  output: string;
  method: string;
  wbits: number;
  abits: number;
  edgeBits: number | false;
  rangeMethod: string;
  calibLimit: number;
  pactDecay: number;
  eval?: string;
  evalLimit?: number;
  plan?: string;
}

export function qatCommand(program: Command): void {
  const command = program
    .command('qat')
    .description('quantization-aware training (STE, LSQ or PACT) from a float model to a standard QDQ model')
    .argument('<model>', 'float ONNX model (preprocessing from <model>.json beside it, if present)')
    .requiredOption('--data <path>', 'training data (IDX with labels beside it, .npy, or an image folder); never your test set')
    .requiredOption('-o, --output <path>', 'where to write the quantized (QDQ) ONNX model')
    .option('--method <name>', `QAT method: ${[...QAT_METHODS.keys()].join(', ')}`, oneOf('--method', [...QAT_METHODS.keys()]), DEFAULT_QAT_CONFIG.method)
    .option('--wbits <n>', 'weight bits (2–16)', intInRange('--wbits', 2, 16), DEFAULT_QAT_CONFIG.weightBits)
    .option('--abits <n>', 'activation bits (2–16)', intInRange('--abits', 2, 16), DEFAULT_QAT_CONFIG.activationBits)
    .option('--edge-bits <n>', 'bits of the first and last layers (weights, their inputs, the logits)', intInRange('--edge-bits', 2, 16), DEFAULT_QAT_CONFIG.edgeBits)
    .option('--no-edge-bits', 'quantize the first and last layers like the others')
    .option('--range-method <name>', `PTQ range method the activations start from: ${[...RANGE_METHODS.keys()].filter((m) => RANGE_METHODS.get(m)!.level === 'tensor').join(', ')}`, oneOf('--range-method', [...RANGE_METHODS.keys()].filter((m) => RANGE_METHODS.get(m)!.level === 'tensor')), DEFAULT_QAT_CONFIG.rangeMethod)
    .option('--calib-limit <n>', 'training samples calibrated on for the starting ranges', positiveInt('--calib-limit'), DEFAULT_QAT_CONFIG.calibrationSamples)
    .option('--pact-decay <λ>', "weight decay of PACT's clipping levels α", numberIn('--pact-decay', (n) => n >= 0, 'a number ≥ 0'), DEFAULT_QAT_CONFIG.pactDecay)
    .option('--eval <path>', 'labelled data to report float, PTQ and QAT top-1 on (simulated and integer)')
    .option('--eval-limit <n>', 'evaluate only the first n samples', positiveInt('--eval-limit'))
    .option('--plan <path>', 'also write the learned quantization plan as JSON');
  optimizationOptions(threadsOption(command, 'auto'), DEFAULT_QAT_CONFIG)
    .addHelpText(
      'after',
      `
Examples:
  quantkit qat models/mnist-cnn.onnx --data data/mnist/train-images-idx3-ubyte.gz --wbits 4 --abits 4 --method lsq --epochs 3 \\
      -o out/mnist-cnn.w4a4.onnx --eval data/mnist/t10k-images-idx3-ubyte.gz
  quantkit qat models/mnist-cnn.onnx --data data/mnist/train-images-idx3-ubyte.gz --wbits 2 --abits 2 --method pact -o out/w2a2.onnx`,
    )
    .action(async (path: string, options: QatOptions) => {
      const started = performance.now();
      refuseExisting([options.output, ...(options.plan ? [options.plan] : [])], options.force === true);
      const loaded = loadModel(path);
      const data = await openTrainingData(options.data, loaded.sidecar, options.limit);
      const config: QatConfig = {
        ...optimizationConfig(options),
        method: options.method,
        weightBits: options.wbits,
        activationBits: options.abits,
        ...(options.edgeBits === false ? {} : { edgeBits: options.edgeBits }),
        rangeMethod: options.rangeMethod,
        calibrationSamples: options.calibLimit,
        pactDecay: options.pactDecay,
      };
      const result = await quantizationAwareTraining(loaded.model, data, config, trainingHooks(`qat ${options.method}`, options));
      const seconds = (performance.now() - started) / 1000;
      writeOutput(options.output, exportModel(result.quantized), { force: options.force === true, inputs: [path, options.data] });
      if (loaded.sidecar) writeOutput(sidecarPath(options.output), `${JSON.stringify(loaded.sidecar, null, 2)}\n`, { force: options.force === true, inputs: [path] });
      if (options.plan) writeOutput(options.plan, `${JSON.stringify(planToJSON(result.plan), null, 2)}\n`, { force: options.force === true });
      let scores: Record<string, number> | undefined;
      if (options.eval !== undefined) {
        const dataset = await openCommandDataset(options.eval, loaded.sidecar, options.evalLimit);
        const top1 = async (executor: Executor) => (await evaluate(executor, dataset, { batchSize: 100 })).top1;
        const simulated = (model: Model) => createExecutor(model, simulatedKernels());
        scores = {
          float: await top1(createExecutor(loaded.model, floatKernels())),
          ptq: await top1(simulated(result.ptq)),
          qat: await top1(simulated(result.quantized)),
          qatInteger: await top1(createIntegerExecutor(result.quantized)),
        };
      }
      const summary = { output: options.output, method: options.method, weightBits: options.wbits, activationBits: options.abits, edgeBits: config.edgeBits ?? null, samples: data.count, epochs: result.history, ...(scores ? { eval: scores } : {}), seconds };
      if (options.json) return printJson(summary);
      console.log(`${path} → ${options.output}: QAT ${options.method} W${options.wbits}A${options.abits}${config.edgeBits ? ` (first and last layers ${config.edgeBits}-bit)` : ''}, ${data.count} samples, ${seconds.toFixed(1)} s`);
      if (scores) {
        console.log('');
        console.log(table(['', 'top-1', 'Δ vs float'], [
          ['float (FP32)', percent(scores.float), ''],
          ['PTQ (start of QAT)', percent(scores.ptq), `${((scores.ptq - scores.float) * 100).toFixed(2)} pts`],
          [`QAT ${options.method} (simulated)`, percent(scores.qat), `${((scores.qat - scores.float) * 100).toFixed(2)} pts`],
          [`QAT ${options.method} (integer-only)`, percent(scores.qatInteger), `${((scores.qatInteger - scores.float) * 100).toFixed(2)} pts`],
        ]));
      }
    });
}
