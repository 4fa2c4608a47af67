import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphBuilder, type AttributeInput } from '../../../src/ir/builder.ts';
import type { Model } from '../../../src/ir/graph.ts';
import { float32 } from '../../../src/ir/tensor.ts';
import { foldBatchNorms } from '../../../src/ptq/passes/fold-batchnorm.ts';
import { assertSameFloat, assertSameOrt, opTypes, randomTensor, rng, snapshot, withGraph, type Random } from './helpers.ts';

/** γ, β, μ, σ² initializers for `channels` channels (σ² > 0, γ away from 0). */
function bnParams(b: GraphBuilder, random: Random, channels: number): string[] {
  return [
    b.addInitializer('gamma', randomTensor(random, [channels], 0.5, 1.5)),
    b.addInitializer('beta', randomTensor(random, [channels])),
    b.addInitializer('mean', randomTensor(random, [channels], -0.5, 0.5)),
    b.addInitializer('var', randomTensor(random, [channels], 0.1, 1.1)),
  ];
}

interface ConvCase {
  readonly transpose?: boolean;
  readonly channels: number;
  readonly maps: number;
  readonly group: number;
  readonly bias: boolean;
}

/** x [2, C, 5, 5] → Conv or ConvTranspose "layer" → BatchNormalization "bn" → out. */
function convBn(c: ConvCase, seed: number): Model {
  const random = rng(seed);
  const b = new GraphBuilder('conv_bn');
  b.addInput('x', 'float32', [2, c.channels, 5, 5]);
  const wShape = c.transpose ? [c.channels, c.maps / c.group, 3, 3] : [c.maps, c.channels / c.group, 3, 3];
  const inputs = ['x', b.addInitializer('w', randomTensor(random, wShape))];
  if (c.bias) inputs.push(b.addInitializer('b', randomTensor(random, [c.maps])));
  const attributes: Record<string, AttributeInput> = c.transpose ? { group: c.group, strides: [2, 2], pads: [1, 1, 1, 1], output_padding: [1, 1] } : { group: c.group, pads: [1, 1, 1, 1] };
  const [y] = b.addNode(c.transpose ? 'ConvTranspose' : 'Conv', inputs, attributes, { name: 'layer' });
  b.addNode('BatchNormalization', [y, ...bnParams(b, random, c.maps)], { epsilon: 1e-3 }, { name: 'bn', outputs: ['out'] });
  b.addOutput('out');
  return b.buildModel();
}

/** a [3, 6] → Gemm "layer" (B [6, 4] or, with transB, [4, 6]) → bn → out. */
function gemmBn(options: { transB: boolean; withC: boolean }, seed: number): Model {
  const random = rng(seed);
  const b = new GraphBuilder('gemm_bn');
  b.addInput('a', 'float32', [3, 6]);
  const inputs = ['a', b.addInitializer('w', randomTensor(random, options.transB ? [4, 6] : [6, 4]))];
  if (options.withC) inputs.push(b.addInitializer('c', randomTensor(random, [4])));
  const [y] = b.addNode('Gemm', inputs, { transB: options.transB ? 1 : 0, alpha: 1.5, beta: 0.5 }, { name: 'layer' });
  b.addNode('BatchNormalization', [y, ...bnParams(b, random, 4)], {}, { name: 'bn', outputs: ['out'] });
  b.addOutput('out');
  return b.buildModel();
}

function assertFolded(model: Model, opType: string, seed: number): Model {
  const before = snapshot(model.graph);
  const { graph, changes } = foldBatchNorms(model.graph);
  assert.deepEqual(model.graph, before, 'the input graph is not modified');
  assert.deepEqual(opTypes(graph), [opType]);
  const [layer] = graph.nodes;
  assert.equal(layer.name, 'layer');
  assert.equal(layer.inputs.length, 3);
  assert.deepEqual(layer.outputs, ['out']);
  assert.deepEqual(changes.map((c) => [c.pass, c.nodes]), [['fold-batchnorm', ['bn', 'layer']]]);
  for (const name of ['gamma', 'beta', 'mean', 'var', 'w', 'b', 'c']) assert.ok(!graph.initializers.has(name), `${name} is no longer read and is dropped`);
  const folded = withGraph(model, graph);
  assertSameFloat(model, folded, seed);
  return folded;
}

test('a 1×1 Conv: W′ = W·γ/√(σ²+ε) and b′ = (b − μ)·γ/√(σ²+ε) + β, worked by hand', () => {
  const b = new GraphBuilder('tiny');
  b.addInput('x', 'float32', [1, 1, 1, 1]);
  // f = 3/√(3 + 1) = 1.5: W′ = 2·1.5 = 3, b′ = (0.5 − 1)·1.5 + 0.25 = −0.5.
  const [y] = b.addNode('Conv', ['x', b.addInitializer('w', float32([1, 1, 1, 1], [2])), b.addInitializer('b', float32([1], [0.5]))], {}, { name: 'conv' });
  const params = [['g', 3], ['be', 0.25], ['m', 1], ['v', 3]].map(([name, v]) => b.addInitializer(name as string, float32([1], [v as number])));
  b.addNode('BatchNormalization', [y, ...params], { epsilon: 1 }, { name: 'bn', outputs: ['out'] });
  b.addOutput('out');
  const { graph } = foldBatchNorms(b.build());
  const [conv] = graph.nodes;
  assert.deepEqual(conv.inputs, ['x', 'conv_weight', 'conv_bias']);
  assert.deepEqual(Array.from(graph.initializers.get('conv_weight')!.data), [3]);
  assert.deepEqual(Array.from(graph.initializers.get('conv_bias')!.data), [-0.5]);
  assert.deepEqual(graph.initializers.get('conv_bias')!.shape, [1]);
});

test('Conv + BatchNormalization folds with and without bias, for group 1, 2 and depthwise', () => {
  assertFolded(convBn({ channels: 4, maps: 6, group: 1, bias: true }, 1), 'Conv', 11);
  assertFolded(convBn({ channels: 4, maps: 6, group: 2, bias: false }, 2), 'Conv', 12);
  assertFolded(convBn({ channels: 4, maps: 8, group: 4, bias: true }, 3), 'Conv', 13);
});

test('ConvTranspose + BatchNormalization scales axis 1 of W, per group', () => {
  assertFolded(convBn({ transpose: true, channels: 4, maps: 6, group: 1, bias: false }, 4), 'ConvTranspose', 14);
  assertFolded(convBn({ transpose: true, channels: 4, maps: 6, group: 2, bias: true }, 5), 'ConvTranspose', 15);
  assertFolded(convBn({ transpose: true, channels: 3, maps: 6, group: 3, bias: false }, 6), 'ConvTranspose', 16);
});

test('Gemm + BatchNormalization respects transB, alpha and beta; the new C has one value per output', () => {
  for (const [i, options] of [{ transB: true, withC: true }, { transB: false, withC: true }, { transB: true, withC: false }].entries()) {
    const folded = assertFolded(gemmBn(options, 20 + i), 'Gemm', 30 + i);
    const [gemm] = folded.graph.nodes;
    assert.equal(gemm.attributes.beta, undefined, 'β is folded into C');
    assert.deepEqual(gemm.attributes.alpha, { type: 'float', value: 1.5 });
    assert.deepEqual(folded.graph.initializers.get(gemm.inputs[2])!.shape, [4]);
  }
});

test('MatMul with a constant weight and a 2-D input + BatchNormalization becomes Gemm', () => {
  const random = rng(7);
  const b = new GraphBuilder('matmul_bn');
  b.addInput('a', 'float32', [5, 3]);
  const [y] = b.addNode('MatMul', ['a', b.addInitializer('w', randomTensor(random, [3, 4]))], {}, { name: 'layer' });
  b.addNode('BatchNormalization', [y, ...bnParams(b, random, 4)], {}, { name: 'bn', outputs: ['out'] });
  b.addOutput('out');
  const folded = assertFolded(b.buildModel(), 'Gemm', 17);
  assert.deepEqual(folded.graph.nodes[0].attributes, {});
});

test('onnxruntime agrees: original vs folded, for grouped and depthwise Conv, ConvTranspose and Gemm with transB', async () => {
  const cases: Model[] = [
    convBn({ channels: 4, maps: 6, group: 2, bias: true }, 40),
    convBn({ channels: 4, maps: 4, group: 4, bias: false }, 41),
    convBn({ transpose: true, channels: 4, maps: 6, group: 2, bias: true }, 42),
    gemmBn({ transB: true, withC: true }, 43),
  ];
  for (const [i, model] of cases.entries()) {
    const { graph, changes } = foldBatchNorms(model.graph);
    assert.equal(changes.length, 1);
    await assertSameOrt(model, withGraph(model, graph), 50 + i);
  }
});

test('a chain of two Conv + BatchNormalization pairs folds both; new names stay unique', () => {
  const random = rng(8);
  const b = new GraphBuilder('chain');
  b.addInput('x', 'float32', [1, 2, 4, 4]);
  b.addInitializer('c1_weight', randomTensor(random, [1])); // takes the name the first fold would pick
  b.addNode('Identity', ['c1_weight'], {}, { outputs: ['kept'] });
  const [y1] = b.addNode('Conv', ['x', b.addInitializer('w1', randomTensor(random, [3, 2, 1, 1]))], {}, { name: 'c1' });
  const p1 = ['g1', 'b1', 'm1', 'v1'].map((n, i) => b.addInitializer(n, randomTensor(random, [3], i === 3 ? 0.2 : 0.5, 1.5)));
  const [z1] = b.addNode('BatchNormalization', [y1, ...p1], {}, { name: 'bn1' });
  const [y2] = b.addNode('Conv', [z1, b.addInitializer('w2', randomTensor(random, [2, 3, 1, 1]))], {}, { name: 'c2' });
  const p2 = ['g2', 'b2', 'm2', 'v2'].map((n, i) => b.addInitializer(n, randomTensor(random, [2], i === 3 ? 0.2 : 0.5, 1.5)));
  b.addNode('BatchNormalization', [y2, ...p2], {}, { name: 'bn2', outputs: ['out'] });
  b.addOutput('out');
  b.addOutput('kept');
  const model = b.buildModel();
  const { graph, changes } = foldBatchNorms(model.graph);
  assert.deepEqual(opTypes(graph), ['Identity', 'Conv', 'Conv']);
  assert.deepEqual(changes.map((c) => c.nodes), [['bn1', 'c1'], ['bn2', 'c2']]);
  assert.deepEqual(graph.nodes[1].inputs, ['x', 'c1_weight_1', 'c1_bias']);
  assert.equal(graph.nodes[2].inputs[0], graph.nodes[1].outputs[0]);
  assert.deepEqual(graph.initializers.get('c1_weight')!.shape, [1]);
  assertSameFloat(model, withGraph(model, graph), 18);
});

test('a weight shared with another layer is not changed in place: the folded layer gets its own', () => {
  const random = rng(10);
  const b = new GraphBuilder('shared');
  b.addInput('x', 'float32', [1, 2, 3, 3]);
  const w = b.addInitializer('w', randomTensor(random, [2, 2, 1, 1]));
  const [y] = b.addNode('Conv', ['x', w], {}, { name: 'folded' });
  b.addNode('BatchNormalization', [y, ...bnParams(b, random, 2)], {}, { outputs: ['out'] });
  b.addNode('Conv', ['x', w], {}, { name: 'other', outputs: ['other_out'] });
  b.addOutput('out');
  b.addOutput('other_out');
  const model = b.buildModel();
  const { graph } = foldBatchNorms(model.graph);
  assert.deepEqual(graph.nodes.map((n) => [n.name, n.inputs]), [['folded', ['x', 'folded_weight', 'folded_bias']], ['other', ['x', 'w']]]);
  assert.equal(graph.initializers.get('w'), model.graph.initializers.get('w'));
  assertSameFloat(model, withGraph(model, graph), 19);
});

/** Builds conv → bn → out with a hook to change the graph; expects no fold. */
function assertNotFolded(what: string, build: (b: GraphBuilder, random: Random) => void): void {
  const b = new GraphBuilder(what);
  build(b, rng(9));
  const graph = b.build();
  const result = foldBatchNorms(graph);
  assert.equal(result.graph, graph, `${what}: the graph is returned unchanged`);
  assert.deepEqual(result.changes, [], what);
}

test('what must not fold: BN input read twice, non-constant weight or statistics, training mode, 3-D MatMul, no layer before', () => {
  assertNotFolded('Conv output also read by Relu', (b, random) => {
    b.addInput('x', 'float32', [1, 2, 3, 3]);
    const [y] = b.addNode('Conv', ['x', b.addInitializer('w', randomTensor(random, [2, 2, 1, 1]))]);
    b.addNode('BatchNormalization', [y, ...bnParams(b, random, 2)], {}, { outputs: ['out'] });
    b.addNode('Relu', [y], {}, { outputs: ['r'] });
    b.addOutput('out');
    b.addOutput('r');
  });
  assertNotFolded('Conv output is also a graph output', (b, random) => {
    b.addInput('x', 'float32', [1, 2, 3, 3]);
    const [y] = b.addNode('Conv', ['x', b.addInitializer('w', randomTensor(random, [2, 2, 1, 1]))], {}, { outputs: ['y'] });
    b.addNode('BatchNormalization', [y, ...bnParams(b, random, 2)], {}, { outputs: ['out'] });
    b.addOutput('out');
    b.addOutput('y');
  });
  assertNotFolded('weight is a graph input', (b, random) => {
    b.addInput('x', 'float32', [1, 2, 3, 3]);
    b.addInput('w', 'float32', [2, 2, 1, 1]);
    const [y] = b.addNode('Conv', ['x', 'w']);
    b.addNode('BatchNormalization', [y, ...bnParams(b, random, 2)], {}, { outputs: ['out'] });
    b.addOutput('out');
  });
  assertNotFolded('mean is a graph input', (b, random) => {
    b.addInput('x', 'float32', [1, 2, 3, 3]);
    b.addInput('mu', 'float32', [2]);
    const [y] = b.addNode('Conv', ['x', b.addInitializer('w', randomTensor(random, [2, 2, 1, 1]))]);
    const [g, beta, , v] = bnParams(b, random, 2);
    b.addNode('BatchNormalization', [y, g, beta, 'mu', v], {}, { outputs: ['out'] });
    b.addOutput('out');
  });
  assertNotFolded('training mode', (b, random) => {
    b.addInput('x', 'float32', [1, 2, 3, 3]);
    const [y] = b.addNode('Conv', ['x', b.addInitializer('w', randomTensor(random, [2, 2, 1, 1]))]);
    b.addNode('BatchNormalization', [y, ...bnParams(b, random, 2)], { training_mode: 1 }, { outputs: ['out', 'rm', 'rv'] });
    b.addOutput('out');
  });
  assertNotFolded('MatMul with a 3-D input', (b, random) => {
    b.addInput('a', 'float32', [2, 4, 3]);
    const [y] = b.addNode('MatMul', ['a', b.addInitializer('w', randomTensor(random, [3, 4]))]);
    b.addNode('BatchNormalization', [y, ...bnParams(b, random, 4)], {}, { outputs: ['out'] });
    b.addOutput('out');
  });
  assertNotFolded('Conv with a bias computed at run time', (b, random) => {
    b.addInput('x', 'float32', [1, 2, 3, 3]);
    b.addInput('bias', 'float32', [2]);
    const [y] = b.addNode('Conv', ['x', b.addInitializer('w', randomTensor(random, [2, 2, 1, 1])), 'bias']);
    b.addNode('BatchNormalization', [y, ...bnParams(b, random, 2)], {}, { outputs: ['out'] });
    b.addOutput('out');
  });
  assertNotFolded('standalone BatchNormalization after Relu', (b, random) => {
    b.addInput('x', 'float32', [1, 2, 3, 3]);
    const [r] = b.addNode('Relu', ['x']);
    b.addNode('BatchNormalization', [r, ...bnParams(b, random, 2)], {}, { outputs: ['out'] });
    b.addOutput('out');
  });
});
