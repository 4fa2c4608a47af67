/** `quantkit eval <model.onnx> --data <path>`: top-1 accuracy over a labelled dataset. */
import type { Command } from 'commander';
import { evaluate } from '../../eval/evaluate.ts';
import { createExecutor } from '../../runtime/executor.ts';
import { floatKernels } from '../../runtime/kernels/float/register.ts';
import { openCommandDataset } from '../dataset.ts';
import { loadModel } from '../files.ts';
import { percent, printJson } from '../format.ts';
import { positiveInt } from '../options.ts';
import { progressBar } from '../progress.ts';

interface EvalOptions {
  data: string;
  limit?: number;
  batchSize: number;
  json?: boolean;
}

export function evalCommand(program: Command): void {
  program
    .command('eval')
    .description('top-1 accuracy of a classifier on a labelled dataset (IDX, .npy or an image folder)')
    .argument('<model>', 'ONNX model file (preprocessing from <model>.json beside it, if present)')
    .requiredOption('--data <path>', 'IDX images file (labels found beside it), .npy samples, or a folder of class subfolders')
    .option('--limit <n>', 'evaluate only the first n samples', positiveInt('--limit'))
    .option('--batch-size <n>', 'samples per run when the model allows batches', positiveInt('--batch-size'), 32)
    .option('--json', 'print one JSON object: {"samples", "top1", ...}')
    .addHelpText('after', '\nExample:\n  quantkit eval models/mnist-8.onnx --data data/mnist/t10k-images-idx3-ubyte.gz --json')
    .action(async (path: string, options: EvalOptions) => {
      const loaded = loadModel(path);
      const dataset = await openCommandDataset(options.data, loaded.sidecar, options.limit);
      const executor = createExecutor(loaded.model, floatKernels());
      const bar = progressBar('evaluating', !options.json);
      const start = performance.now();
      const result = await evaluate(executor, dataset, { batchSize: options.batchSize, onProgress: (done, total) => bar.update(done, total) });
      bar.stop();
      const seconds = (performance.now() - start) / 1000;
      if (options.json) {
        return printJson({ model: path, data: options.data, engine: 'float', samples: result.samples, correct: result.correct, top1: result.top1, seconds });
      }
      console.log(`${path} on ${options.data}: top-1 ${percent(result.top1)} (${result.correct}/${result.samples}), ${seconds.toFixed(1)} s`);
    });
}
