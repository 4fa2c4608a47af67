import { test } from 'node:test';
import assert from 'node:assert/strict';
import { float32 } from '../../../src/ir/tensor.ts';
import { checkUpgrade } from '../helpers/upgrade-check.ts';
import { DT, node, value } from '../helpers/proto-builder.ts';

const x = float32([2, 3, 4], Array.from({ length: 24 }, (_, i) => Math.cos(i * 0.7) * 3));

test('Softmax/LogSoftmax/Hardmax < 13 on the last axis keep one node with the axis explicit', async () => {
  for (const op of ['Softmax', 'LogSoftmax', 'Hardmax']) {
    const { model } = await checkUpgrade({
      old: { opset: 11, nodes: [node(op, ['x'], ['y'], { axis: { i: 2 } })], inputs: [value('x', DT.FLOAT, [2, 3, 4])], outputs: [value('y', DT.FLOAT)] },
      feeds: { x },
    });
    assert.deepEqual(model.graph.nodes.map((n) => n.opType), [op]);
  }
});

test('Softmax < 13 over axis 1 of a rank-3 input (coerce to 2-D) becomes Flatten → Softmax → Reshape', async () => {
  for (const op of ['Softmax', 'LogSoftmax', 'Hardmax']) {
    for (const axis of [0, 1]) {
      const { model } = await checkUpgrade({
        old: { opset: 9, nodes: [node(op, ['x'], ['y'], axis === 1 ? {} : { axis: { i: axis } })], inputs: [value('x', DT.FLOAT, [2, 3, 4])], outputs: [value('y', DT.FLOAT)] },
        feeds: { x },
      });
      assert.deepEqual(model.graph.nodes.map((n) => n.opType).sort(), ['Flatten', 'Reshape', 'Shape', op].sort());
    }
  }
});

test('Softmax < 13 with an input of unknown rank is rewritten too', async () => {
  const { model } = await checkUpgrade({
    old: { opset: 12, nodes: [node('Relu', ['x'], ['r']), node('Softmax', ['r'], ['y'])], inputs: [value('x', DT.FLOAT)], outputs: [value('y', DT.FLOAT)] },
    feeds: { x },
  });
  assert.equal(model.graph.nodes.length, 5);
});
