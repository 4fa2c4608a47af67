import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphBuilder, type AttributeInput } from '../../../src/ir/builder.ts';
import type { Model } from '../../../src/ir/graph.ts';
import { foldBiases } from '../../../src/ptq/passes/fold-bias.ts';
import { assertSameFloat, opTypes, randomTensor, rng, snapshot, withGraph, type Random } from './helpers.ts';

/** x [2, 3, 4, 4] → Conv "conv" (W [4, 3, 3, 3], pads 1, optional bias) → out; `tail` adds nodes after it. */
function convModel(seed: number, options: { bias?: boolean; transpose?: boolean }, tail: (b: GraphBuilder, y: string, random: Random) => void): Model {
  const random = rng(seed);
  const b = new GraphBuilder('conv_add');
  b.addInput('x', 'float32', [2, 3, 4, 4]);
  const inputs = ['x', b.addInitializer('w', randomTensor(random, options.transpose ? [3, 2, 3, 3] : [4, 3, 3, 3]))];
  if (options.bias) inputs.push(b.addInitializer('b', randomTensor(random, [4])));
  const attributes: Record<string, AttributeInput> = options.transpose ? { group: 1 } : { pads: [1, 1, 1, 1] };
  const [y] = b.addNode(options.transpose ? 'ConvTranspose' : 'Conv', inputs, attributes, { name: 'conv' });
  tail(b, y, random);
  return b.buildModel();
}

function fold(model: Model, seed: number): Model {
  const before = snapshot(model.graph);
  const { graph } = foldBiases(model.graph);
  assert.deepEqual(model.graph, before, 'the input graph is not modified');
  const folded = withGraph(model, graph);
  assertSameFloat(model, folded, seed);
  return folded;
}

test('Conv + Add of a [C, 1, 1] constant: the Add becomes the Conv bias "conv_bias"', () => {
  const model = convModel(1, {}, (b, y, random) => {
    b.addNode('Add', [y, b.addInitializer('c', randomTensor(random, [4, 1, 1]))], {}, { name: 'add', outputs: ['out'] });
    b.addOutput('out');
  });
  const { graph, changes } = foldBiases(model.graph);
  assert.deepEqual(graph.nodes.map((n) => [n.name, n.opType, n.inputs, n.outputs]), [['conv', 'Conv', ['x', 'w', 'conv_bias'], ['out']]]);
  assert.deepEqual(changes.map((c) => [c.pass, c.nodes]), [['fold-bias', ['add', 'conv']]]);
  assert.deepEqual(graph.initializers.get('conv_bias')!.shape, [4]);
  assert.deepEqual(Array.from(graph.initializers.get('conv_bias')!.data), Array.from(model.graph.initializers.get('c')!.data));
  assert.ok(!graph.initializers.has('c'), 'the addend is no longer read');
  fold(model, 2);
});

test('an existing bias gets the addend added; the constant may be the first Add input; [1, C, 1, 1] and [1] shapes', () => {
  for (const [i, shape] of [[1, 4, 1, 1], [4, 1, 1], [1]].entries()) {
    const model = convModel(10 + i, { bias: true }, (b, y, random) => {
      b.addNode('Add', [b.addInitializer('c', randomTensor(random, shape)), y], {}, { outputs: ['out'] });
      b.addOutput('out');
    });
    const folded = fold(model, 20 + i);
    assert.deepEqual(opTypes(folded.graph), ['Conv']);
    const bias = folded.graph.initializers.get(folded.graph.nodes[0].inputs[2])!;
    const c = model.graph.initializers.get('c')!.data;
    const b = model.graph.initializers.get('b')!.data;
    assert.deepEqual(Array.from(bias.data), Array.from(b, (v, k) => Math.fround(v + c[c.length === 1 ? 0 : k])));
    assert.ok(!folded.graph.initializers.has('b'));
  }
});

test('Conv → Add → Add folds both into one bias; ConvTranspose folds along its output channels', () => {
  const chain = fold(convModel(30, {}, (b, y, random) => {
    const [z] = b.addNode('Add', [y, b.addInitializer('c1', randomTensor(random, [4, 1, 1]))]);
    b.addNode('Add', [z, b.addInitializer('c2', randomTensor(random, [1, 4, 1, 1]))], {}, { outputs: ['out'] });
    b.addOutput('out');
  }), 31);
  assert.deepEqual(opTypes(chain.graph), ['Conv']);
  assert.deepEqual([...chain.graph.initializers.keys()].sort(), ['conv_bias_1', 'w'], 'the intermediate bias is dropped');
  const transposed = fold(convModel(32, { transpose: true }, (b, y, random) => {
    b.addNode('Add', [y, b.addInitializer('c', randomTensor(random, [2, 1, 1]))], {}, { outputs: ['out'] });
    b.addOutput('out');
  }), 33);
  assert.deepEqual(opTypes(transposed.graph), ['ConvTranspose']);
});

/** a [rows, 3] (declared) → MatMul "mm" (W [3, 5]) → Add(c) → out. */
function matMulModel(seed: number, aShape: readonly number[] | undefined, cShape: readonly number[], constantWeight = true): Model {
  const random = rng(seed);
  const b = new GraphBuilder('matmul_add');
  b.addInput('a', 'float32', aShape);
  const w = constantWeight ? b.addInitializer('w', randomTensor(random, [3, 5])) : b.addInput('w', 'float32', [3, 5]);
  const [y] = b.addNode('MatMul', ['a', w], {}, { name: 'mm' });
  b.addNode('Add', [y, b.addInitializer('c', randomTensor(random, cShape))], {}, { name: 'add', outputs: ['out'] });
  b.addOutput('out');
  return b.buildModel();
}

test('MatMul (constant 2-D weight, 2-D input) + Add of [N] or [1, N] becomes Gemm(A, W, bias)', () => {
  const a = fold(matMulModel(40, [4, 3], [5]), 41);
  assert.deepEqual(a.graph.nodes.map((n) => [n.name, n.opType, n.inputs, n.outputs, n.attributes]), [['mm', 'Gemm', ['a', 'w', 'c'], ['out'], {}]]);
  const b = fold(matMulModel(42, [4, 3], [1, 5]), 43);
  assert.deepEqual(b.graph.nodes[0].inputs, ['a', 'w', 'mm_bias']);
  assert.deepEqual(b.graph.initializers.get('mm_bias')!.shape, [5]);
});

test('the rank of A may come from shape inference (A computed from a declared input)', () => {
  const random = rng(44);
  const b = new GraphBuilder('inferred');
  b.addInput('x', 'float32', [2, 3, 2]);
  const [a] = b.addNode('Reshape', ['x', b.addInitializer('shape', { dtype: 'int64', shape: [2], data: Float64Array.from([4, 3]) })]);
  const [y] = b.addNode('MatMul', [a, b.addInitializer('w', randomTensor(random, [3, 5]))], {}, { name: 'mm' });
  b.addNode('Add', [y, b.addInitializer('c', randomTensor(random, [5]))], {}, { outputs: ['out'] });
  b.addOutput('out');
  const folded = fold(b.buildModel(), 45);
  assert.deepEqual(opTypes(folded.graph), ['Reshape', 'Gemm']);
});

test('Gemm + Add: C′ = β·C + c and β is dropped', () => {
  const random = rng(50);
  const b = new GraphBuilder('gemm_add');
  b.addInput('a', 'float32', [4, 3]);
  const [y] = b.addNode('Gemm', ['a', b.addInitializer('w', randomTensor(random, [5, 3])), b.addInitializer('c0', randomTensor(random, [1, 5]))], { transB: 1, beta: 0.5, alpha: 2 }, { name: 'gemm' });
  b.addNode('Add', [y, b.addInitializer('c', randomTensor(random, [5]))], {}, { outputs: ['out'] });
  b.addOutput('out');
  const folded = fold(b.buildModel(), 51);
  const [gemm] = folded.graph.nodes;
  assert.deepEqual([gemm.opType, gemm.inputs, gemm.attributes.beta], ['Gemm', ['a', 'w', 'gemm_bias'], undefined]);
});

function assertUnchanged(model: Model, what: string): void {
  const result = foldBiases(model.graph);
  assert.equal(result.graph, model.graph, what);
  assert.deepEqual(result.changes, [], what);
}

test('what must not fold: addend of the wrong shape, 3-D or unknown-rank A, non-constant weight or addend, output read twice', () => {
  // [C] against N×C×H×W runs along the width (W = C = 4 here): not a per-channel bias.
  assertUnchanged(convModel(60, {}, (b, y, random) => {
    b.addNode('Add', [y, b.addInitializer('c', randomTensor(random, [4]))], {}, { outputs: ['out'] });
    b.addOutput('out');
  }), 'Add of [C] to a 4-D output');
  assertUnchanged(convModel(61, {}, (b, y, random) => {
    b.addNode('Add', [y, b.addInitializer('c', randomTensor(random, [4, 4, 4]))], {}, { outputs: ['out'] });
    b.addOutput('out');
  }), 'Add of a full [C, H, W] tensor');
  assertUnchanged(convModel(62, {}, (b, y, random) => {
    b.addNode('Add', [y, b.addInitializer('c', randomTensor(random, [1, 1, 4, 1, 1]))], {}, { outputs: ['out'] });
    b.addOutput('out');
  }), 'Add of a rank-5 constant (it would broadcast the output up)');
  assertUnchanged(convModel(63, {}, (b, y) => {
    b.addInput('c', 'float32', [4, 1, 1]);
    b.addNode('Add', [y, 'c'], {}, { outputs: ['out'] });
    b.addOutput('out');
  }), 'Add of a graph input');
  assertUnchanged(convModel(64, {}, (b, y, random) => {
    b.addNode('Add', [y, b.addInitializer('c', randomTensor(random, [4, 1, 1]))], {}, { outputs: ['out'] });
    b.addNode('Relu', [y], {}, { outputs: ['r'] });
    b.addOutput('out');
    b.addOutput('r');
  }), 'Conv output read twice');
  assertUnchanged(matMulModel(65, [2, 4, 3], [5]), 'MatMul with a 3-D A');
  assertUnchanged(matMulModel(66, undefined, [5]), 'MatMul with an A of unknown rank');
  assertUnchanged(matMulModel(67, [4, 3], [5], false), 'MatMul with a weight fed at run time');
  assertUnchanged(matMulModel(68, [4, 3], [4, 5]), 'MatMul + Add of a full [M, N] tensor');
});
