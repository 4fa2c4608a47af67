/**
 * `quantkit train --data <train> -o <model.onnx>`: trains the small CNN of src/qat/models/cnn.ts
 * (Conv+BN+ReLU blocks) from a seed and writes it as standard ONNX with a sidecar (pixels/255).
 * The optimization options and the progress bar are shared with `quantkit qat`.
 */
import { existsSync, readFileSync } from 'node:fs';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { limitDataset } from '../../data/dataset.ts';
import { openDataset } from '../../data/node/open-dataset.ts';
import type { ModelSidecar } from '../../data/sidecar.ts';
import { evaluate } from '../../eval/evaluate.ts';
import type { Model } from '../../ir/graph.ts';
import { exportModel } from '../../onnx/export.ts';
import { createExecutor } from '../../runtime/executor.ts';
import { floatKernels } from '../../runtime/kernels/float/register.ts';
import { OPTIMIZERS } from '../../qat/train/optimizer.ts';
import { SCHEDULES } from '../../qat/train/schedule.ts';
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint } from '../../qat/train/checkpoint.ts';
import { loadTrainingData, type TrainingData } from '../../qat/train/data.ts';
import type { EpochSummary, StepProgress } from '../../qat/train/loop.ts';
import { DEFAULT_TRAIN_CONFIG, trainClassifier, type OptimizationConfig, type TrainHooks } from '../../qat/train-job.ts';
import { requireFile, sidecarPath, writeOutput } from '../files.ts';
import { percent, printJson } from '../format.ts';
import { intInRange, numberIn, oneOf, positiveInt } from '../options.ts';
import { UsageError } from '../errors.ts';
import { threadsOption } from '../threads.ts';

/** The options every training command takes (commander turns --weight-decay into weightDecay). */
export interface OptimizationOptions {
  epochs: number;
  batchSize: number;
  optimizer: string;
  lr: number;
  momentum: number;
  weightDecay: number;
  schedule: string;
  warmupEpochs: number;
  stepEpochs: number;
  gamma: number;
  shift: number;
  rotate: number;
  scale: number;
  seed: number;
  limit?: number;
  checkpoint?: string;
  resume?: string;
  force?: boolean;
  json?: boolean;
}

const nonNegative = (flag: string) => numberIn(flag, (n) => n >= 0, 'a number ≥ 0');
const positive = (flag: string) => numberIn(flag, (n) => n > 0, 'a positive number');

/** Adds the optimization options with `defaults` to a training command. */
export function optimizationOptions(command: Command, defaults: OptimizationConfig): Command {
  return command
    .option('--epochs <n>', 'passes over the training data', positiveInt('--epochs'), defaults.epochs)
    .option('--batch-size <n>', 'samples per step', positiveInt('--batch-size'), defaults.batchSize)
    .option('--optimizer <name>', [...OPTIMIZERS.keys()].join(', '), oneOf('--optimizer', [...OPTIMIZERS.keys()]), defaults.optimizer)
    .option('--lr <rate>', 'base learning rate', positive('--lr'), defaults.lr)
    .option('--momentum <m>', 'SGD momentum', numberIn('--momentum', (n) => n >= 0 && n < 1, 'in [0, 1)'), defaults.momentum)
    .option('--weight-decay <λ>', 'weight decay of the weights (L2; decoupled for adamw)', nonNegative('--weight-decay'), defaults.weightDecay)
    .option('--schedule <name>', `learning-rate schedule: ${[...SCHEDULES.keys()].join(', ')}`, oneOf('--schedule', [...SCHEDULES.keys()]), defaults.schedule)
    .option('--warmup-epochs <n>', 'linear warmup epochs', intInRange('--warmup-epochs', 0, 1000), defaults.warmupEpochs)
    .option('--step-epochs <n>', 'step schedule: epochs between decays', positiveInt('--step-epochs'), defaults.stepEpochs)
    .option('--gamma <γ>', 'step schedule: decay factor', positive('--gamma'), defaults.gamma)
    .option('--shift <pixels>', 'augmentation: largest random shift (0: none)', intInRange('--shift', 0, 64), defaults.shift)
    .option('--rotate <degrees>', 'augmentation: largest random rotation (with --scale: random affine maps, bilinear)', numberIn('--rotate', (n) => n >= 0 && n <= 180, 'in [0, 180]'), defaults.rotate)
    .option('--scale <fraction>', 'augmentation: largest random change of size, e.g. 0.1 for 90–110%', numberIn('--scale', (n) => n >= 0 && n < 1, 'in [0, 1)'), defaults.scale)
    .option('--seed <n>', 'seed of initialisation, shuffling and augmentation', intInRange('--seed', 0, 2 ** 31 - 1), defaults.seed)
    .option('--limit <n>', 'train on the first n samples only', positiveInt('--limit'))
    .option('--checkpoint <path>', 'write a checkpoint after every epoch (resume with --resume)')
    .option('--resume <path>', 'continue the run a checkpoint was written by (same settings)')
    .option('--force', 'overwrite existing output files')
    .option('--json', 'print one JSON object');
}

export function optimizationConfig(options: OptimizationOptions): OptimizationConfig {
  const { epochs, batchSize, optimizer, lr, momentum, weightDecay, schedule, warmupEpochs, stepEpochs, gamma, shift, rotate, scale, seed } = options;
  return { epochs, batchSize, optimizer, lr, momentum, weightDecay, schedule, warmupEpochs, stepEpochs, gamma, shift, rotate, scale, seed };
}

/** Training data from a labelled dataset file, with the model's preprocessing. */
export async function openTrainingData(path: string, sidecar: ModelSidecar | undefined, limit: number | undefined): Promise<TrainingData> {
  requireFile(path, 'dataset');
  const dataset = await openDataset(path, sidecar?.preprocess ? { preprocess: sidecar.preprocess } : {});
  return loadTrainingData(limit === undefined ? dataset : limitDataset(dataset, limit));
}

/**
 * Progress on stderr: a bar per epoch with the running loss and accuracy when stderr is a
 * terminal, one line per epoch otherwise (quiet with --json); plus the checkpoint after each epoch.
 */
export function trainingHooks(label: string, options: OptimizationOptions): TrainHooks {
  const interactive = process.stderr.isTTY && !options.json;
  const bar = interactive
    ? new cliProgress.SingleBar(
        { format: `${label} {epoch} {bar} {value}/{total} | loss {loss} | acc {acc} | lr {lr} | {duration_formatted}`, stream: process.stderr, hideCursor: true },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  let started = -1;
  const resume = options.resume === undefined ? undefined : readCheckpoint(options.resume);
  return {
    ...(resume ? { resume } : {}),
    onStep(p: StepProgress) {
      if (bar === undefined) return;
      const payload = { epoch: `${p.epoch + 1}/${options.epochs}`, loss: p.loss.toFixed(4), acc: percent(p.accuracy), lr: p.lr.toPrecision(3) };
      if (started !== p.epoch) {
        if (started >= 0) bar.stop();
        bar.start(p.steps, p.step, payload);
        started = p.epoch;
      } else bar.update(p.step, payload);
    },
    onEpoch(summary: EpochSummary, _model: () => Model, checkpoint: () => Checkpoint) {
      bar?.stop();
      started = -1;
      if (options.checkpoint !== undefined) writeOutput(options.checkpoint, encodeCheckpoint(checkpoint()), { force: true });
      if (!options.json) process.stderr.write(`${label} ${summary.epoch + 1}/${options.epochs}: loss ${summary.loss.toFixed(4)}, train accuracy ${percent(summary.accuracy)}, ${summary.seconds.toFixed(1)} s\n`);
    },
  };
}

function readCheckpoint(path: string): Checkpoint {
  requireFile(path, 'checkpoint');
  return decodeCheckpoint(readFileSync(path), path);
}

function channelList(value: string): number[] {
  const list = value.split(',').map(Number);
  if (list.length === 0 || !list.every((c) => Number.isInteger(c) && c > 0)) throw new UsageError(`--channels must be positive integers separated by commas, got ${JSON.stringify(value)}`);
  return list;
}

interface TrainOptions extends OptimizationOptions {
  data: string;
  output: string;
  eval?: string;
  channels: number[];
  kernel: number;
  head: 'flatten' | 'gap';
}

/** The sidecar of a trained model: raw 0..255 pixels scaled to [0, 1], digits as class names. */
function trainedSidecar(classes: number, command: string): ModelSidecar {
  return {
    preprocess: { layout: 'NCHW', channels: 1, scale: 1 / 255, mean: [0], std: [1] },
    labels: Array.from({ length: classes }, (_, i) => String(i)),
    source: `trained by quantkit: ${command}`,
  };
}

export function trainCommand(program: Command): void {
  const command = program
    .command('train')
    .description('train the small CNN (Conv+BN+ReLU blocks) on labelled images and write it as ONNX')
    .requiredOption('--data <path>', 'training images (IDX with labels beside it, .npy, or an image folder); never your test set')
    .requiredOption('-o, --output <path>', 'where to write the trained ONNX model (and its sidecar JSON)')
    .option('--eval <path>', 'labelled data to report top-1 on after training')
    .option('--channels <list>', 'output channels of the Conv+BN+ReLU blocks, e.g. 16,32,64', channelList, [...DEFAULT_TRAIN_CONFIG.channels])
    .option('--kernel <k>', 'convolution kernel size (odd)', positiveInt('--kernel'), DEFAULT_TRAIN_CONFIG.kernel)
    .option('--head <head>', 'flatten (keep positions) or gap (global average pool) before the classifier', oneOf('--head', ['flatten', 'gap'] as const), DEFAULT_TRAIN_CONFIG.head);
  optimizationOptions(threadsOption(command, 'auto'), DEFAULT_TRAIN_CONFIG)
    .addHelpText(
      'after',
      `
Examples:
  quantkit train --data data/mnist/train-images-idx3-ubyte.gz -o models/mnist-cnn.onnx --eval data/mnist/t10k-images-idx3-ubyte.gz
  quantkit train --data data/mnist/train-images-idx3-ubyte.gz -o out/tiny.onnx --channels 4,8 --epochs 1 --limit 500 --checkpoint out/tiny.ckpt`,
    )
    .action(async (options: TrainOptions) => {
      const started = performance.now();
      const commandLine = `quantkit train ${process.argv.slice(process.argv.indexOf('train') + 1).join(' ')}`;
      refuseExisting([options.output, sidecarPath(options.output)], options.force === true);
      const sidecar = trainedSidecar(10, commandLine);
      const data = await openTrainingData(options.data, sidecar, options.limit);
      const config = { ...optimizationConfig(options), channels: options.channels, kernel: options.kernel, head: options.head };
      const { model, history } = await trainClassifier(data, config, trainingHooks('epoch', options));
      const trainSeconds = (performance.now() - started) / 1000;
      const labels = Math.max(...data.labels) + 1;
      writeOutput(options.output, exportModel(model), { force: options.force === true, inputs: [options.data] });
      writeOutput(sidecarPath(options.output), `${JSON.stringify(trainedSidecar(labels, commandLine), null, 2)}\n`, { force: options.force === true });
      let top1: number | undefined;
      if (options.eval !== undefined) {
        requireFile(options.eval, 'dataset');
        top1 = (await evaluate(createExecutor(model, floatKernels()), await openDataset(options.eval, { preprocess: sidecar.preprocess! }), { batchSize: 100 })).top1;
      }
      if (options.json) return printJson({ output: options.output, samples: data.count, config, epochs: history, ...(top1 === undefined ? {} : { eval: { data: options.eval, top1 } }), seconds: { train: trainSeconds, total: (performance.now() - started) / 1000 } });
      console.log(`trained on ${data.count} samples in ${trainSeconds.toFixed(1)} s → ${options.output}`);
      if (top1 !== undefined) console.log(`top-1 on ${options.eval}: ${percent(top1)}`);
    });
}

/** Fails before a long run rather than after it when an output exists (writeOutput checks again). */
export function refuseExisting(paths: readonly string[], force: boolean): void {
  for (const path of paths) if (!force && existsSync(path)) throw new UsageError(`output ${path} exists; pass --force to overwrite it`);
}
