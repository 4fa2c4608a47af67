import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphBuilder } from '../../../src/ir/builder.ts';
import { scalar } from '../../../src/ir/tensor.ts';
import { removeIdentities } from '../../../src/ptq/passes/remove-identities.ts';
import { assertSameFloat, opTypes, snapshot, withGraph } from './helpers.ts';

test('Identity and inference Dropout (no training_mode, or a false one) vanish; their ratio constants go too', () => {
  const b = new GraphBuilder('g');
  b.addInput('x', 'float32', [2, 3]);
  b.addNode('Relu', ['x'], {}, { name: 'relu', outputs: ['r'] });
  b.addNode('Identity', ['r'], {}, { name: 'id', outputs: ['i'] });
  b.addNode('Dropout', ['i', b.addInitializer('ratio', scalar('float32', 0.3))], {}, { name: 'drop1', outputs: ['d1'] });
  const off = b.addInitializer('off', scalar('bool', 0));
  b.addNode('Dropout', ['d1', '', off], {}, { name: 'drop2', outputs: ['d2', ''] });
  b.addNode('Neg', ['d2'], {}, { name: 'neg', outputs: ['out'] });
  b.addOutput('out');
  b.setValueInfo('i', 'float32', [2, 3]);
  const model = b.buildModel();
  const before = snapshot(model.graph);
  const { graph, changes } = removeIdentities(model.graph);
  assert.deepEqual(model.graph, before, 'the input graph is not modified');
  assert.deepEqual(graph.nodes.map((n) => [n.name, n.inputs, n.outputs]), [['relu', ['x'], ['r']], ['neg', ['r'], ['out']]]);
  assert.deepEqual(changes.map((c) => [c.pass, c.nodes]), [['remove-identities', ['id']], ['remove-identities', ['drop1']], ['remove-identities', ['drop2']]]);
  assert.deepEqual([...graph.initializers.keys()], []);
  assert.ok(!graph.valueInfo.has('i'), 'the removed value has no type entry left');
  assertSameFloat(model, withGraph(model, graph), 1);
});

test('a Dropout whose mask is read, or that trains with a non-zero ratio, stays; training with ratio 0 goes', () => {
  const b = new GraphBuilder('g');
  b.addInput('x', 'float32', [4]);
  b.addNode('Dropout', ['x'], {}, { name: 'masked', outputs: ['m', 'mask'] });
  const on = b.addInitializer('on', scalar('bool', 1));
  b.addNode('Dropout', ['m', b.addInitializer('half', scalar('float32', 0.5)), on], {}, { name: 'training', outputs: ['t'] });
  b.addNode('Dropout', ['t', b.addInitializer('zero', scalar('float32', 0)), on], {}, { name: 'zero_ratio', outputs: ['z'] });
  b.addOutput('z');
  b.addOutput('mask');
  const { graph, changes } = removeIdentities(b.build());
  assert.deepEqual(graph.nodes.map((n) => n.name), ['masked', 'training']);
  assert.deepEqual(changes.map((c) => c.nodes[0]), ['zero_ratio']);
  assert.ok(graph.initializers.has('half') && graph.initializers.has('on') && !graph.initializers.has('zero'));
});

test('unnamed nodes keep their empty names; a Dropout copying a graph input to an output becomes an Identity', () => {
  const b = new GraphBuilder('g');
  b.addInput('x', 'float32', [3]);
  b.addNode('Relu', ['x'], {}, { outputs: ['r'] });
  b.addNode('Identity', ['r'], {}, { outputs: ['i'] });
  b.addNode('Neg', ['i'], {}, { outputs: ['out'] });
  b.addNode('Dropout', ['x'], {}, { name: 'copy', outputs: ['x_copy'] });
  b.addOutput('out');
  b.addOutput('x_copy');
  const graph = b.build();
  const unnamed = { ...graph, nodes: graph.nodes.map((n) => (n.name === 'copy' ? n : { ...n, name: '' })) };
  const result = removeIdentities(unnamed);
  assert.deepEqual(result.graph.nodes.map((n) => [n.name, n.opType, n.inputs, n.outputs]), [
    ['', 'Relu', ['x'], ['r']],
    ['', 'Neg', ['r'], ['out']],
    ['copy', 'Identity', ['x'], ['x_copy']],
  ]);
  assert.deepEqual(result.changes.map((c) => c.nodes[0]), ['(output i)', 'copy']);
  assert.match(result.changes[1].message, /Dropout "copy" replaced by Identity/);
});

test('a graph without Identity or Dropout is returned as is', () => {
  const b = new GraphBuilder('g');
  b.addInput('x', 'float32', [3]);
  b.addNode('Relu', ['x'], {}, { outputs: ['out'] });
  b.addOutput('out');
  const graph = b.build();
  assert.deepEqual(removeIdentities(graph), { graph, changes: [] });
  assert.deepEqual(opTypes(graph), ['Relu']);
});
