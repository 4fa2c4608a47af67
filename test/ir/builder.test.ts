import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ModelFormatError } from '../../src/errors.ts';
import { GraphBuilder, toAttribute } from '../../src/ir/builder.ts';
import { float32 } from '../../src/ir/tensor.ts';

test('GraphBuilder builds a graph with inputs, initializers, nodes in order and outputs', () => {
  const b = new GraphBuilder('tiny');
  const x = b.addInput('x', 'float32', ['N', 4]);
  const w = b.addInitializer('w', float32([4, 2], [1, 2, 3, 4, 5, 6, 7, 8]));
  const [y] = b.addNode('MatMul', [x, w]);
  const [z] = b.addNode('LeakyRelu', [y], { alpha: 1 });
  b.addOutput(z, 'float32', ['N', 2]);
  const model = b.buildModel({ opset: 17 });
  const g = model.graph;
  assert.equal(model.opsets.get(''), 17);
  assert.deepEqual(g.inputs, [{ name: 'x', dtype: 'float32', shape: ['N', 4] }]);
  assert.deepEqual([...g.initializers.keys()], ['w']);
  assert.deepEqual(g.nodes.map((n) => [n.opType, n.inputs, n.outputs]), [['MatMul', ['x', 'w'], [y]], ['LeakyRelu', [y], [z]]]);
  assert.deepEqual(g.nodes[1].attributes.alpha, { type: 'float', value: 1 }, 'alpha is a float attribute even when integral');
  assert.deepEqual(g.outputs, [{ name: z, dtype: 'float32', shape: ['N', 2] }]);
  assert.equal(new Set([x, w, y, z, ...g.nodes.map((n) => n.name)]).size, 6, 'fresh names do not collide');
});

test('attribute values are tagged by their ONNX type', () => {
  assert.deepEqual(toAttribute('axis', 1), { type: 'int', value: 1 });
  assert.deepEqual(toAttribute('epsilon', 1e-5), { type: 'float', value: 1e-5 });
  assert.deepEqual(toAttribute('pads', [0, 1]), { type: 'ints', value: [0, 1] });
  assert.deepEqual(toAttribute('scales', [1, 2]), { type: 'floats', value: [1, 2] });
  assert.deepEqual(toAttribute('x', [0.5]), { type: 'floats', value: [0.5] });
  assert.deepEqual(toAttribute('mode', 'nearest'), { type: 'string', value: 'nearest' });
  assert.deepEqual(toAttribute('names', ['a']), { type: 'strings', value: ['a'] });
  assert.deepEqual(toAttribute('f', { type: 'float', value: 2 }), { type: 'float', value: 2 });
  const t = float32([1], [1]);
  assert.deepEqual(toAttribute('value', t), { type: 'tensor', value: t });
});

test('GraphBuilder refuses a name used twice; unique initializers get fresh names', () => {
  const b = new GraphBuilder();
  b.addInput('x', 'float32');
  assert.throws(() => b.addInitializer('x', float32([], [1])), ModelFormatError);
  assert.equal(b.addInitializer('x', float32([], [1]), true), 'x_1');
  assert.throws(() => b.addNode('Relu', ['x'], {}, { outputs: ['x'] }), ModelFormatError);
});
