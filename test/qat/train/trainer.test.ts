import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trainingOps } from '../../../src/qat/ops.ts';
import { trainEpochs } from '../../../src/qat/train/loop.ts';
import { createOptimizer } from '../../../src/qat/train/optimizer.ts';
import { trainableParameters } from '../../../src/qat/train/parameters.ts';
import { createSchedule } from '../../../src/qat/train/schedule.ts';
import { Trainer } from '../../../src/qat/train/trainer.ts';
import { tinyCnn, tinyData } from './fixture.ts';

test('training a tiny CNN: the loss goes down epoch after epoch and accuracy goes up; BN statistics move', async () => {
  const model = tinyCnn();
  const trainer = new Trainer(model, trainingOps(), trainableParameters(model.graph, 1e-4), createOptimizer('adam'));
  const steps: number[] = [];
  const history = await trainEpochs(trainer, tinyData(), { epochs: 3, batchSize: 25, lr: 0.01, schedule: createSchedule('constant'), seed: 1, shift: 1, onStep: (p) => steps.push(p.step) });
  assert.equal(steps.length, 3 * 8);
  assert.ok(history[1].loss < history[0].loss && history[2].loss < history[1].loss, history.map((h) => h.loss).join(' > '));
  assert.ok(history[2].accuracy > history[0].accuracy);
  assert.notDeepEqual(trainer.values.get('bn1.running_mean')!.data, model.graph.initializers.get('bn1.running_mean')!.data);
  // The model itself is untouched; model() carries the trained values.
  assert.deepEqual(model.graph.initializers.get('conv1.weight')!.data, tinyCnn().graph.initializers.get('conv1.weight')!.data);
  assert.deepEqual(trainer.model().graph.initializers.get('conv1.weight')!.data, trainer.values.get('conv1.weight')!.data);
});

test('trainable parameters: conv/Gemm weights with decay, biases and BN γ/β without, running statistics not at all', () => {
  const specs = trainableParameters(tinyCnn().graph, 0.5);
  assert.deepEqual([...specs.keys()].sort(), ['bn1.bias', 'bn1.weight', 'bn2.bias', 'bn2.weight', 'conv1.weight', 'conv2.weight', 'fc.bias', 'fc.weight']);
  assert.equal(specs.get('conv2.weight')!.weightDecay, 0.5);
  assert.equal(specs.get('fc.weight')!.weightDecay, 0.5);
  assert.equal(specs.get('bn1.weight')!.weightDecay, undefined);
});

test('a trainer rejects a parameter that is not a float32 initializer, and a diverging loss', async () => {
  const model = tinyCnn();
  assert.throws(() => new Trainer(model, trainingOps(), new Map([['nope', {}]]), createOptimizer('sgd')), /trainable parameter "nope"/);
  const trainer = new Trainer(model, trainingOps(), trainableParameters(model.graph, 0), createOptimizer('sgd'));
  await assert.rejects(trainEpochs(trainer, tinyData(50), { epochs: 2, batchSize: 25, lr: 1e30, schedule: createSchedule('constant'), seed: 1, shift: 0 }), /training diverged/);
});
