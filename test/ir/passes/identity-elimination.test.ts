import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphBuilder } from '../../../src/ir/builder.ts';
import { eliminateIdentities } from '../../../src/ir/passes/identity-elimination.ts';

test('Identity nodes vanish; readers read the source; graph output names survive', () => {
  const b = new GraphBuilder('g');
  b.addInput('x', 'float32', [2]);
  b.addNode('Relu', ['x'], {}, { name: 'relu', outputs: ['r'] });
  b.addNode('Identity', ['r'], {}, { name: 'id1', outputs: ['r1'] });
  b.addNode('Identity', ['r1'], {}, { name: 'id2', outputs: ['r2'] });
  b.addNode('Neg', ['r2'], {}, { name: 'neg', outputs: ['n'] });
  b.addNode('Identity', ['n'], {}, { name: 'id_out', outputs: ['out'] });
  b.addNode('Identity', ['x'], {}, { name: 'id_input', outputs: ['x_out'] });
  b.addOutput('out');
  b.addOutput('x_out');
  const graph = b.build();
  const result = eliminateIdentities(graph);
  assert.deepEqual(result.nodes.map((n) => [n.name, n.inputs, n.outputs]), [
    ['relu', ['x'], ['r']],
    ['neg', ['r'], ['out']],
    ['id_input', ['x'], ['x_out']],
  ]);
  assert.deepEqual(result.outputs.map((v) => v.name), ['out', 'x_out']);
  assert.equal(graph.nodes.length, 6);
});

test('two outputs that are identities of one value: one renames the producer, the other stays', () => {
  const b = new GraphBuilder('g');
  b.addInput('x', 'float32', [2]);
  b.addNode('Relu', ['x'], {}, { name: 'relu', outputs: ['r'] });
  b.addNode('Identity', ['r'], {}, { name: 'a', outputs: ['o1'] });
  b.addNode('Identity', ['r'], {}, { name: 'b', outputs: ['o2'] });
  b.addOutput('o1');
  b.addOutput('o2');
  const result = eliminateIdentities(b.build());
  assert.deepEqual(result.nodes.map((n) => [n.name, n.inputs, n.outputs]), [['relu', ['x'], ['o1']], ['b', ['o1'], ['o2']]]);
});
