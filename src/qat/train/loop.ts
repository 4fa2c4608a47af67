/**
 * The training loop: epochs of seeded shuffled (and shifted) mini-batches through a Trainer, the
 * learning rate from a schedule over all steps, progress after every step and a hook after every
 * epoch (evaluation, checkpoints). A run resumed at epoch e (from a checkpoint written after
 * epoch e − 1) draws the same batches as an uninterrupted run: each epoch's randomness is its
 * own seeded stream.
 */
import { epochBatches, type TrainingData } from './data.ts';
import { deriveSeed, seededRandom } from './random.ts';
import type { Schedule } from './schedule.ts';
import type { Trainer } from './trainer.ts';

export interface LoopOptions {
  readonly epochs: number;
  readonly batchSize: number;
  /** Base learning rate, multiplied by the schedule. */
  readonly lr: number;
  readonly schedule: Schedule;
  readonly seed: number;
  /** Largest random shift of the augmentation, in pixels (0: none). */
  readonly shift: number;
  /** Largest random rotation (degrees) and relative scaling of the augmentation (0: none). */
  readonly rotate?: number;
  readonly scale?: number;
  /** Epochs already done (a resumed run starts there); default 0. */
  readonly startEpoch?: number;
  readonly onStep?: (progress: StepProgress) => void;
  readonly onEpoch?: (summary: EpochSummary) => void | Promise<void>;
}

export interface StepProgress {
  /** 0-based epoch and step within it. */
  readonly epoch: number;
  readonly step: number;
  readonly steps: number;
  /** Running mean loss and accuracy over the epoch so far. */
  readonly loss: number;
  readonly accuracy: number;
  readonly lr: number;
}

export interface EpochSummary {
  /** 0-based. */
  readonly epoch: number;
  /** Mean loss and accuracy over the epoch's training batches (augmented). */
  readonly loss: number;
  readonly accuracy: number;
  readonly seconds: number;
}

export async function trainEpochs(trainer: Trainer, data: TrainingData, options: LoopOptions): Promise<EpochSummary[]> {
  const steps = Math.ceil(data.count / options.batchSize);
  const total = steps * options.epochs;
  const history: EpochSummary[] = [];
  for (let epoch = options.startEpoch ?? 0; epoch < options.epochs; epoch++) {
    const started = performance.now();
    const uniform = seededRandom(deriveSeed(options.seed, epoch));
    let lossSum = 0;
    let correct = 0;
    let seen = 0;
    let step = 0;
    for (const batch of epochBatches(data, { batchSize: options.batchSize, uniform, shift: options.shift, rotate: options.rotate ?? 0, scale: options.scale ?? 0 })) {
      const lr = options.lr * options.schedule(epoch * steps + step, total);
      const result = trainer.step(batch, lr);
      const n = batch.labels.length;
      lossSum += result.loss * n;
      correct += result.correct;
      seen += n;
      step++;
      options.onStep?.({ epoch, step, steps, loss: lossSum / seen, accuracy: correct / seen, lr });
    }
    const summary: EpochSummary = { epoch, loss: lossSum / seen, accuracy: correct / seen, seconds: (performance.now() - started) / 1000 };
    history.push(summary);
    await options.onEpoch?.(summary);
  }
  return history;
}
