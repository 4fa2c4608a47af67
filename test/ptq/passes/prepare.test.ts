import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { parseIdx } from '../../../src/data/idx.ts';
import { GraphBuilder } from '../../../src/ir/builder.ts';
import type { Model } from '../../../src/ir/graph.ts';
import { float32, tensor } from '../../../src/ir/tensor.ts';
import { loadModelFile } from '../../../src/node/load-model.ts';
import { exportModel } from '../../../src/onnx/export.ts';
import { prepareForQuantization, type PrepareOptions } from '../../../src/ptq/passes/prepare.ts';
import { assertRelClose, assertSameFloat, assertSameOrt, opTypes, randomTensor, rng, runFloat, snapshot } from './helpers.ts';

const MNIST_PATH = new URL('../../../models/mnist-8.onnx', import.meta.url);

function count(ops: string[], op: string): number {
  return ops.filter((o) => o === op).length;
}

test('mnist-8: 2 Conv with bias, 2 Relu, 2 MaxPool, 1 Reshape, 1 Gemm, no Add; outputs on 20 t10k images match onnxruntime', async () => {
  const original = loadModelFile(fileURLToPath(MNIST_PATH));
  const { model, changes } = prepareForQuantization(original);
  const ops = opTypes(model.graph);
  assert.deepEqual(
    ['Conv', 'Relu', 'MaxPool', 'Reshape', 'Gemm', 'Add'].map((op) => count(ops, op)),
    [2, 2, 2, 1, 1, 0],
  );
  assert.equal(ops.length, 8);
  for (const conv of model.graph.nodes.filter((n) => n.opType === 'Conv')) {
    assert.equal(conv.inputs.length, 3, `${conv.name} has a bias`);
    assert.deepEqual(model.graph.initializers.get(conv.inputs[2])?.shape, [model.graph.initializers.get(conv.inputs[1])!.shape[0]]);
  }
  assert.deepEqual(model.graph.nodes.map((n) => n.name), ['Convolution28', 'ReLU32', 'Pooling66', 'Convolution110', 'ReLU114', 'Pooling160', 'Times212_reshape0', 'Times212']);
  assert.deepEqual(changes.map((c) => c.pass), ['fold-constants', 'fold-bias', 'fold-bias', 'fold-bias']);
  assert.deepEqual(model.graph.outputs.map((v) => v.name), ['Plus214_Output_0']);

  const images = parseIdx(readFileSync(new URL('../../../data/mnist/t10k-images-idx3-ubyte.gz', import.meta.url)), 't10k images');
  const [reference, prepared] = await Promise.all([
    ort.InferenceSession.create(readFileSync(MNIST_PATH), { graphOptimizationLevel: 'disabled' }),
    ort.InferenceSession.create(exportModel(model), { graphOptimizationLevel: 'disabled' }),
  ]);
  try {
    for (let i = 0; i < 20; i++) {
      const pixels = Float32Array.from(images.data.subarray(i * 784, (i + 1) * 784));
      const feeds = { Input3: new ort.Tensor('float32', pixels, [1, 1, 28, 28]) };
      const [a, b] = await Promise.all([reference.run(feeds), prepared.run(feeds)]);
      const expected = a.Plus214_Output_0.data as Float32Array;
      assertRelClose(b.Plus214_Output_0.data as Float32Array, expected, `image ${i}, prepared model in onnxruntime`, 1e-4);
      const ours = runFloat(model, { Input3: float32([1, 1, 28, 28], pixels) }).Plus214_Output_0;
      assertRelClose(ours.data, expected, `image ${i}, prepared model in the float executor`, 1e-4);
    }
  } finally {
    await Promise.all([reference.release(), prepared.release()]);
  }
});

/**
 * x [1, 2, 5, 5] → Conv → Identity → BatchNormalization → Add([3, 1, 1]) → Relu → Dropout →
 * Flatten → MatMul(Reshape(w)) → Add([1, 4]) → out.
 */
function pipelineModel(): Model {
  const random = rng(3);
  const b = new GraphBuilder('pipeline');
  b.addInput('x', 'float32', [1, 2, 5, 5]);
  const [c] = b.addNode('Conv', ['x', b.addInitializer('w', randomTensor(random, [3, 2, 3, 3]))], { pads: [1, 1, 1, 1] }, { name: 'conv' });
  const [i] = b.addNode('Identity', [c], {}, { name: 'id' });
  const params = [[0.5, 1.5], [-1, 1], [-0.5, 0.5], [0.1, 1.1]].map(([lo, hi], k) => b.addInitializer(`bn${k}`, randomTensor(random, [3], lo, hi)));
  const [n] = b.addNode('BatchNormalization', [i, ...params], {}, { name: 'bn' });
  const [a] = b.addNode('Add', [n, b.addInitializer('shift', randomTensor(random, [3, 1, 1]))], {}, { name: 'add1' });
  const [r] = b.addNode('Relu', [a], {}, { name: 'relu' });
  const [d] = b.addNode('Dropout', [r], {}, { name: 'drop' });
  const [f] = b.addNode('Flatten', [d], {}, { name: 'flatten' });
  const shape = b.addInitializer('shape', tensor('int64', [2], Float64Array.from([75, 4])));
  const [w2] = b.addNode('Reshape', [b.addInitializer('w_raw', randomTensor(random, [3, 25, 4])), shape], {}, { name: 'reshape' });
  const [m] = b.addNode('MatMul', [f, w2], {}, { name: 'fc' });
  b.addNode('Add', [m, b.addInitializer('fc_b', randomTensor(random, [1, 4]))], {}, { name: 'add2', outputs: ['out'] });
  b.addOutput('out', 'float32', [1, 4]);
  return b.buildModel();
}

test('the steps run in order: fold constants, remove identities, fold BatchNormalization, fold biases, infer shapes', async () => {
  const original = pipelineModel();
  const before = snapshot(original.graph);
  const { model, changes } = prepareForQuantization(original);
  assert.deepEqual(original.graph, before, 'the input model is not modified');
  assert.deepEqual(model.graph.nodes.map((n) => [n.name, n.opType, n.inputs.length]), [['conv', 'Conv', 3], ['relu', 'Relu', 1], ['flatten', 'Flatten', 1], ['fc', 'Gemm', 3]]);
  assert.deepEqual(changes.map((c) => [c.pass, c.nodes[0]]), [
    ['fold-constants', 'reshape'],
    ['remove-identities', 'id'],
    ['remove-identities', 'drop'],
    ['fold-batchnorm', 'bn'],
    ['fold-bias', 'add1'],
    ['fold-bias', 'add2'],
  ]);
  for (const node of model.graph.nodes.slice(0, -1)) {
    const info = model.graph.valueInfo.get(node.outputs[0]);
    assert.ok(info?.dtype === 'float32' && info.shape?.every((d) => typeof d === 'number'), `${node.outputs[0]} has a known type: ${JSON.stringify(info)}`);
  }
  for (const name of model.graph.valueInfo.keys()) {
    assert.ok(model.graph.nodes.some((n) => n.outputs.includes(name)) || model.graph.initializers.has(name), `valueInfo ${name} names a live value`);
  }
  assertSameFloat(original, model, 4);
  await assertSameOrt(original, model, 5);
});

test('each step can be switched off', () => {
  const original = pipelineModel();
  const ops = (options: PrepareOptions) => {
    const { model } = prepareForQuantization(original, options);
    assertSameFloat(original, model, 6);
    return opTypes(model.graph);
  };
  assert.deepEqual(ops({ foldConstants: false }), ['Conv', 'Relu', 'Flatten', 'Reshape', 'MatMul', 'Add'], 'a computed weight keeps MatMul + Add');
  assert.deepEqual(ops({ removeIdentities: false }), ['Conv', 'Identity', 'BatchNormalization', 'Add', 'Relu', 'Dropout', 'Flatten', 'Gemm'], 'the Identity keeps the BatchNormalization from its Conv');
  assert.deepEqual(ops({ foldBatchNorm: false }), ['Conv', 'BatchNormalization', 'Add', 'Relu', 'Flatten', 'Gemm']);
  assert.deepEqual(ops({ foldBias: false }), ['Conv', 'Add', 'Relu', 'Flatten', 'MatMul', 'Add']);
  const { model } = prepareForQuantization(original, { inferShapes: false });
  assert.equal(model.graph.valueInfo.size, 0);
  const none = prepareForQuantization(original, { foldConstants: false, removeDeadNodes: false, removeIdentities: false, foldBatchNorm: false, foldBias: false, inferShapes: false });
  assert.equal(none.model, original);
  assert.deepEqual(none.changes, []);
});
