import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trainingOps } from '../../../src/qat/ops.ts';
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint } from '../../../src/qat/train/checkpoint.ts';
import { createOptimizer } from '../../../src/qat/train/optimizer.ts';
import { trainableParameters } from '../../../src/qat/train/parameters.ts';
import { createSchedule } from '../../../src/qat/train/schedule.ts';
import { trainSession } from '../../../src/qat/train/session.ts';
import { Trainer } from '../../../src/qat/train/trainer.ts';
import { tinyCnn, tinyData } from './fixture.ts';

const data = tinyData(100);
const settings = { seed: 3, batchSize: 25 };

function session(epochs: number, options: { resume?: Checkpoint; keep?: (c: Checkpoint) => void } = {}) {
  const model = tinyCnn();
  const trainer = new Trainer(model, trainingOps(), trainableParameters(model.graph, 1e-3), createOptimizer('adamw'));
  const run = trainSession(trainer, data, {
    epochs,
    batchSize: 25,
    lr: 0.01,
    schedule: createSchedule('cosine'),
    seed: 3,
    shift: 2,
    settings,
    ...(options.resume ? { resume: options.resume } : {}),
    onEpoch: (summary, checkpoint) => {
      if (summary.epoch === 0) options.keep?.(checkpoint());
    },
  });
  return { trainer, run };
}

test('a run resumed from the checkpoint of epoch 1 ends bit-identical to an uninterrupted run', async () => {
  const straight = session(3);
  await straight.run;
  let saved: Checkpoint | undefined;
  await session(3, { keep: (c) => (saved = c) }).run;
  const bytes = encodeCheckpoint(saved!);
  const decoded = decodeCheckpoint(bytes);
  assert.equal(decoded.epoch, 1);
  assert.deepEqual(decoded.settings, settings);
  const resumed = session(3, { resume: decoded });
  const history = await resumed.run;
  assert.deepEqual(history.map((h) => h.epoch), [1, 2]);
  for (const [name, value] of straight.trainer.values) assert.deepEqual(resumed.trainer.values.get(name)!.data, value.data, name);
});

test('checkpoints: resuming under other settings, damaged and foreign files are errors naming the problem', async () => {
  let saved: Checkpoint | undefined;
  await session(1, { keep: (c) => (saved = c) }).run;
  await assert.rejects(session(2, { resume: { ...saved!, settings: { seed: 4, batchSize: 25 } } }).run, /written with seed = 4, this run has 3/);
  const bytes = encodeCheckpoint(saved!);
  assert.throws(() => decodeCheckpoint(bytes.subarray(0, bytes.length - 8)), /truncated/);
  assert.throws(() => decodeCheckpoint(new TextEncoder().encode('PK\u0003\u0004 not a checkpoint')), /not a quantkit checkpoint/);
});
