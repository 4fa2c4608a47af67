/** One and two optimizer steps against the update rules written out by hand. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createOptimizer } from '../../../src/qat/train/optimizer.ts';

const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-6 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

function twoSteps(name: string, decay: number, options = {}): Float32Array {
  const p = Float32Array.of(1, -2);
  const optimizer = createOptimizer(name, options);
  const params = new Map([['p', p]]);
  optimizer.step(params, new Map([['p', [0.5, 0.25]]]), 0.1, () => decay);
  optimizer.step(params, new Map([['p', [-1, 0.5]]]), 0.05, () => decay);
  return p;
}

test('SGD with momentum and L2 weight decay (PyTorch form), and Nesterov', () => {
  const mu = 0.9;
  const lambda = 0.01;
  for (const nesterov of [false, true]) {
    const p = twoSteps('sgd', lambda, { momentum: mu, nesterov });
    [[1, 0.5, -1], [-2, 0.25, 0.5]].forEach(([p0, g1, g2], i) => {
      let x = p0;
      let v = 0;
      for (const [g, lr] of [[g1, 0.1], [g2, 0.05]]) {
        const d = g + lambda * x;
        v = mu * v + d;
        x -= lr * (nesterov ? d + mu * v : v);
      }
      close(p[i], x, `nesterov ${nesterov}, p[${i}]`);
    });
  }
});

test('Adam (L2 in the gradient) and AdamW (decoupled decay) with bias-corrected moments', () => {
  for (const name of ['adam', 'adamw']) {
    const lambda = 0.1;
    const p = twoSteps(name, lambda);
    [[1, 0.5, -1], [-2, 0.25, 0.5]].forEach(([p0, g1, g2], i) => {
      let x = p0;
      let m = 0;
      let v = 0;
      [[g1, 0.1], [g2, 0.05]].forEach(([grad, lr], t) => {
        let g = grad;
        if (name === 'adamw') x -= lr * lambda * x;
        else g += lambda * x;
        m = 0.9 * m + 0.1 * g;
        v = 0.999 * v + 0.001 * g * g;
        x -= (lr * (m / (1 - 0.9 ** (t + 1)))) / (Math.sqrt(v / (1 - 0.999 ** (t + 1))) + 1e-8);
      });
      close(p[i], x, `${name} p[${i}]`);
    });
  }
});

test('optimizer state round-trips (for checkpoints) and unknown names are rejected', () => {
  const a = createOptimizer('adam');
  const p = Float32Array.of(1);
  a.step(new Map([['p', p]]), new Map([['p', [1]]]), 0.1, () => 0);
  const b = createOptimizer('adam');
  b.load(a.state());
  const q = p.slice();
  a.step(new Map([['p', p]]), new Map([['p', [0.3]]]), 0.1, () => 0);
  b.step(new Map([['p', q]]), new Map([['p', [0.3]]]), 0.1, () => 0);
  assert.deepEqual(p, q);
  assert.throws(() => createOptimizer('rmsprop'), /optimizer "rmsprop" is not one of sgd, adam, adamw/);
});
