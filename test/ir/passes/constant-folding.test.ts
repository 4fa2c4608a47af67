import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphBuilder } from '../../../src/ir/builder.ts';
import type { Node } from '../../../src/ir/graph.ts';
import { foldConstants, type NodeEvaluator } from '../../../src/ir/passes/constant-folding.ts';
import { float32, tensor, type Tensor } from '../../../src/ir/tensor.ts';

/** A tiny evaluator for the test (elementwise Add/Mul on equal shapes, Shape, ConstantOfShape); counts calls. */
function evaluator(): { evaluate: NodeEvaluator; calls: string[] } {
  const calls: string[] = [];
  const evaluate: NodeEvaluator = (node: Node, inputs: readonly (Tensor | undefined)[]) => {
    calls.push(node.name);
    const [a, b] = inputs as Tensor[];
    switch (node.opType) {
      case 'Add':
        return [float32(a.shape, Array.from(a.data, (v, i) => v + b.data[i]))];
      case 'Mul':
        return [float32(a.shape, Array.from(a.data, (v, i) => v * b.data[i]))];
      case 'ConstantOfShape': {
        const shape = Array.from(a.data);
        return [tensor('float32', shape)];
      }
      default:
        throw new Error(`no kernel for ${node.opType}`);
    }
  };
  return { evaluate, calls };
}

test('nodes whose inputs are all constant fold into initializers; the rest stays', () => {
  const b = new GraphBuilder('g');
  b.addInput('x', 'float32', [2]);
  const w = b.addInitializer('w', float32([2], [1, 2]));
  const v = b.addInitializer('v', float32([2], [10, 20]));
  const [s] = b.addNode('Add', [w, v], {}, { name: 'fold1' });
  const [p] = b.addNode('Mul', [s, s], {}, { name: 'fold2' });
  const [y] = b.addNode('Add', ['x', p], {}, { name: 'runtime' });
  b.addOutput(y);
  const graph = b.build();
  const { evaluate, calls } = evaluator();
  const folded = foldConstants(graph, evaluate);
  assert.deepEqual(calls, ['fold1', 'fold2']);
  assert.deepEqual(folded.nodes.map((n) => n.name), ['runtime']);
  assert.deepEqual(Array.from(folded.initializers.get(p)!.data), [121, 484]);
  assert.deepEqual([...folded.initializers.keys()], [p], 'inputs only the folded nodes read are dropped');
  assert.equal(graph.nodes.length, 3, 'the input graph is not mutated');
});

test('no folding of graph outputs, results above the size cap, evaluator failures, random ops', () => {
  const b = new GraphBuilder('g');
  b.addInput('x', 'float32', [1]);
  const shape = b.addInitializer('shape', tensor('int64', [2], Float64Array.of(1000, 1000)));
  const [big] = b.addNode('ConstantOfShape', [shape], {}, { name: 'big' });
  const [odd] = b.addNode('Unknown', [shape], {}, { name: 'fails' });
  const [rnd] = b.addNode('RandomNormal', [], { shape: [2] }, { name: 'random' });
  const c = b.addInitializer('c', float32([1], [3]));
  const [out] = b.addNode('Add', [c, c], {}, { name: 'graph_output' });
  for (const value of [big, odd, rnd]) b.addOutput(b.addNode('Add', ['x', value], {}, { name: `use_${value}` })[0]);
  b.addOutput(out);
  const { evaluate, calls } = evaluator();
  const folded = foldConstants(b.build(), evaluate, { maxElements: 1000 });
  assert.deepEqual(folded.nodes.map((n) => n.name).filter((n) => !n.startsWith('use_')), ['big', 'fails', 'random', 'graph_output']);
  assert.deepEqual(calls, ['fails'], 'the size cap is checked on the inferred shape before evaluating');
});

test('a result with one dim past maxElements is not evaluated even when it has no elements (found by review after the fuzzed executor hang)', () => {
  const { evaluate, calls } = evaluator();
  const b = new GraphBuilder('g');
  b.addInput('in', 'float32', [1]);
  // Pad of an empty [0, 2] tensor by 2^31 on the last axis: 0 elements, but the Pad kernel builds a 2^31-long index map.
  const x = b.addInitializer('x', tensor('float32', [0, 2]));
  const pads = b.addInitializer('pads', tensor('int64', [4], Float64Array.from([0, 0, 0, 2 ** 31])));
  const [padded] = b.addNode('Pad', [x, pads], {}, { name: 'pad' });
  const [y] = b.addNode('Add', [padded, 'in'], {}, { name: 'add' });
  b.addOutput(y);
  const graph = b.build();
  assert.equal(foldConstants(graph, evaluate), graph);
  assert.deepEqual(calls, []);
});
