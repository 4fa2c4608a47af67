import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphBuilder } from '../../../src/ir/builder.ts';
import { removeDeadNodes } from '../../../src/ir/passes/dead-nodes.ts';
import { float32 } from '../../../src/ir/tensor.ts';

test('nodes that do not reach an output are removed, with the initializers only they read', () => {
  const b = new GraphBuilder('g');
  b.addInput('x', 'float32', [2]);
  const w = b.addInitializer('w', float32([2], [1, 2]));
  const unused = b.addInitializer('unused', float32([2], [3, 4]));
  const [a] = b.addNode('Add', ['x', w], {}, { name: 'live' });
  const [d1] = b.addNode('Mul', ['x', unused], {}, { name: 'dead1' });
  b.addNode('Neg', [d1], {}, { name: 'dead2' });
  const [multi] = b.addNode('Split', [a], {}, { name: 'split', outputs: 2 });
  b.addOutput(multi);
  b.setValueInfo(d1, 'float32', [2]);
  const graph = b.build();
  const pruned = removeDeadNodes(graph);
  assert.deepEqual(pruned.nodes.map((n) => n.name), ['live', 'split']);
  assert.deepEqual([...pruned.initializers.keys()], ['w']);
  assert.equal(pruned.valueInfo.size, 0);
  assert.equal(graph.nodes.length, 4);
  assert.equal(removeDeadNodes(pruned), pruned, 'nothing to do: the same graph');
});
