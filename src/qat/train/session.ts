/**
 * A training run that can stop and resume: the loop of loop.ts from a checkpoint (values,
 * optimizer slots, epochs done), with a checkpoint offered after every epoch. A checkpoint is
 * only resumed under the settings that wrote it (seed, batch size, schedule, …): anything else
 * would silently train something different.
 */
import { DataError } from '../../errors.ts';
import type { Checkpoint } from './checkpoint.ts';
import type { TrainingData } from './data.ts';
import { trainEpochs, type EpochSummary, type LoopOptions } from './loop.ts';
import type { Trainer } from './trainer.ts';

export interface SessionOptions extends Omit<LoopOptions, 'startEpoch' | 'onEpoch'> {
  /** The run's settings (JSON-safe): stored in checkpoints, compared on resume. */
  readonly settings: Readonly<Record<string, unknown>>;
  readonly resume?: Checkpoint;
  /** After every epoch; `checkpoint()` captures the state to resume from the next one. */
  readonly onEpoch?: (summary: EpochSummary, checkpoint: () => Checkpoint) => void | Promise<void>;
}

export async function trainSession(trainer: Trainer, data: TrainingData, options: SessionOptions): Promise<EpochSummary[]> {
  const { resume, settings } = options;
  if (resume !== undefined) {
    for (const key of new Set([...Object.keys(settings), ...Object.keys(resume.settings)])) {
      if (JSON.stringify(settings[key]) !== JSON.stringify(resume.settings[key])) {
        throw new DataError(`checkpoint: it was written with ${key} = ${JSON.stringify(resume.settings[key])}, this run has ${JSON.stringify(settings[key])}`);
      }
    }
    for (const [name, value] of resume.values) {
      const own = trainer.values.get(name) ?? trainer.base.graph.initializers.get(name);
      if (own === undefined || own.data.length !== value.data.length) throw new DataError(`checkpoint: value ${JSON.stringify(name)} does not fit the model`);
      trainer.values.set(name, value);
    }
    trainer.optimizer.load(resume.optimizer);
  }
  const checkpoint = (epoch: number) => (): Checkpoint => ({
    epoch,
    values: new Map([...trainer.values].map(([name, t]) => [name, { ...t, data: t.data.slice() }])),
    optimizer: trainer.optimizer.state(),
    settings,
  });
  return trainEpochs(trainer, data, {
    ...options,
    startEpoch: resume?.epoch ?? 0,
    onEpoch: (summary) => options.onEpoch?.(summary, checkpoint(summary.epoch + 1)),
  });
}
