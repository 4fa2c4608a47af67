/** `quantkit eval <model.onnx> --data <path>`: top-1 accuracy over a labelled dataset. */
import type { Command } from 'commander';
import { evaluate } from '../../eval/evaluate.ts';
import { openCommandDataset } from '../dataset.ts';
import { ENGINES, executorFor, type Engine } from '../engine.ts';
import { loadModel } from '../files.ts';
import { percent, printJson } from '../format.ts';
import { oneOf, positiveInt } from '../options.ts';
import { progressBar } from '../progress.ts';
import { threadsOption } from '../threads.ts';

interface EvalOptions {
  engine: Engine;
  data: string;
  limit?: number;
  batchSize: number;
  json?: boolean;
}

export function evalCommand(program: Command): void {
  threadsOption(program.command('eval'), '1')
    .description('top-1 accuracy of a classifier on a labelled dataset (IDX, .npy or an image folder)')
    .argument('<model>', 'ONNX model file (preprocessing from <model>.json beside it, if present)')
    .requiredOption('--data <path>', 'IDX images file (labels found beside it), .npy samples, or a folder of class subfolders')
    .option('--limit <n>', 'evaluate only the first n samples', positiveInt('--limit'))
    .option('--engine <engine>', 'auto (integer for quantized models, float otherwise), float, simulated (fake-quant, ONNX semantics) or integer', oneOf<Engine>('--engine', ENGINES), 'auto')
    .option('--batch-size <n>', 'samples per run when the model allows batches', positiveInt('--batch-size'), 32)
    .option('--json', 'print one JSON object: {"samples", "top1", ...}')
    .addHelpText('after', '\nExamples:\n  quantkit eval models/mnist-8.onnx --data data/mnist/t10k-images-idx3-ubyte.gz --json\n  quantkit eval out/mnist-8.int8.onnx --data data/mnist/t10k-images-idx3-ubyte.gz --engine integer')
    .action(async (path: string, options: EvalOptions) => {
      const loaded = loadModel(path);
      const dataset = await openCommandDataset(options.data, loaded.sidecar, options.limit);
      const { executor, engine, floatNodes } = executorFor(loaded.model, options.engine);
      const bar = progressBar('evaluating', !options.json);
      const start = performance.now();
      const result = await evaluate(executor, dataset, { batchSize: options.batchSize, onProgress: (done, total) => bar.update(done, total) });
      bar.stop();
      const seconds = (performance.now() - start) / 1000;
      if (options.json) {
        return printJson({ model: path, data: options.data, engine, samples: result.samples, correct: result.correct, top1: result.top1, seconds, ...(floatNodes ? { float_nodes: floatNodes } : {}) });
      }
      console.log(`${path} on ${options.data} (${engine}): top-1 ${percent(result.top1)} (${result.correct}/${result.samples}), ${seconds.toFixed(1)} s`);
      if (floatNodes && floatNodes.length > 0) console.log(`run in float by the integer executor: ${floatNodes.join(', ')}`);
    });
}

