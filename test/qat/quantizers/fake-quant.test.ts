/**
 * The quantizers' forward pass against onnxruntime-node running QuantizeLinear → DequantizeLinear
 * with the same parameters (bit for bit: the exported model must compute what training did),
 * and the straight-through gradient against its definition.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { GraphBuilder } from '../../../src/ir/builder.ts';
import type { DType } from '../../../src/ir/dtype.ts';
import { scalar, tensor, type Tensor } from '../../../src/ir/tensor.ts';
import { exportModel } from '../../../src/onnx/export.ts';
import { seededRandom } from '../../../src/numeric/rounding.ts';
import { forward } from '../../../src/qat/autograd/tape.ts';
import { trainingOps } from '../../../src/qat/ops.ts';
import { QAT_DOMAIN } from '../../../src/qat/quantizers/quantizer.ts';
import { oneNodeModel } from '../autograd/grad-check.ts';

const ops = trainingOps();

/** Values in [lo, hi) with exact ties x/s = k + ½ mixed in. */
function values(shape: number[], seed: number, lo: number, hi: number, scale: number): Tensor {
  const next = seededRandom(seed);
  const t = tensor('float32', shape);
  for (let i = 0; i < t.data.length; i++) t.data[i] = i % 5 === 0 ? (Math.floor(lo / scale + next() * (hi - lo) / scale) + 0.5) * scale : lo + (hi - lo) * next();
  return t;
}

async function onnxruntimeQdq(x: Tensor, scale: Tensor, zeroPoint: Tensor, axis: number | undefined): Promise<Float32Array> {
  const b = new GraphBuilder('qdq');
  const input = b.addInput('x', 'float32', x.shape);
  const s = b.addInitializer('s', scale);
  const z = b.addInitializer('z', zeroPoint);
  const attributes: Record<string, number> = axis === undefined ? {} : { axis };
  const [q] = b.addNode('QuantizeLinear', [input, s, z], attributes);
  const [y] = b.addNode('DequantizeLinear', [q, s, z], attributes, { outputs: ['y'] });
  b.addOutput(y, 'float32', x.shape);
  const session = await ort.InferenceSession.create(exportModel(b.buildModel({ opset: 21 })), { logSeverityLevel: 3, graphOptimizationLevel: 'disabled' });
  try {
    return (await session.run({ x: new ort.Tensor('float32', x.data as Float32Array, x.shape) })).y.data as Float32Array;
  } finally {
    await session.release();
  }
}

function fakeQuant(x: Tensor, scale: Tensor, zeroPoint: Tensor, attributes: Record<string, number>): { y: Tensor; scale: Tensor } {
  const { model, outputs } = oneNodeModel('FakeQuant', [['x', x], ['s', scale], ['z', zeroPoint]], { domain: QAT_DOMAIN, outputs: 2, attributes });
  const run = forward(model, ops, {}, { training: true });
  return { y: run.values.get(outputs[0])!, scale: run.values.get(outputs[1])! };
}

const cases: { name: string; dtype: DType; bits: number; qmin: number; qmax: number; zero: number }[] = [
  { name: 'uint8, zero point 37', dtype: 'uint8', bits: 8, qmin: 0, qmax: 255, zero: 37 },
  { name: 'int8 restricted range', dtype: 'int8', bits: 8, qmin: -127, qmax: 127, zero: 0 },
  { name: 'uint4', dtype: 'uint4', bits: 4, qmin: 0, qmax: 15, zero: 0 },
];

for (const c of cases) {
  test(`FakeQuant per tensor (${c.name}) equals onnxruntime QuantizeLinear → DequantizeLinear bit for bit`, async () => {
    const s = Math.fround(0.0371);
    const x = values([3, 50], 7, s * (c.qmin - c.zero) * 1.3 - 0.1, s * (c.qmax - c.zero) * 1.3 + 0.1, s);
    const ours = fakeQuant(x, scalar('float32', s), scalar('int32', c.zero), { bits: c.bits, qmin: c.qmin, qmax: c.qmax });
    const reference = await onnxruntimeQdq(x, scalar('float32', s), scalar(c.dtype, c.zero), undefined);
    if (c.qmin === -127) {
      // QuantizeLinear saturates to the container (−128); the restricted range stops at −127.
      for (let i = 0; i < reference.length; i++) reference[i] = Math.max(reference[i], Math.fround(-127 * s));
    }
    assert.deepEqual(ours.y.data, reference);
    assert.deepEqual(Array.from(ours.scale.data), [s]);
  });
}

test('FakeQuant per channel (axis 1) equals onnxruntime with per-axis scales', async () => {
  const scales = Float32Array.of(0.01, 0.2, 0.05);
  const x = values([2, 3, 4, 5], 8, -4, 4, 0.05);
  const ours = fakeQuant(x, tensor('float32', [3], scales), tensor('int32', [3], Int32Array.of(0, 0, 0)), { bits: 8, qmin: -128, qmax: 127, axis: 1 });
  assert.deepEqual(ours.y.data, await onnxruntimeQdq(x, tensor('float32', [3], scales), tensor('int8', [3]), 1));
});

test('FakeQuant gradient: straight through inside the clip range [s(qmin − z), s(qmax − z)], 0 outside', () => {
  const x = tensor('float32', [6], Float32Array.of(-0.6, -0.5, 0.1, 1.2, 1.5, 1.7));
  const { model, outputs } = oneNodeModel('FakeQuant', [['x', x], ['s', scalar('float32', 0.1)], ['z', scalar('int32', 5)]], { domain: QAT_DOMAIN, outputs: 2, attributes: { bits: 4, qmin: 0, qmax: 15 } });
  const run = forward(model, ops, {}, { training: true, wrt: new Set(['x']) });
  const dy = tensor('float32', [6], Float32Array.of(1, 2, 3, 4, 5, 6));
  // Range [0.1·(0 − 5), 0.1·(15 − 5)] = [−0.5, 1.0].
  assert.deepEqual(Array.from(run.backward(new Map([[outputs[0], dy]])).get('x')!.data), [0, 2, 3, 0, 0, 0]);
});
