import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphBuilder } from '../../../src/ir/builder.ts';
import type { Graph } from '../../../src/ir/graph.ts';
import { float32, scalar } from '../../../src/ir/tensor.ts';
import { fusedActivation } from '../../../src/ptq/passes/fused-activation.ts';

/** x → <layer> "layer" → `tail` (which adds the activation and outputs). */
function graphWith(layer: 'Conv' | 'Gemm', tail: (b: GraphBuilder, y: string) => void): Graph {
  const b = new GraphBuilder('g');
  if (layer === 'Conv') {
    b.addInput('x', 'float32', [1, 1, 3, 3]);
    b.addNode('Conv', ['x', b.addInitializer('w', float32([2, 1, 1, 1], [1, -1]))], {}, { name: 'layer', outputs: ['y'] });
  } else {
    b.addInput('x', 'float32', [2, 3]);
    b.addNode('Gemm', ['x', b.addInitializer('w', float32([3, 2], [1, 2, 3, 4, 5, 6]))], {}, { name: 'layer', outputs: ['y'] });
  }
  tail(b, 'y');
  return b.build();
}

function activationOf(graph: Graph): ReturnType<typeof fusedActivation> {
  return fusedActivation(graph, graph.nodes.find((n) => n.name === 'layer')!);
}

test('Relu, Clip(0, 6), Clip(0, none) and Clip(−1, 1) after a Conv or Gemm are reported with their bounds', () => {
  const relu = graphWith('Conv', (b, y) => {
    b.addNode('Relu', [y], {}, { name: 'act', outputs: ['out'] });
    b.addOutput('out');
  });
  const found = activationOf(relu);
  assert.deepEqual(found && { ...found, node: found.node.name }, { kind: 'relu', min: 0, max: Infinity, node: 'act' });

  const clip = (lo: number | undefined, hi: number | undefined, layer: 'Conv' | 'Gemm' = 'Conv') =>
    activationOf(graphWith(layer, (b, y) => {
      const min = lo === undefined ? '' : b.addInitializer('lo', scalar('float32', lo));
      const max = hi === undefined ? '' : b.addInitializer('hi', float32([1], [hi]));
      b.addNode('Clip', [y, min, max], {}, { name: 'act', outputs: ['out'] });
      b.addOutput('out');
    }));
  assert.deepEqual([clip(0, 6)?.kind, clip(0, 6)?.min, clip(0, 6)?.max], ['relu6', 0, 6]);
  assert.deepEqual([clip(0, 6, 'Gemm')?.kind, clip(0, undefined, 'Gemm')?.kind], ['relu6', 'relu']);
  assert.deepEqual([clip(-1, 1)?.kind, clip(-1, 1)?.min, clip(-1, 1)?.max], ['clip', -1, 1]);
  assert.deepEqual([clip(0, 5)?.kind, clip(undefined, 6)?.kind, clip(undefined, 6)?.min], ['clip', 'clip', -Infinity]);
});

test('no fused activation: bounds computed at run time, a second reader, a graph output, another op, a non-layer node', () => {
  assert.equal(activationOf(graphWith('Conv', (b, y) => {
    b.addInput('hi', 'float32', []);
    b.addNode('Clip', [y, '', 'hi'], {}, { outputs: ['out'] });
    b.addOutput('out');
  })), undefined, 'Clip max is a graph input');
  assert.equal(activationOf(graphWith('Conv', (b, y) => {
    b.addNode('Relu', [y], {}, { outputs: ['out'] });
    b.addNode('Neg', [y], {}, { outputs: ['n'] });
    b.addOutput('out');
    b.addOutput('n');
  })), undefined, 'the Conv output is read by Relu and Neg');
  assert.equal(activationOf(graphWith('Gemm', (b, y) => {
    b.addNode('Relu', [y], {}, { outputs: ['out'] });
    b.addOutput('out');
    b.addOutput(y);
  })), undefined, 'the Gemm output is also a graph output');
  assert.equal(activationOf(graphWith('Gemm', (b, y) => {
    b.addNode('Sigmoid', [y], {}, { outputs: ['out'] });
    b.addOutput('out');
  })), undefined, 'Sigmoid');
  const graph = graphWith('Conv', (b, y) => {
    b.addNode('Relu', [y], {}, { name: 'first', outputs: ['r'] });
    b.addNode('Relu', ['r'], {}, { outputs: ['out'] });
    b.addOutput('out');
  });
  assert.equal(fusedActivation(graph, graph.nodes.find((n) => n.name === 'first')!), undefined, 'a Relu is not a layer');
});
