/**
 * Training a classifier from scratch (`quantkit train`): the small CNN of models/cnn.ts on
 * labelled data in memory, with the optimizer, schedule, augmentation and seed of a TrainConfig.
 * Everything random derives from the seed, so a config reproduces its model.
 */
import type { Model } from '../ir/graph.ts';
import { buildCnn } from './models/cnn.ts';
import { trainingOps } from './ops.ts';
import type { Checkpoint } from './train/checkpoint.ts';
import type { TrainingData } from './train/data.ts';
import type { EpochSummary, StepProgress } from './train/loop.ts';
import { createOptimizer } from './train/optimizer.ts';
import { trainableParameters } from './train/parameters.ts';
import { createSchedule } from './train/schedule.ts';
import { trainSession } from './train/session.ts';
import { Trainer } from './train/trainer.ts';

/** How a model is optimised: shared by `train` and `qat`. */
export interface OptimizationConfig {
  readonly epochs: number;
  readonly batchSize: number;
  /** sgd, adam or adamw. */
  readonly optimizer: string;
  readonly lr: number;
  /** SGD momentum. */
  readonly momentum: number;
  readonly weightDecay: number;
  /** constant, cosine or step. */
  readonly schedule: string;
  readonly warmupEpochs: number;
  /** step schedule: epochs between decays, and the factor. */
  readonly stepEpochs: number;
  readonly gamma: number;
  /** Largest random shift of the augmentation (pixels). */
  readonly shift: number;
  /** Largest random rotation (degrees) and relative scaling of the augmentation (0: shifts only). */
  readonly rotate: number;
  readonly scale: number;
  readonly seed: number;
}

export interface TrainConfig extends OptimizationConfig {
  /** Output channels of the Conv+BN+ReLU blocks. */
  readonly channels: readonly number[];
  readonly kernel: number;
  readonly head: 'flatten' | 'gap';
}

export const DEFAULT_TRAIN_CONFIG: TrainConfig = {
  channels: [16, 32, 64],
  kernel: 3,
  head: 'flatten',
  epochs: 12,
  batchSize: 64,
  optimizer: 'adamw',
  lr: 0.003,
  momentum: 0.9,
  weightDecay: 5e-4,
  schedule: 'cosine',
  warmupEpochs: 0,
  stepEpochs: 4,
  gamma: 0.1,
  shift: 2,
  rotate: 0,
  scale: 0,
  seed: 1,
};

export interface TrainHooks {
  readonly resume?: Checkpoint;
  readonly onStep?: (progress: StepProgress) => void;
  /** After every epoch, with the model so far and a checkpoint to resume from. */
  readonly onEpoch?: (summary: EpochSummary, model: () => Model, checkpoint: () => Checkpoint) => void | Promise<void>;
}

/** Trains `trainer` under `config` (the part `train` and `qat` share). */
export async function optimize(trainer: Trainer, data: TrainingData, config: OptimizationConfig, settings: Readonly<Record<string, unknown>>, hooks: TrainHooks): Promise<EpochSummary[]> {
  const steps = Math.ceil(data.count / config.batchSize);
  const schedule = createSchedule(config.schedule, { warmupSteps: config.warmupEpochs * steps, stepSize: config.stepEpochs * steps, gamma: config.gamma });
  return trainSession(trainer, data, {
    epochs: config.epochs,
    batchSize: config.batchSize,
    lr: config.lr,
    schedule,
    seed: config.seed,
    shift: config.shift,
    rotate: config.rotate,
    scale: config.scale,
    settings,
    ...(hooks.resume ? { resume: hooks.resume } : {}),
    ...(hooks.onStep ? { onStep: hooks.onStep } : {}),
    onEpoch: (summary, checkpoint) => hooks.onEpoch?.(summary, () => trainer.model(), checkpoint),
  });
}

/** Builds the CNN from the seed and trains it; the model comes back in inference form (BN running statistics). */
export async function trainClassifier(data: TrainingData, config: TrainConfig, hooks: TrainHooks = {}): Promise<{ model: Model; history: EpochSummary[] }> {
  const [channels, height, width] = data.sampleShape;
  const model = buildCnn({ channels: config.channels, kernel: config.kernel, head: config.head, seed: config.seed, inputShape: [channels, height, width], classes: Math.max(...data.labels) + 1 });
  const trainer = new Trainer(model, trainingOps(), trainableParameters(model.graph, config.weightDecay), createOptimizer(config.optimizer, { momentum: config.momentum }));
  const history = await optimize(trainer, data, config, { ...config, samples: data.count }, hooks);
  return { model: trainer.model(), history };
}
