import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scalar, tensor } from '../../../src/ir/tensor.ts';
import { forward } from '../../../src/qat/autograd/tape.ts';
import { trainingOps } from '../../../src/qat/ops.ts';
import { QAT_DOMAIN } from '../../../src/qat/quantizers/quantizer.ts';
import { oneNodeModel } from '../autograd/grad-check.ts';

test('FakeQuantMinMax: per-channel symmetric scales max|w|/qmax from the weights of this step, STE gradient', () => {
  const w = tensor('float32', [2, 3], Float32Array.of(0.5, -1.4, 0.2, 0.03, 0.06, -0.09));
  const { model, outputs } = oneNodeModel('FakeQuantMinMax', [['w', w]], { domain: QAT_DOMAIN, outputs: 2, attributes: { bits: 3, axis: 0 } });
  const run = forward(model, trainingOps(), {}, { training: true, wrt: new Set(['w']) });
  const scales = [Math.fround(Math.fround(1.4) / 3), Math.fround(Math.fround(0.09) / 3)];
  assert.deepEqual(Array.from(run.values.get(outputs[1])!.data), scales);
  const expected = Array.from(w.data, (v, i) => Math.fround(Math.round(v / scales[Math.floor(i / 3)]) * scales[Math.floor(i / 3)]));
  assert.deepEqual(Array.from(run.values.get(outputs[0])!.data), expected);
  const dy = tensor('float32', [2, 3], Float32Array.of(1, 2, 3, 4, 5, 6));
  assert.deepEqual(Array.from(run.backward(new Map([[outputs[0], dy]])).get('w')!.data), [1, 2, 3, 4, 5, 6]);
});

test('BiasQuant: int32 grid with scale s_in·s_w per output channel (eq. (13)), straight-through gradient to the bias only', () => {
  const b = tensor('float32', [2], Float32Array.of(0.123456, -2.5));
  const sIn = Math.fround(0.02);
  const sW = Float32Array.of(0.003, 0.7);
  const { model, outputs } = oneNodeModel('BiasQuant', [['b', b], ['s_in', scalar('float32', sIn)], ['s_w', tensor('float32', [2], sW)]], { domain: QAT_DOMAIN, outputs: 2 });
  const run = forward(model, trainingOps(), {}, { training: true, wrt: new Set(['b', 's_in']) });
  const scale = Array.from(sW, (s) => Math.fround(sIn * s));
  assert.deepEqual(Array.from(run.values.get(outputs[0])!.data), Array.from(b.data, (v, c) => Math.fround(Math.round(v / scale[c]) * scale[c])));
  const grads = run.backward(new Map([[outputs[0], tensor('float32', [2], Float32Array.of(1, -1))]]));
  assert.deepEqual(Array.from(grads.get('b')!.data), [1, -1]);
  assert.equal(grads.has('s_in'), false);
});
