import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { LimitError, ModelFormatError, QuantkitError } from '../../src/errors.ts';
import { inferShapes } from '../../src/ir/shape-inference.ts';
import { importModel } from '../../src/onnx/import.ts';
import { DT, floatTensor, modelBytes, node, value, type ModelSpec } from './helpers/proto-builder.ts';
import { floats, readFields, text } from './helpers/wire.ts';

const MNIST = readFileSync(new URL('../../models/mnist-8.onnx', import.meta.url));

test('mnist-8: inputs, outputs, 12 nodes, opset 8, initializers no longer listed as inputs', () => {
  const model = importModel(MNIST, { fileName: 'mnist-8.onnx' });
  assert.equal(model.irVersion, 3);
  assert.equal(model.opsets.get(''), 8);
  assert.deepEqual(model.graph.inputs, [{ name: 'Input3', dtype: 'float32', shape: [1, 1, 28, 28] }]);
  assert.deepEqual(model.graph.outputs, [{ name: 'Plus214_Output_0', dtype: 'float32', shape: [1, 10] }]);
  assert.equal(model.graph.nodes.length, 12);
  assert.deepEqual(
    [...new Set(model.graph.nodes.map((n) => n.opType))].sort(),
    ['Add', 'Conv', 'MatMul', 'MaxPool', 'Relu', 'Reshape'],
  );
});

test('mnist-8: initializer names, shapes and values match the bytes of the file', () => {
  const model = importModel(MNIST);
  // ModelProto.graph = 7; GraphProto.initializer = 5, input = 11; TensorProto dims 1, data_type 2, float_data 4, int64_data 7, name 8.
  const graph = readFields(readFields(MNIST).find((f) => f.field === 7)!.bytes!);
  const initializers = graph.filter((f) => f.field === 5).map((f) => readFields(f.bytes!));
  assert.equal(initializers.length, 8);
  assert.equal(graph.filter((f) => f.field === 11).length, 9, 'the file lists the 8 initializers as inputs too');
  assert.equal(model.graph.initializers.size, 8);
  for (const fields of initializers) {
    const name = text(fields.find((f) => f.field === 8)!.bytes);
    const dims = fields.filter((f) => f.field === 1).map((f) => f.varint);
    const t = model.graph.initializers.get(name);
    assert.ok(t, name);
    assert.deepEqual(t.shape, dims, name);
    const dataType = fields.find((f) => f.field === 2)!.varint;
    if (dataType === DT.FLOAT) {
      const expected = floats(fields.find((f) => f.field === 4)!.bytes!);
      assert.equal(t.dtype, 'float32');
      assert.deepEqual(Array.from(t.data.subarray(0, 5)), expected.slice(0, 5), name);
      assert.equal(t.data[t.data.length - 1], expected[expected.length - 1], name);
    } else {
      assert.equal(dataType, DT.INT64);
      assert.equal(t.dtype, 'int64');
    }
  }
  assert.deepEqual(Array.from(model.graph.initializers.get('Pooling160_Output_0_reshape0_shape')!.data), [1, 256]);
});

test('mnist-8: shape inference gives [1, 10] for the output', () => {
  const model = importModel(MNIST);
  const inferred = inferShapes({ ...model.graph, outputs: [{ name: 'Plus214_Output_0' }], valueInfo: new Map() });
  assert.deepEqual(inferred.outputs[0], { name: 'Plus214_Output_0', dtype: 'float32', shape: [1, 10] });
  assert.deepEqual(inferred.valueInfo.get('Pooling160_Output_0')?.shape, [1, 16, 4, 4]);
});

function spec(nodes: ModelSpec['nodes'], extra: Partial<ModelSpec> = {}): Uint8Array {
  return modelBytes({ opset: 17, nodes, inputs: [value('x', DT.FLOAT, [2, 3])], outputs: [value('y', DT.FLOAT)], ...extra });
}

test('Constant nodes in every attribute form become initializers', () => {
  const bytes = spec([
    node('Constant', [], ['a'], { value: { t: floatTensor('', [2], [1, 2]) } }),
    node('Constant', [], ['b'], { value_float: { f: 0.5 } }),
    node('Constant', [], ['c'], { value_floats: { floats: [1, 2, 3] } }),
    node('Constant', [], ['d'], { value_int: { i: 7 } }),
    node('Constant', [], ['e'], { value_ints: { ints: [1, -1] } }),
    node('Sum', ['x', 'a', 'b', 'c'], ['s']),
    node('Reshape', ['s', 'e'], ['r']),
    node('Add', ['r', 'd'], ['y']),
  ], { outputs: [value('y', DT.FLOAT)] });
  const { graph } = importModel(bytes);
  const summary = Object.fromEntries([...graph.initializers].map(([k, t]) => [k, [t.dtype, t.shape, Array.from(t.data)]]));
  assert.deepEqual(summary, {
    a: ['float32', [2], [1, 2]],
    b: ['float32', [], [0.5]],
    c: ['float32', [3], [1, 2, 3]],
    d: ['int64', [], [7]],
    e: ['int64', [2], [1, -1]],
  });
  assert.deepEqual(graph.nodes.map((n) => n.opType), ['Sum', 'Reshape', 'Add']);
  assert.throws(() => importModel(spec([node('Constant', [], ['y'], { value_string: { s: 'hi' } })])), (e: unknown) => e instanceof ModelFormatError && /string constants/.test(e.message));
});

test('symbolic and unknown dims; nodes are sorted topologically', () => {
  const bytes = modelBytes({
    opset: 13,
    nodes: [node('Relu', ['h'], ['y'], {}, 'second'), node('Neg', ['x'], ['h'], {}, 'first')],
    inputs: [{ name: 'x', type: { tensor_type: { elem_type: DT.FLOAT, shape: { dim: [{ dim_param: 'N' }, {}, { dim_value: 4 }] } } } }],
    outputs: [value('y', DT.FLOAT)],
  });
  const { graph } = importModel(bytes);
  assert.deepEqual(graph.inputs[0].shape, ['N', null, 4]);
  assert.deepEqual(graph.nodes.map((n) => n.name), ['first', 'second']);
  assert.deepEqual(inferShapes(graph).outputs[0].shape, ['N', null, 4]);
});

function rejects(bytes: Uint8Array, kind: new (...args: never[]) => Error, pattern: RegExp): void {
  assert.throws(() => importModel(bytes, { fileName: 'm.onnx' }), (e: unknown) => e instanceof kind && pattern.test((e as Error).message));
}

test('truncated and garbage bytes are ModelFormatErrors naming the file', () => {
  rejects(MNIST.subarray(0, 1000), ModelFormatError, /^m\.onnx/);
  rejects(MNIST.subarray(0, MNIST.length - 3), ModelFormatError, /^m\.onnx/);
  rejects(new TextEncoder().encode('this is not a model'), ModelFormatError, /^m\.onnx/);
  rejects(new Uint8Array(0), ModelFormatError, /m\.onnx.*opset/);
});

test('random bytes never escape as anything but a QuantkitError', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      try {
        importModel(bytes);
      } catch (error) {
        assert.ok(error instanceof QuantkitError, String(error));
      }
    }),
    { numRuns: 300 },
  );
  // Mutations of a real model: flipped bytes.
  fc.assert(
    fc.property(fc.integer({ min: 0, max: MNIST.length - 1 }), fc.integer({ min: 0, max: 255 }), (at, byte) => {
      const bytes = Uint8Array.from(MNIST);
      bytes[at] = byte;
      try {
        importModel(bytes);
      } catch (error) {
        assert.ok(error instanceof QuantkitError, String(error));
      }
    }),
    { numRuns: 100 },
  );
});

test('a cycle names a node on it', () => {
  rejects(spec([node('Relu', ['x'], ['a'], {}, 'entry'), node('Add', ['a', 'c'], ['b'], {}, 'loop1'), node('Neg', ['b'], ['c'], {}, 'loop2'), node('Relu', ['c'], ['y'])]), ModelFormatError, /cycle through node "loop[12]"/);
});

test('unknown data types name the file and the tensor', () => {
  rejects(spec([node('Relu', ['x'], ['y'])], { inputs: [value('x', 99, [2])] }), ModelFormatError, /m\.onnx.*"x".*99/);
  rejects(spec([node('Add', ['x', 'w'], ['y'])], { initializers: [{ name: 'w', dims: [1], data_type: 42, raw_data: new Uint8Array(4) }] }), ModelFormatError, /m\.onnx.*initializer "w".*42/);
  rejects(spec([node('Cast', ['x'], ['y'], { to: { i: 1 } }, 'c')], { valueInfo: [value('y', 14)] }), ModelFormatError, /"y".*COMPLEX64/);
});

test('dangling inputs, duplicate producers and missing outputs name node and value', () => {
  rejects(spec([node('Add', ['x', 'nowhere'], ['y'], {}, 'add')]), ModelFormatError, /node "add".*"nowhere"/);
  rejects(spec([node('Relu', ['x'], ['y'], {}, 'r1'), node('Neg', ['x'], ['y'], {}, 'r2')]), ModelFormatError, /"y".*more than once/);
  rejects(spec([node('Relu', ['x'], ['z'])]), ModelFormatError, /graph output "y"/);
  rejects(spec([node('Relu', ['x'], ['y'])], { initializers: [floatTensor('w', [1], [1]), floatTensor('w', [1], [2])] }), ModelFormatError, /"w".*twice/);
});

test('a huge dimension is refused before anything is allocated', () => {
  const big = { name: 'big', dims: [2 ** 22, 2 ** 22], data_type: DT.FLOAT };
  rejects(spec([node('Add', ['x', 'big'], ['y'])], { initializers: [big] }), LimitError, /initializer "big"/);
  const dim = { name: 'd', dims: [1000], data_type: DT.INT64, int64_data: [] };
  assert.throws(() => importModel(spec([node('Add', ['x', 'd'], ['y'])], { initializers: [dim] }), { limits: { maxTensorElements: 999 } }), LimitError);
});

test('limits on nodes and subgraph depth', () => {
  const chain = Array.from({ length: 5 }, (_, i) => node('Relu', [i === 0 ? 'x' : `v${i}`], [i === 4 ? 'y' : `v${i + 1}`]));
  assert.throws(() => importModel(spec(chain), { limits: { maxNodes: 4 } }), LimitError);
  assert.equal(importModel(spec(chain), { limits: { maxNodes: 5 } }).graph.nodes.length, 5);
  const branch = (depth: number): Uint8Array => {
    let body = { name: 'b', node: [node('Identity', ['x'], ['o'])], output: [value('o', DT.FLOAT)] };
    for (let d = 1; d < depth; d++) {
      body = { name: `b${d}`, node: [{ op_type: 'If', input: ['cond'], output: ['o'], attribute: [{ name: 'then_branch', type: 5, g: body }, { name: 'else_branch', type: 5, g: body }] }], output: [value('o', DT.FLOAT)] };
    }
    return modelBytes({ opset: 17, nodes: [{ op_type: 'If', input: ['cond'], output: ['y'], attribute: [{ name: 'then_branch', type: 5, g: body }, { name: 'else_branch', type: 5, g: body }] }], inputs: [value('cond', DT.BOOL, []), value('x', DT.FLOAT, [1])], outputs: [value('y', DT.FLOAT)] });
  };
  assert.equal(importModel(branch(3), { limits: { maxSubgraphDepth: 3 } }).graph.nodes.length, 1);
  assert.throws(() => importModel(branch(4), { limits: { maxSubgraphDepth: 3 } }), LimitError);
});
