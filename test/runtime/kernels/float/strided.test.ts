import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyStrided, forEachRun, planStrided } from '../../../../src/runtime/kernels/float/strided.ts';
import { Rng, size, unravel } from './kernel-test-utils.ts';

/** Every (offset per operand) the plan visits, expanded element by element. */
function visited(shape: number[], strides: number[][], base: number[]): number[][] {
  const plan = planStrided(shape, strides);
  const out: number[][] = [];
  forEachRun(plan, base, (offsets) => {
    for (let i = 0; i < plan.run; i++) out.push(plan.steps.map((s, k) => offsets[k] + i * s));
  });
  return out;
}

test('forEachRun visits every index in row-major order with each operand\'s own strides', () => {
  const rng = new Rng(1);
  for (let trial = 0; trial < 200; trial++) {
    const rank = rng.int(0, 5);
    const shape = rng.shape(rank, 0, 4);
    const strides = [0, 1, 2].map(() => shape.map(() => rng.int(-6, 6)));
    const base = [rng.int(0, 9), rng.int(0, 9), rng.int(0, 9)];
    const expected: number[][] = [];
    for (let flat = 0; flat < size(shape); flat++) {
      const index = unravel(flat, shape);
      expected.push(strides.map((st, k) => base[k] + index.reduce((sum, i, a) => sum + i * st[a], 0)));
    }
    assert.deepEqual(visited(shape, strides, base), expected, `shape [${shape}] strides ${JSON.stringify(strides)}`);
  }
});

test('planStrided merges contiguous axes into one run and drops size-1 axes', () => {
  const plan = planStrided([2, 1, 3, 4], [[12, 12, 4, 1], [12, 99, 4, 1]]);
  assert.deepEqual(plan.outer, []);
  assert.equal(plan.run, 24);
  assert.deepEqual(plan.steps, [1, 1]);
  // A per-channel operand [1, C, 1, 1] against [N, C, H, W]: runs of H·W with step 0.
  const channel = planStrided([2, 3, 4, 5], [[60, 20, 5, 1], [0, 1, 0, 0]]);
  assert.deepEqual(channel.outer, [2, 3]);
  assert.equal(channel.run, 20);
  assert.deepEqual(channel.steps, [1, 0]);
  assert.equal(planStrided([3, 0, 2], [[0, 0, 0]]).run, 0);
  assert.equal(planStrided([], [[]]).run, 1);
});

test('copyStrided reverses a vector with a negative step', () => {
  const src = Float32Array.of(1, 2, 3, 4);
  const dst = new Float32Array(4);
  copyStrided(dst, src, planStrided([4], [[1], [-1]]), 3);
  assert.deepEqual(Array.from(dst), [4, 3, 2, 1]);
});
