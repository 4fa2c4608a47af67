import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UnsupportedOpError } from '../../../src/errors.ts';
import { float32 } from '../../../src/ir/tensor.ts';
import { importModel } from '../../../src/onnx/import.ts';
import { checkUpgrade } from '../helpers/upgrade-check.ts';
import { DT, floatTensor, int64Tensor, modelBytes, node, value } from '../helpers/proto-builder.ts';

// onnxruntime has no kernels for the opset-6 binary ops: the references are the same computation
// written with numpy broadcasting (B given trailing 1-dims by hand).
const a = float32([2, 3, 4], Array.from({ length: 24 }, (_, i) => i));

test('legacy broadcast with axis: a constant B is reshaped', async () => {
  const io = { inputs: [value('a', DT.FLOAT, [2, 3, 4])], outputs: [value('y', DT.FLOAT)] };
  const { model } = await checkUpgrade({
    old: { opset: 6, nodes: [node('Add', ['a', 'b'], ['y'], { broadcast: { i: 1 }, axis: { i: 1 } })], ...io, initializers: [floatTensor('b', [3], [10, 20, 30])] },
    reference: { opset: 7, nodes: [node('Add', ['a', 'b'], ['y'])], ...io, initializers: [floatTensor('b', [3, 1], [10, 20, 30])] },
    feeds: { a },
  });
  assert.deepEqual(model.graph.nodes[0].attributes, {});
});

test('legacy broadcast with axis: a computed B goes through Unsqueeze; suffix broadcast just drops the attributes', async () => {
  const io = { inputs: [value('a', DT.FLOAT, [2, 3, 4]), value('b', DT.FLOAT, [2, 3])], outputs: [value('y', DT.FLOAT), value('z', DT.FLOAT)] };
  const feeds = { a, b: float32([2, 3], [1, 2, 3, 4, 5, 6]) };
  const { model } = await checkUpgrade({
    old: {
      opset: 6,
      nodes: [node('Mul', ['a', 'b'], ['y'], { broadcast: { i: 1 }, axis: { i: 0 } }), node('Sub', ['a', 'c'], ['z'], { broadcast: { i: 1 } })],
      ...io,
      initializers: [floatTensor('c', [4], [1, 2, 3, 4])],
    },
    reference: {
      opset: 13,
      nodes: [node('Unsqueeze', ['b', 'axes'], ['b3']), node('Mul', ['a', 'b3'], ['y']), node('Sub', ['a', 'c'], ['z'])],
      ...io,
      initializers: [floatTensor('c', [4], [1, 2, 3, 4]), int64Tensor('axes', [1], [2])],
    },
    feeds,
  });
  assert.deepEqual(model.graph.nodes.map((n) => n.opType), ['Unsqueeze', 'Mul', 'Sub']);
});

test('legacy broadcast with unknown ranks is a clear error', () => {
  const bytes = modelBytes({ opset: 6, nodes: [node('Add', ['a', 'b'], ['y'], { broadcast: { i: 1 }, axis: { i: 1 } }, 'add')], inputs: [value('a', DT.FLOAT), value('b', DT.FLOAT)], outputs: [value('y', DT.FLOAT)] });
  assert.throws(() => importModel(bytes), (e: unknown) => e instanceof UnsupportedOpError && /node "add".*axis = 1.*ranks/.test(e.message));
});
