import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphBuilder } from '../../../../src/ir/builder.ts';
import { exportModel } from '../../../../src/onnx/export.ts';
import { createExecutor } from '../../../../src/runtime/executor.ts';
import { computeKernels } from '../../../../src/runtime/kernels/float/compute-kernels.ts';
import { maxPoolConfig } from '../../../../src/runtime/kernels/float/pool.ts';
import { tensorKernels } from '../../../../src/runtime/kernels/float/tensor-kernels.ts';
import { integerKernels, integerOnlyKernels } from '../../../../src/runtime/kernels/integer/register.ts';
import { qlinearConvConfig } from '../../../../src/runtime/kernels/integer/qlinear-conv.ts';
import { quantKernels } from '../../../../src/runtime/kernels/quant/register.ts';
import { make, Rng } from '../float/kernel-test-utils.ts';
import { randomInts } from '../quant/conv-test-utils.ts';
import { runOrt } from '../../../onnx/helpers/ort.ts';
import { runInteger } from './integer-test-utils.ts';

test('integerKernels: the integer-only ops, the float kernels and the quantization boundary, each once', () => {
  const registry = integerKernels();
  assert.equal(registry.name, 'integer');
  for (const op of ['QLinearConv', 'QLinearMatMul', 'MaxPool', 'QuantizeLinear', 'DequantizeLinear', 'Reshape', 'Flatten', 'Transpose', 'Squeeze', 'Unsqueeze', 'Slice', 'Split', 'Gather', 'Concat', 'Identity', 'Clip', 'Shape', 'Softmax', 'LayerNormalization']) {
    assert.ok(registry.has(op), op);
  }
  for (const op of ['QGemm', 'QLinearAdd', 'QLinearMul', 'QLinearAveragePool', 'QLinearGlobalAveragePool', 'QLinearConcat', 'QLinearSigmoid', 'QLinearLeakyRelu']) assert.ok(registry.has(op, 'com.microsoft'), op);
  assert.ok(registry.has('QLinearLookup', 'ai.quantkit'));
  // reused by reference, not copied; QLinearConv is the fixed-point one, not the float-requantizing one
  assert.equal(registry.get('MaxPool')?.impl, maxPoolConfig.impl);
  assert.equal(registry.get('QLinearConv')?.impl, qlinearConvConfig.impl);
  assert.notEqual(registry.get('QLinearConv')?.impl, quantKernels.find((c) => c.op === 'QLinearConv')?.impl);
  assert.equal(registry.ops().length, computeKernels.length + tensorKernels.length + quantKernels.length - 2 + integerOnlyKernels.length);
});

test('MaxPool and Clip of the float set are exact on int8 / uint8 storage', () => {
  const rng = new Rng(0x11);
  for (const dtype of ['int8', 'uint8'] as const) {
    const values = randomInts(rng, dtype, 2 * 3 * 5 * 6);
    const x = make(dtype, [2, 3, 5, 6], values);
    const y = runInteger('MaxPool', [x], { kernel_shape: { type: 'ints', value: [2, 3] }, strides: { type: 'ints', value: [2, 2] }, pads: { type: 'ints', value: [1, 0, 0, 1] } });
    assert.equal(y.dtype, dtype);
    assert.deepEqual([...y.shape], [2, 3, 3, 3]);
    // plain loops: window rows 2·oh − 1 … 2·oh, columns 2·ow … 2·ow + 2 inside the input
    const expected: number[] = [];
    for (let plane = 0; plane < 6; plane++) {
      for (let oh = 0; oh < 3; oh++) {
        for (let ow = 0; ow < 3; ow++) {
          let best = -Infinity;
          for (let h = 2 * oh - 1; h <= 2 * oh; h++) for (let w = 2 * ow; w <= 2 * ow + 2; w++) if (h >= 0 && h < 5 && w < 6) best = Math.max(best, values[plane * 30 + h * 6 + w]);
          expected.push(best);
        }
      }
    }
    assert.deepEqual(Array.from(y.data), expected);
    const lo = dtype === 'int8' ? -20 : 30;
    const clipped = runInteger('Clip', [x, make(dtype, [], [lo]), make(dtype, [], [100])]);
    assert.equal(clipped.dtype, dtype);
    assert.deepEqual(Array.from(clipped.data), values.map((v) => Math.min(Math.max(v, lo), 100)));
  }
});

test('an integer graph runs in the executor: QuantizeLinear → QLinearConv → MaxPool → QLinearGlobalAveragePool → DequantizeLinear', async () => {
  const rng = new Rng(0x12);
  const b = new GraphBuilder('integer_net');
  b.addInput('x', 'float32', [1, 2, 6, 6]);
  const scalar = (name: string, dtype: 'float32' | 'uint8' | 'int8', v: number): string => b.addInitializer(name, make(dtype, [], [v]));
  const [xq] = b.addNode('QuantizeLinear', ['x', scalar('xs', 'float32', 0.02), scalar('xz', 'uint8', 128)]);
  const w = b.addInitializer('w', make('int8', [4, 2, 3, 3], randomInts(rng, 'int8', 72)));
  const ws = b.addInitializer('ws', make('float32', [4], [0.01, 0.02, 0.015, 0.005]));
  const wz = b.addInitializer('wz', make('int8', [4], [0, 0, 0, 0]));
  const [conv] = b.addNode('QLinearConv', [xq, 'xs', 'xz', w, ws, wz, scalar('cs', 'float32', 0.05), scalar('cz', 'uint8', 0)], { pads: [1, 1, 1, 1] });
  const [pooled] = b.addNode('MaxPool', [conv], { kernel_shape: [2, 2], strides: [2, 2] });
  const [mean] = b.addNode('QLinearGlobalAveragePool', [pooled, 'cs', 'cz', scalar('ms', 'float32', 0.03), scalar('mz', 'uint8', 5)], {}, { domain: 'com.microsoft' });
  const [y] = b.addNode('DequantizeLinear', [mean, 'ms', 'mz']);
  b.addOutput(y, 'float32');
  const model = b.buildModel({ opset: 21, opsets: { 'com.microsoft': 1 } });
  const executor = createExecutor(model, integerKernels());
  const x = make('float32', [1, 2, 6, 6], Array.from({ length: 72 }, () => rng.uniform() * 4 - 2));
  const first = (await executor.run({ x }))[y];
  const second = (await executor.run({ x }))[y];
  assert.deepEqual([...first.shape], [1, 4, 1, 1]);
  assert.deepEqual(first, second, 'prepared state gives the same second run');
  // the ReLU through z = 0 on a uint8 output: every mean is at least the real 0 (code 5)
  assert.ok(Array.from(first.data).every((v) => v >= 0), 'non-negative means');
  // the same model in onnxruntime: within one output step (0.03)
  const ort = (await runOrt(exportModel(model), { x }))[y];
  Array.from(first.data).forEach((v, i) => assert.ok(Math.abs(v - ort.data[i]) <= 0.03 + 1e-6, `output ${i}: ${v} vs onnxruntime ${ort.data[i]}`));
});
