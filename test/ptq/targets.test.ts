import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphBuilder } from '../../src/ir/builder.ts';
import { float32 } from '../../src/ir/tensor.ts';
import { resolveConfig } from '../../src/ptq/config.ts';
import { prepare } from '../../src/ptq/quantize-model.ts';
import { findTargets } from '../../src/ptq/targets.ts';
import { mnistModel } from './mnist.ts';

test('mnist-8: the quantized tensors, their shared groups, and Conv+Relu fusion', () => {
  const { model } = prepare(mnistModel());
  const t = findTargets(model.graph, resolveConfig());
  // Worked out from the graph: input → Conv(+Relu fused) → MaxPool → Conv(+Relu) → MaxPool → Reshape → Gemm.
  assert.deepEqual(t.activations, ['Input3', 'ReLU32_Output_0', 'Pooling66_Output_0', 'ReLU114_Output_0', 'Pooling160_Output_0', 'Pooling160_Output_0_reshape0', 'Plus214_Output_0']);
  assert.equal(t.groupOf.get('Pooling66_Output_0'), 'ReLU32_Output_0'); // MaxPool passes its input's parameters through
  assert.equal(t.groupOf.get('Pooling160_Output_0_reshape0'), 'ReLU114_Output_0');
  assert.equal(t.groupOf.get('Plus214_Output_0'), 'Plus214_Output_0');
  assert.deepEqual(t.layers.map((l) => [l.node.opType, l.weight, l.bias, l.activation?.opType]), [
    ['Conv', 'Parameter5', 'Convolution28_bias', 'Relu'],
    ['Conv', 'Parameter87', 'Convolution110_bias', 'Relu'],
    ['Gemm', 'Parameter193_reshape1', 'Times212_bias', undefined],
  ]);
  assert.deepEqual(t.floatNodes, []);
});

function smallGraph() {
  const b = new GraphBuilder('g');
  const x = b.addInput('x', 'float32', [1, 2, 4, 4]);
  const w = b.addInitializer('w', float32([3, 2, 1, 1], [1, 2, 3, 4, 5, 6]));
  const [c] = b.addNode('Conv', [x, w], {}, { name: 'conv', outputs: ['c'] });
  const [s] = b.addNode('Sigmoid', [c], {}, { name: 'sig', outputs: ['s'] });
  const [cat] = b.addNode('Concat', [c, s], { axis: 1 }, { name: 'concat', outputs: ['cat'] });
  const [sm] = b.addNode('Softmax', [cat], { axis: 1 }, { name: 'softmax', outputs: ['sm'] });
  const [r] = b.addNode('Reshape', [sm, b.addInitializer('shape', { dtype: 'int64', shape: [2], data: new Float64Array([1, -1]) })], {}, { name: 'flat', outputs: ['r'] });
  b.addOutput(r, 'float32');
  for (const [name, shape] of [['c', [1, 3, 4, 4]], ['s', [1, 3, 4, 4]], ['cat', [1, 6, 4, 4]], ['sm', [1, 6, 4, 4]], ['r', [1, 96]]] as const) b.setValueInfo(name, 'float32', shape);
  return b.build();
}

test('concat groups its inputs and output; float-only ops and their passthrough successors stay float', () => {
  const t = findTargets(smallGraph(), resolveConfig());
  assert.deepEqual(t.activations, ['x', 'c', 's', 'cat']);
  assert.equal(t.groupOf.get('c'), t.groupOf.get('cat'));
  assert.equal(t.groupOf.get('s'), t.groupOf.get('cat'));
  // Softmax has no quantized form; the Reshape after it has no quantized input to pass through.
  assert.deepEqual(t.floatNodes, ['softmax', 'flat']);
});

test('excluding a node by name or op type keeps it in float', () => {
  const byName = findTargets(smallGraph(), resolveConfig({ exclude: ['sig'] }));
  assert.ok(byName.floatNodes.includes('sig'));
  // The Sigmoid runs in float, but its output still enters the quantized Concat.
  assert.ok(byName.activations.includes('s') && byName.groupOf.get('s') === byName.groupOf.get('cat'));
  const byType = findTargets(smallGraph(), resolveConfig({ exclude: ['Conv'] }));
  assert.deepEqual(byType.layers, []);
  assert.ok(byType.floatNodes.includes('conv'));
});
