/**
 * LsqQuant's gradients against the formulas of Esser et al. (LSQ, eq. (3)) computed here
 * element by element in plain code, for per-tensor and per-channel steps.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scalar, tensor, type Tensor } from '../../../src/ir/tensor.ts';
import { seededRandom } from '../../../src/numeric/rounding.ts';
import { forward } from '../../../src/qat/autograd/tape.ts';
import { trainingOps } from '../../../src/qat/ops.ts';
import { lsqGradScale } from '../../../src/qat/quantizers/lsq.ts';
import { QAT_DOMAIN } from '../../../src/qat/quantizers/quantizer.ts';
import { oneNodeModel } from '../autograd/grad-check.ts';

function run(x: Tensor, step: Tensor, zero: Tensor, attributes: Record<string, number>, dy: Tensor) {
  const { model, outputs } = oneNodeModel('LsqQuant', [['x', x], ['step', step], ['z', zero]], { domain: QAT_DOMAIN, outputs: 2, attributes });
  const r = forward(model, trainingOps(), {}, { training: true, wrt: new Set(['x', 'step']) });
  return { y: r.values.get(outputs[0])!, grads: r.backward(new Map([[outputs[0], dy]])) };
}

function uniform(n: number, seed: number, lo: number, hi: number): Float32Array {
  const next = seededRandom(seed);
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * next());
}

test('LSQ per tensor: ∂ŷ/∂s = round(v/s) − v/s inside, −Qn below, Qp above, times g; ∂ŷ/∂v straight through inside', () => {
  const s = Math.fround(0.25);
  const qn = 8;
  const qp = 7;
  const x = tensor('float32', [40], uniform(40, 11, -3, 3));
  const dy = tensor('float32', [40], uniform(40, 12, -1, 1));
  const g = lsqGradScale(40, qp);
  assert.equal(g, 1 / Math.sqrt(40 * 7));
  const { y, grads } = run(x, scalar('float32', s), scalar('int32', 0), { bits: 4, qmin: -qn, qmax: qp, grad_scale: g }, dy);
  let ds = 0;
  for (let i = 0; i < 40; i++) {
    const v = x.data[i] / s;
    const inside = v > -qn && v < qp;
    ds += dy.data[i] * (v <= -qn ? -qn : v >= qp ? qp : Math.round(v) - v);
    assert.equal(grads.get('x')!.data[i], inside ? dy.data[i] : 0);
    assert.equal(y.data[i] + 0, Math.fround(Math.min(qp, Math.max(-qn, Math.round(v))) * s) + 0); // −0 and 0 alike
  }
  assert.ok(Math.abs(grads.get('step')!.data[0] - ds * g) < 1e-6, `${grads.get('step')!.data[0]} vs ${ds * g}`);
});

test('LSQ per channel with an asymmetric code range: one step gradient per channel, code range [qmin − z, qmax − z]', () => {
  const steps = Float32Array.of(0.1, 0.5);
  const x = tensor('float32', [3, 2, 5], uniform(30, 13, -2, 4));
  const dy = tensor('float32', [3, 2, 5], uniform(30, 14, -1, 1));
  const { grads } = run(x, tensor('float32', [2], steps), tensor('int32', [2], Int32Array.of(3, 3)), { bits: 4, qmin: 0, qmax: 15, axis: 1, grad_scale: 0.5 }, dy);
  const expected = [0, 0];
  for (let i = 0; i < 30; i++) {
    const c = Math.floor(i / 5) % 2;
    const v = x.data[i] / steps[c];
    expected[c] += dy.data[i] * (v <= -3 ? -3 : v >= 12 ? 12 : Math.round(v) - v);
  }
  for (let c = 0; c < 2; c++) assert.ok(Math.abs(grads.get('step')!.data[c] - 0.5 * expected[c]) < 1e-5, `channel ${c}`);
});
