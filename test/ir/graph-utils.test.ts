import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphBuilder } from '../../src/ir/builder.ts';
import { consumers, producers, renameValues, usedNames, valueInfoOf } from '../../src/ir/graph-utils.ts';
import { float32 } from '../../src/ir/tensor.ts';

function sample() {
  const b = new GraphBuilder('g');
  b.addInput('x', 'float32', [2]);
  b.addInitializer('w', float32([2], [1, 2]));
  b.addNode('Add', ['x', 'w'], {}, { name: 'add', outputs: ['s'] });
  b.addNode('Mul', ['s', 's'], {}, { name: 'mul', outputs: ['p'] });
  b.addNode('Neg', ['s'], {}, { name: 'neg', outputs: ['n'] });
  b.addOutput('p');
  b.addOutput('n');
  return b.build();
}

test('producers and consumers (a node reading a value twice is listed once)', () => {
  const g = sample();
  assert.equal(producers(g).get('s')?.name, 'add');
  assert.equal(producers(g).get('x'), undefined);
  assert.deepEqual(consumers(g).get('s')?.map((n) => n.name), ['mul', 'neg']);
  assert.deepEqual(consumers(g).get('w')?.map((n) => n.name), ['add']);
  assert.deepEqual([...usedNames(g)].sort(), ['n', 'p', 's', 'w', 'x']);
  assert.deepEqual(valueInfoOf(g, 'w'), { name: 'w', dtype: 'float32', shape: [2] });
});

test('renameValues renames everywhere and leaves the input graph untouched', () => {
  const g = sample();
  const renamed = renameValues(g, new Map([['s', 'sum'], ['p', 'product']]));
  assert.deepEqual(renamed.nodes.map((n) => [...n.inputs, ...n.outputs]), [['x', 'w', 'sum'], ['sum', 'sum', 'product'], ['sum', 'n']]);
  assert.deepEqual(renamed.outputs.map((v) => v.name), ['product', 'n']);
  assert.deepEqual(g.nodes[0].outputs, ['s']);
});
