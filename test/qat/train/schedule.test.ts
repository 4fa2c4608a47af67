import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSchedule } from '../../../src/qat/train/schedule.ts';

test('cosine: 1 at the start, ½ half way, → 0 at the end; with a linear warmup first', () => {
  const cosine = createSchedule('cosine');
  assert.equal(cosine(0, 100), 1);
  assert.ok(Math.abs(cosine(50, 100) - 0.5) < 1e-12);
  assert.ok(Math.abs(cosine(75, 100) - (1 + Math.cos((3 * Math.PI) / 4)) / 2) < 1e-12);
  const warm = createSchedule('cosine', { warmupSteps: 10 });
  assert.deepEqual([0, 4, 9].map((t) => warm(t, 110)), [0.1, 0.5, 1]);
  assert.equal(warm(10, 110), 1);
  assert.ok(Math.abs(warm(60, 110) - 0.5) < 1e-12);
});

test('step: γ^⌊t / stepSize⌋; constant: 1', () => {
  const step = createSchedule('step', { stepSize: 30, gamma: 0.1 });
  assert.deepEqual([0, 29, 30, 59, 60].map((t) => step(t, 90)), [1, 1, 0.1, 0.1, 0.1 ** 2]);
  assert.equal(createSchedule('constant')(5, 10), 1);
  assert.throws(() => createSchedule('step'), /stepSize must be a positive integer/);
  assert.throws(() => createSchedule('linear'), /schedule "linear" is not one of constant, cosine, step/);
});
