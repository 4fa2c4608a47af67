import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { tensor } from '../../../src/ir/tensor.ts';
import { exportModel } from '../../../src/onnx/export.ts';
import { createExecutor } from '../../../src/runtime/executor.ts';
import { floatKernels } from '../../../src/runtime/kernels/float/register.ts';
import { buildCnn } from '../../../src/qat/models/cnn.ts';
import { seededRandom } from '../../../src/numeric/rounding.ts';

test('the CNN is standard ONNX: onnxruntime-node computes the same logits as quantkit (both heads)', async () => {
  for (const head of ['flatten', 'gap'] as const) {
    const model = buildCnn({ channels: [3, 5, 6], seed: 2, head });
    const next = seededRandom(9);
    const input = tensor('float32', [4, 1, 28, 28], Float32Array.from({ length: 4 * 784 }, () => next()));
    const ours = createExecutor(model, floatKernels()).runSync({ input }).logits;
    assert.deepEqual(ours.shape, [4, 10]);
    const session = await ort.InferenceSession.create(exportModel(model), { logSeverityLevel: 3 });
    try {
      const theirs = (await session.run({ input: new ort.Tensor('float32', input.data as Float32Array, [4, 1, 28, 28]) })).logits.data as Float32Array;
      for (let i = 0; i < theirs.length; i++) assert.ok(Math.abs(theirs[i] - ours.data[i]) < 1e-4 * Math.max(1, Math.abs(theirs[i])), `logit ${i}`);
    } finally {
      await session.release();
    }
  }
});

test('He initialisation from the seed: std √(2/fan_in) before ReLUs, reproducible, and a different seed differs', () => {
  const w = buildCnn({ channels: [32, 32], seed: 1 }).graph.initializers.get('conv2.weight')!.data;
  let variance = 0;
  for (const v of w) variance += (v * v) / w.length;
  assert.ok(Math.abs(variance - 2 / (32 * 9)) < 0.1 * (2 / (32 * 9)), `variance ${variance}`);
  assert.deepEqual(w, buildCnn({ channels: [32, 32], seed: 1 }).graph.initializers.get('conv2.weight')!.data);
  assert.notDeepEqual(w, buildCnn({ channels: [32, 32], seed: 2 }).graph.initializers.get('conv2.weight')!.data);
  assert.throws(() => buildCnn({ channels: [4, 4, 4, 4, 4, 4], seed: 1 }), /too small for 5 2×2 pools/);
});
