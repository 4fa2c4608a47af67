import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphBuilder } from '../../../src/ir/builder.ts';
import { tensor } from '../../../src/ir/tensor.ts';
import { foldFloatConstants } from '../../../src/ptq/passes/fold-constants.ts';
import { assertSameFloat, opTypes, randomTensor, rng, snapshot, withGraph } from './helpers.ts';

const int64 = (values: number[]) => tensor('int64', [values.length], Float64Array.from(values));

/** x [2, 3] → MatMul with Transpose(Reshape(w [3, 2, 2])) → out; plus a dead Neg of x. */
function model() {
  const random = rng(1);
  const b = new GraphBuilder('g');
  b.addInput('x', 'float32', [2, 3]);
  const w = b.addInitializer('w', randomTensor(random, [3, 2, 2]));
  const [r] = b.addNode('Reshape', [w, b.addInitializer('shape', int64([4, 3]))], {}, { name: 'reshape', outputs: ['w_2d'] });
  const [t] = b.addNode('Transpose', [r], { perm: [1, 0] }, { name: 'transpose', outputs: ['w_t'] });
  b.addNode('MatMul', ['x', t], {}, { name: 'mm', outputs: ['out'] });
  b.addNode('Neg', ['x'], {}, { name: 'unused', outputs: ['dead'] });
  b.addOutput('out');
  return b.buildModel();
}

test('constant subgraphs run once through the float kernels; the weight becomes one initializer; dead nodes go', () => {
  const m = model();
  const before = snapshot(m.graph);
  const { graph, changes } = foldFloatConstants(m.graph);
  assert.deepEqual(m.graph, before, 'the input graph is not modified');
  assert.deepEqual(opTypes(graph), ['MatMul']);
  assert.deepEqual(graph.nodes[0].inputs, ['x', 'w_t']);
  assert.deepEqual([...graph.initializers.keys()], ['w_t']);
  // w_t[i][j] = w_2d[j][i] = w[flat j·3 + i]: the transpose written out by hand.
  const w = m.graph.initializers.get('w')!.data;
  const wt = graph.initializers.get('w_t')!;
  assert.deepEqual(wt.shape, [3, 4]);
  assert.deepEqual(Array.from(wt.data), [0, 1, 2].flatMap((i) => [0, 1, 2, 3].map((j) => w[j * 3 + i])));
  assert.deepEqual(changes.map((c) => [c.pass, c.nodes]), [['fold-constants', ['reshape']], ['fold-constants', ['transpose']], ['remove-dead-nodes', ['unused']]]);
  assertSameFloat(m, withGraph(m, graph), 2);
});

test('fold: false and removeDeadNodes: false switch each half off', () => {
  const m = model();
  assert.deepEqual(opTypes(foldFloatConstants(m.graph, { fold: false }).graph), ['Reshape', 'Transpose', 'MatMul']);
  assert.deepEqual(opTypes(foldFloatConstants(m.graph, { removeDeadNodes: false }).graph), ['MatMul', 'Neg']);
  const none = foldFloatConstants(m.graph, { fold: false, removeDeadNodes: false });
  assert.equal(none.graph, m.graph);
  assert.deepEqual(none.changes, []);
});

test('results above maxElements stay computed at run time', () => {
  const { graph } = foldFloatConstants(model().graph, { maxElements: 8 });
  assert.deepEqual(opTypes(graph), ['Reshape', 'Transpose', 'MatMul']);
});
