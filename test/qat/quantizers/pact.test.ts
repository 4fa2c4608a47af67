/**
 * PactQuant against the paper: the forward is clip(x, 0, α) quantized to k bits on [0, α]; ∂/∂α
 * is 1 where x ≥ α, which finite differences of the unquantized PACT function
 * 0.5(|x| − |x − α| + α) confirm; ∂/∂x passes where 0 ≤ x < α.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scalar, tensor } from '../../../src/ir/tensor.ts';
import { forward } from '../../../src/qat/autograd/tape.ts';
import { trainingOps } from '../../../src/qat/ops.ts';
import { QAT_DOMAIN } from '../../../src/qat/quantizers/quantizer.ts';
import { oneNodeModel } from '../autograd/grad-check.ts';

const x = tensor('float32', [8], Float32Array.of(-1, 0, 0.3, 0.9, 1.4, 1.5, 2, 7));
const alpha = 1.5;

function pact(bits: number) {
  const { model, outputs } = oneNodeModel('PactQuant', [['x', x], ['alpha', scalar('float32', alpha)]], { domain: QAT_DOMAIN, outputs: 2, attributes: { bits } });
  return { run: forward(model, trainingOps(), {}, { training: true, wrt: new Set(['x', 'alpha']) }), outputs };
}

test('PACT forward: y = round(clip(x, 0, α)·(2^k − 1)/α)·α/(2^k − 1); its scale output is α/(2^k − 1)', () => {
  const { run, outputs } = pact(2);
  const s = Math.fround(alpha / 3);
  const expected = Array.from(x.data, (v) => Math.fround(Math.round(Math.min(Math.max(v, 0), alpha) / s) * s));
  assert.deepEqual(Array.from(run.values.get(outputs[0])!.data), expected);
  assert.deepEqual(Array.from(run.values.get(outputs[1])!.data), [s]);
});

test('PACT gradients: ∂/∂α = Σ dy over x ≥ α (finite differences of the unquantized PACT agree); ∂/∂x where 0 ≤ x < α', () => {
  const { run, outputs } = pact(4);
  const dy = tensor('float32', [8], Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8));
  const grads = run.backward(new Map([[outputs[0], dy]]));
  const unquantized = (v: number, a: number) => 0.5 * (Math.abs(v) - Math.abs(v - a) + a);
  let dAlpha = 0;
  for (let i = 0; i < 8; i++) {
    const v = x.data[i];
    // One-sided difference from below: at x = α the derivative jumps, and the paper takes 1 there.
    dAlpha += dy.data[i] * ((unquantized(v, alpha) - unquantized(v, alpha - 1e-6)) / 1e-6);
  }
  assert.ok(Math.abs(grads.get('alpha')!.data[0] - dAlpha) < 1e-3, `${grads.get('alpha')!.data[0]} vs ${dAlpha}`);
  assert.equal(grads.get('alpha')!.data[0], 6 + 7 + 8); // x = 1.5, 2, 7
  assert.deepEqual(Array.from(grads.get('x')!.data), [0, 2, 3, 4, 5, 0, 0, 0]);
});
