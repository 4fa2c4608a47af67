import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ShapeError } from '../../src/errors.ts';
import { GraphBuilder } from '../../src/ir/builder.ts';
import type { Dim, Graph } from '../../src/ir/graph.ts';
import { inferNode, inferShapes } from '../../src/ir/shape-inference.ts';
import { float32, tensor } from '../../src/ir/tensor.ts';
import { importModel } from '../../src/onnx/import.ts';
import { decodeTensorProtoBytes } from '../../src/onnx/tensor.ts';

interface IndexEntry {
  test: string;
  outputs: { type: string; shape: number[] | null }[];
}

test('ONNX backend tests: inferred output types and shapes match the expected outputs', () => {
  const root = new URL('../fixtures/onnx-node/', import.meta.url);
  const index = JSON.parse(readFileSync(new URL('INDEX.json', root), 'utf8')) as IndexEntry[];
  // Ops without a shape rule (LSTM) and If (subgraph outputs) are left unknown by design.
  const skip = /^test_(lstm|if)/;
  let checked = 0;
  for (const entry of index) {
    if (skip.test(entry.test) || entry.outputs.some((o) => o.shape === null)) continue;
    let graph: Graph;
    try {
      graph = importModel(readFileSync(new URL(`${entry.test}/model.onnx`, root))).graph;
    } catch {
      continue; // string / float4 / sequence models (see test/onnx/export.test.ts)
    }
    // The data set's inputs become constants, so value-dependent rules (Reshape, Slice, Pad, Resize...) apply.
    const initializers = new Map(graph.initializers);
    graph.inputs.forEach((input, i) => {
      initializers.set(input.name, decodeTensorProtoBytes(readFileSync(new URL(`${entry.test}/test_data_set_0/input_${i}.pb`, root))).tensor);
    });
    const bare: Graph = { ...graph, inputs: [], initializers, outputs: graph.outputs.map((o) => ({ name: o.name })), valueInfo: new Map() };
    const inferred = inferShapes(bare);
    entry.outputs.forEach((expected, i) => {
      assert.deepEqual([inferred.outputs[i].dtype, inferred.outputs[i].shape], [expected.type, expected.shape], `${entry.test} output ${i}`);
      checked++;
    });
  }
  assert.ok(checked > 380, `checked ${checked} outputs`);
});

function infer(build: (b: GraphBuilder) => string, inputs: [string, Dim[]][]): readonly Dim[] | undefined {
  const b = new GraphBuilder('g');
  for (const [name, shape] of inputs) b.addInput(name, 'float32', shape);
  const out = build(b);
  b.addOutput(out);
  return inferShapes(b.build()).outputs[0].shape;
}

test('symbolic dims propagate; what cannot be known is null', () => {
  assert.deepEqual(infer((b) => b.addNode('Relu', ['x'])[0], [['x', ['N', 3]]]), ['N', 3]);
  assert.deepEqual(infer((b) => b.addNode('Add', ['x', 'y'])[0], [['x', ['N', 1, 4]], ['y', [5, 1]]]), ['N', 5, 4]);
  assert.deepEqual(infer((b) => b.addNode('Add', ['x', 'y'])[0], [['x', ['N']], ['y', ['M']]]), [null]);
  assert.deepEqual(infer((b) => b.addNode('MatMul', ['x', 'y'])[0], [['x', ['B', 'S', 8]], ['y', [8, 16]]]), ['B', 'S', 16]);
  assert.deepEqual(infer((b) => b.addNode('Flatten', ['x'])[0], [['x', ['N', 2, 3]]]), ['N', 6]);
  assert.deepEqual(infer((b) => b.addNode('Flatten', ['x'], { axis: 2 })[0], [['x', ['N', 2, 3]]]), [null, 3]);
  const conv = (b: GraphBuilder) => {
    const w = b.addInitializer('w', tensor('float32', [16, 3, 3, 3]));
    return b.addNode('Conv', ['x', w], { pads: [1, 1, 1, 1], strides: [2, 2] })[0];
  };
  // ⌊(d + 2 − 3) / 2⌋ + 1
  assert.deepEqual(infer(conv, [['x', ['N', 3, 32, 31]]]), ['N', 16, 16, 16]);
  const shapeChain = (b: GraphBuilder) => {
    const [s] = b.addNode('Shape', ['x']);
    const [n] = b.addNode('Gather', [s, b.addInitializer('i0', tensor('int64', [1], Float64Array.of(0)))]);
    const [target] = b.addNode('Concat', [n, b.addInitializer('rest', tensor('int64', [1], Float64Array.of(-1)))], { axis: 0 });
    return b.addNode('Reshape', ['x', target])[0];
  };
  assert.deepEqual(infer(shapeChain, [['x', [2, 3, 4]]]), [2, 12], 'Shape → Gather → Concat values feed Reshape');
  assert.deepEqual(infer((b) => b.addNode('SomeCustomOp', ['x'], {}, { domain: 'custom' })[0], [['x', [1]]]), undefined);
});

test('provably inconsistent shapes are a ShapeError naming the node; unknowns never throw', () => {
  const b = new GraphBuilder('g');
  b.addInput('x', 'float32', [2, 3]);
  b.addInput('y', 'float32', [4, 5]);
  const [z] = b.addNode('MatMul', ['x', 'y'], {}, { name: 'mm' });
  b.addOutput(z);
  assert.throws(() => inferShapes(b.build()), (e: unknown) => e instanceof ShapeError && /node "mm".*inner dimensions/.test(e.message));
  const lookup = { info: () => undefined, constant: () => undefined };
  for (const op of ['Conv', 'Reshape', 'Gemm', 'Resize', 'Slice', 'Concat', 'Pad', 'QuantizeLinear']) {
    assert.doesNotThrow(() => inferNode({ name: op, opType: op, domain: '', inputs: ['a', 'b', 'c'], outputs: ['o'], attributes: {} }, lookup), op);
  }
  const reshape = { name: 'r', opType: 'Reshape', domain: '', inputs: ['a', 's'], outputs: ['o'], attributes: {} };
  const constants = { info: (n: string) => (n === 'a' ? { name: 'a', shape: [2, 3] } : undefined), constant: (n: string) => (n === 's' ? tensor('int64', [1], Float64Array.of(5)) : undefined) };
  assert.throws(() => inferNode(reshape, constants), ShapeError);
  assert.deepEqual(inferNode({ ...reshape, inputs: ['a', 's'] }, { ...constants, constant: () => float32([1], [6]) })[0]?.shape, [6]);
});

test('a shape input declaring an absurd length leaves the rank unknown instead of allocating it (found by fuzzing)', () => {
  const node = (opType: string, inputs: string[]) => ({ name: 'n', opType, domain: '', inputs, outputs: ['y'], attributes: {} });
  const lookup = (length: number) => ({ info: (name: string) => (name === 's' ? { name, dtype: 'int64' as const, shape: [length] } : { name, dtype: 'float32' as const, shape: [6] }), constant: () => undefined });
  for (const [op, inputs] of [['Reshape', ['x', 's']], ['ConstantOfShape', ['s']]] as const) {
    assert.deepEqual(inferNode(node(op, [...inputs]), lookup(3))[0]?.shape, [null, null, null], op);
    // 2^31 would have been `new Array(2 ** 31).fill(null)`: the process ran out of memory.
    for (const length of [2 ** 31, -1, 1.5]) assert.equal(inferNode(node(op, [...inputs]), lookup(length))[0]?.shape, undefined, `${op} ${length}`);
  }
});
