import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphBuilder } from '../../../src/ir/builder.ts';
import { tensor, type Tensor } from '../../../src/ir/tensor.ts';
import { forward } from '../../../src/qat/autograd/tape.ts';
import { random64, registry } from './grad-check.ts';

/** y = Relu(x·w) + x·w: the product is read twice, so its gradient is the sum of two paths. */
function model(x: Tensor, w: Tensor) {
  const b = new GraphBuilder('two-paths');
  const input = b.addInput('x', 'float64', [2, 3]);
  const weight = b.addInitializer('w', w);
  const [p] = b.addNode('MatMul', [input, weight]);
  const [r] = b.addNode('Relu', [p]);
  const [y] = b.addNode('Add', [r, p], {}, { outputs: ['y'] });
  b.addOutput(y);
  return { model: b.buildModel(), feeds: { x } };
}

test('a value read by two nodes gets the sum of both gradients (closed form of ∂L/∂w and ∂L/∂x)', () => {
  const x = random64([2, 3], 1);
  const w = random64([3, 4], 2);
  const { model: m, feeds } = model(x, w);
  const seed = random64([2, 4], 3);
  const run = forward(m, registry, feeds, { training: true, wrt: new Set(['w', 'x']) });
  const grads = run.backward(new Map([['y', seed]]));
  // Closed form: ∂L/∂p = seed·(1 + [p > 0]), ∂L/∂w = xᵀ·∂L/∂p, ∂L/∂x = ∂L/∂p·wᵀ.
  const p = new Float64Array(8);
  for (let i = 0; i < 2; i++) for (let j = 0; j < 4; j++) for (let k = 0; k < 3; k++) p[i * 4 + j] += x.data[i * 3 + k] * w.data[k * 4 + j];
  const dp = p.map((v, i) => seed.data[i] * (v > 0 ? 2 : 1));
  for (let k = 0; k < 3; k++) {
    for (let j = 0; j < 4; j++) {
      const expected = dp[j] * x.data[k] + dp[4 + j] * x.data[3 + k];
      assert.ok(Math.abs(grads.get('w')!.data[k * 4 + j] - expected) < 1e-12);
    }
  }
  for (let i = 0; i < 2; i++) {
    for (let k = 0; k < 3; k++) {
      let expected = 0;
      for (let j = 0; j < 4; j++) expected += dp[i * 4 + j] * w.data[k * 4 + j];
      assert.ok(Math.abs(grads.get('x')!.data[i * 3 + k] - expected) < 1e-12);
    }
  }
  assert.throws(() => run.backward(new Map([['y', seed]])), /already consumed/);
});

test('only what leads back to wrt is differentiated: without wrt nothing is recorded', () => {
  const { model: m, feeds } = model(random64([2, 3], 4), random64([3, 4], 5));
  const run = forward(m, registry, feeds, { training: false });
  assert.equal(run.backward(new Map([['y', tensor('float64', [2, 4])]])).size, 0);
  const onlyW = forward(m, registry, feeds, { training: false, wrt: new Set(['w']) }).backward(new Map([['y', random64([2, 4], 6)]]));
  assert.deepEqual([...onlyW.keys()], ['w']);
});

test('a node without a gradient op is named in the error', () => {
  const b = new GraphBuilder('g');
  const x = b.addInput('x', 'float32', [2]);
  const [y] = b.addNode('Sigmoid', [x], {}, { name: 'squash' });
  b.addOutput(y);
  assert.throws(() => forward(b.buildModel(), registry, { x: tensor('float32', [2]) }, { training: true }), /node "squash" \(Sigmoid\): no gradient/);
});
