import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor } from '../../../../src/ir/tensor.ts';
import { forward } from '../../../../src/qat/autograd/tape.ts';
import { checkGradients, oneNodeModel, random64, registry } from '../grad-check.ts';

const labels = tensor('int64', [4], Float64Array.of(2, 0, 4, 2));

test('SoftmaxCrossEntropyLoss: ∂scores for mean, sum and none, and with ignore_index', () => {
  for (const reduction of ['mean', 'sum', 'none']) {
    checkGradients('SoftmaxCrossEntropyLoss', [['scores', random64([4, 5], 90, -3, 3)], ['labels', labels]], { attributes: { reduction }, wrt: ['scores'] });
  }
  checkGradients('SoftmaxCrossEntropyLoss', [['scores', random64([4, 5], 91, -3, 3)], ['labels', labels]], { attributes: { ignore_index: 0 }, wrt: ['scores'] });
});

test('SoftmaxCrossEntropyLoss: the loss is the mean of −log softmax at the label (closed form)', () => {
  const scores = random64([4, 5], 92, -3, 3);
  const { model, outputs } = oneNodeModel('SoftmaxCrossEntropyLoss', [['scores', scores], ['labels', labels]], {});
  const loss = forward(model, registry, {}, { training: true }).values.get(outputs[0])!.data[0];
  let expected = 0;
  for (let i = 0; i < 4; i++) {
    const row = Array.from(scores.data.subarray(i * 5, i * 5 + 5));
    const logSum = Math.log(row.reduce((a, v) => a + Math.exp(v), 0));
    expected += (logSum - row[labels.data[i]]) / 4;
  }
  assert.ok(Math.abs(loss - expected) < 1e-12, `${loss} vs ${expected}`);
});
