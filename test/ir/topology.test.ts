import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ModelFormatError } from '../../src/errors.ts';
import type { Graph, Node } from '../../src/ir/graph.ts';
import { nodeDependencies, outerReferences, topologicalOrder } from '../../src/ir/topology.ts';

const n = (name: string, inputs: string[], outputs: string[], attributes: Node['attributes'] = {}): Node => ({ name, opType: 'Op', domain: '', inputs, outputs, attributes });

test('an ordered graph keeps its order; a shuffled one gets every producer before its consumers', () => {
  const chain = [n('a', ['x'], ['p']), n('b', ['p'], ['q']), n('c', ['p', 'q'], ['r']), n('d', ['x'], ['s'])];
  assert.deepEqual(topologicalOrder(chain).map((v) => v.name), ['a', 'b', 'c', 'd']);
  fc.assert(
    fc.property(fc.shuffledSubarray(chain, { minLength: 4, maxLength: 4 }), (shuffled) => {
      const order = topologicalOrder(shuffled).map((v) => v.name);
      const position = (name: string) => order.indexOf(name);
      assert.ok(position('a') < position('b') && position('b') < position('c'));
      assert.equal(order.length, 4);
    }),
  );
});

test('a cycle is a ModelFormatError naming a node on the cycle, not one merely behind it', () => {
  const nodes = [n('before', ['x'], ['a']), n('c1', ['a', 'c'], ['b']), n('c2', ['b'], ['c']), n('after', ['c'], ['y'])];
  assert.throws(() => topologicalOrder(nodes, 'm.onnx'), (e: unknown) => e instanceof ModelFormatError && /^m\.onnx: .*cycle through node "c[12]"/.test(e.message));
});

test('long chains do not overflow the stack', () => {
  const count = 50_000;
  const nodes = Array.from({ length: count }, (_, i) => n(`n${i}`, [`v${i}`], [`v${i + 1}`])).reverse();
  const order = topologicalOrder(nodes);
  assert.equal(order[0].name, 'n0');
  assert.equal(order[count - 1].name, `n${count - 1}`);
});

test('values read inside a subgraph count as dependencies of the node holding it', () => {
  const body: Graph = { name: 'body', inputs: [], outputs: [{ name: 'o' }], initializers: new Map(), nodes: [n('inner', ['late', 'local'], ['o']), n('mk', [], ['local'])], valueInfo: new Map() };
  const holder = n('if', ['cond'], ['y'], { then_branch: { type: 'graph', value: body } });
  assert.deepEqual([...outerReferences(body)], ['late']);
  assert.deepEqual(nodeDependencies(holder).sort(), ['cond', 'late']);
  assert.deepEqual(topologicalOrder([holder, n('producer', ['x'], ['late'])]).map((v) => v.name), ['producer', 'if']);
});
