// The quantization kernel list and the simulated kernel set (src/runtime/kernels/simulated/register.ts):
// contents, and a QDQ model run end to end against onnxruntime-node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphBuilder } from '../../../../src/ir/builder.ts';
import { exportModel } from '../../../../src/onnx/export.ts';
import { createExecutor } from '../../../../src/runtime/executor.ts';
import { floatKernels } from '../../../../src/runtime/kernels/float/register.ts';
import { quantKernels, simulatedKernels } from '../../../../src/runtime/kernels/simulated/register.ts';
import { runOrt } from '../../../onnx/helpers/ort.ts';
import { Rng, make } from '../float/kernel-test-utils.ts';

const QUANT_OPS = ['ConvInteger', 'DequantizeLinear', 'DynamicQuantizeLinear', 'MatMulInteger', 'QLinearConv', 'QLinearMatMul', 'QuantizeLinear'];

test('quantKernels lists the seven ONNX quantization ops; simulatedKernels is every float kernel plus them', () => {
  assert.deepEqual(quantKernels.map((k) => k.op).sort(), QUANT_OPS);
  const float = floatKernels();
  const simulated = simulatedKernels();
  assert.equal(simulated.name, 'simulated');
  assert.deepEqual(simulated.ops(), [...float.ops(), ...QUANT_OPS].sort());
  for (const op of QUANT_OPS) assert.equal(float.has(op), false, `${op} is not a float kernel`);
});

test('a QDQ model (per-tensor uint8, per-axis int8, blocked int4 weights) runs exactly as in onnxruntime-node', async () => {
  const rng = new Rng(0x9d9);
  const b = new GraphBuilder('qdq');
  const x = b.addInput('x', 'float32', [2, 8]);
  const s = (shape: number[], values: number[]) => make('float32', shape, values);
  // activation: per tensor uint8
  const [xq] = b.addNode('QuantizeLinear', [x, b.addInitializer('xs', s([], [0.05])), b.addInitializer('xz', make('uint8', [], [128]))]);
  const [xd] = b.addNode('DequantizeLinear', [xq, 'xs', 'xz']);
  // a constant operand: blocked int4 along axis 1, blocks of 4
  const w = make('int4', [2, 8], Array.from({ length: 16 }, () => rng.int(-8, 7)));
  const [wd] = b.addNode('DequantizeLinear', [b.addInitializer('w', w), b.addInitializer('ws', s([2, 2], [0.1, 0.2, 0.3, 0.4]))], { axis: 1, block_size: 4 });
  const [sum] = b.addNode('Add', [xd, wd]);
  const [relu] = b.addNode('Relu', [sum]);
  // output: per axis int8 along axis 0
  const [yq] = b.addNode('QuantizeLinear', [relu, b.addInitializer('ys', s([2], [0.02, 0.07])), b.addInitializer('yz', make('int8', [2], [-100, -50]))], { axis: 0 });
  const [y] = b.addNode('DequantizeLinear', [yq, 'ys', 'yz'], { axis: 0 });
  b.addOutput(y, 'float32');
  b.addOutput(yq, 'int8');
  const model = b.buildModel({ opset: 21 });
  const executor = createExecutor(model, simulatedKernels());
  for (let trial = 0; trial < 3; trial++) {
    const feed = make('float32', [2, 8], Array.from({ length: 16 }, () => (rng.uniform() * 2 - 1) * 8));
    const ours = executor.runSync({ x: feed });
    const theirs = await runOrt(exportModel(model), { x: feed });
    assert.deepEqual(Array.from(ours[yq].data), theirs[yq].data, `trial ${trial}: quantized output`);
    assert.deepEqual(Array.from(ours[y].data), theirs[y].data, `trial ${trial}: dequantized output`);
  }
});
