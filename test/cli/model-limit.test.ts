import { test } from 'node:test';
import assert from 'node:assert/strict';
import { quantkitBatch } from './batch.ts';

test('--model-limit applies a resource limit to the loaded model (before or after the command); a bad one exits 2', () => {
  const [nodes, after, fine, unknown, malformed] = quantkitBatch([
    ['--model-limit', 'maxNodes=3', 'inspect', 'models/mnist-8.onnx'],
    ['inspect', 'models/mnist-8.onnx', '--model-limit', 'maxTensorElements=1000'],
    ['inspect', 'models/mnist-8.onnx', '--model-limit', 'maxNodes=100', '--json'],
    ['--model-limit', 'maxGigabytes=1', 'inspect', 'models/mnist-8.onnx'],
    ['--model-limit', 'maxNodes', 'inspect', 'models/mnist-8.onnx'],
  ]);
  // mnist-8 has 12 nodes, and a 16×4×4×10 = 2,560-element MatMul weight.
  assert.equal(nodes.status, 2, nodes.stderr);
  assert.match(nodes.stderr, /^quantkit: E_LIMIT: .*exceeds the limit maxNodes = 3/m);
  assert.equal(after.status, 2, after.stderr);
  assert.match(after.stderr, /E_LIMIT: .*shape \[16, 4, 4, 10\] has more than 1000 elements/);
  assert.equal(fine.status, 0, fine.stderr);
  for (const r of [unknown, malformed]) {
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /--model-limit takes name=value with a name among maxTensorElements, /);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});
