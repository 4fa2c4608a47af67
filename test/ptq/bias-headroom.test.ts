// eq. (13a): a channel whose weights are tiny beside its bias (one training nearly switched off)
// must not saturate its int32 bias code — integer-only execution would wrap where the QDQ graph adds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arrayDataset } from '../../src/data/dataset.ts';
import { GraphBuilder } from '../../src/ir/builder.ts';
import { float32 } from '../../src/ir/tensor.ts';
import { seededRandom } from '../../src/numeric/rounding.ts';
import { quantizeModel } from '../../src/ptq/quantize-model.ts';
import { MAX_BIAS_CODE } from '../../src/quant/params.ts';
import { createExecutor } from '../../src/runtime/executor.ts';
import { createIntegerExecutor } from '../../src/runtime/integer/executor.ts';
import { simulatedKernels } from '../../src/runtime/kernels/simulated/register.ts';

test('a nearly dead channel keeps its int32 bias within 2^30, and integer-only execution equals simulated', async () => {
  const random = seededRandom(3);
  const values = (n: number, scale: number) => Array.from({ length: n }, () => (random() * 2 - 1) * scale);
  // Conv 2→3 channels, 3×3: channel 1's weights are ~1e-7, its bias −0.8; then Relu.
  const weights = values(54, 0.5);
  for (let i = 18; i < 36; i++) weights[i] *= 2e-7;
  const b = new GraphBuilder('dead');
  const x = b.addInput('x', 'float32', [1, 2, 6, 6]);
  const w = b.addInitializer('w', float32([3, 2, 3, 3], weights));
  const bias = b.addInitializer('b', float32([3], [0.1, -0.8, 0.05]));
  b.addNode('Conv', [x, w, bias], { pads: [1, 1, 1, 1] }, { name: 'conv', outputs: ['c'] });
  b.addNode('Relu', ['c'], {}, { name: 'relu', outputs: ['y'] });
  b.addOutput('y', 'float32', [1, 3, 6, 6]);
  const model = b.buildModel({ opset: 13 });
  const data = arrayDataset(Float32Array.from(values(16 * 72, 1)), [2, 6, 6]);

  const { quantized } = await quantizeModel(model, data, { method: 'max', granularity: 'channel' });
  const codes = quantized.graph.initializers.get('b_quantized')!.data as Int32Array;
  assert.ok(codes.every((q) => Math.abs(q) <= MAX_BIAS_CODE), `bias codes ${Array.from(codes)}`);
  assert.ok(Math.abs(codes[1]) > 2 ** 29, `channel 1's bias code is at the bound: ${codes[1]}`);

  const simulated = createExecutor(quantized, simulatedKernels());
  const integer = createIntegerExecutor(quantized);
  assert.deepEqual(integer.lowering.floatNodes, []);
  for await (const batch of data.batches(1)) {
    const a = (await simulated.run({ x: batch.input })).y.data;
    const c = (await integer.run({ x: batch.input })).y.data;
    assert.deepEqual(Array.from(c), Array.from(a));
  }
});

test('a QDQ model from elsewhere with a saturated int32 bias: the layer stays in float, so integer-only equals simulated', async () => {
  const b = new GraphBuilder('saturated');
  const x = b.addInput('x', 'float32', [1, 1, 4, 4]);
  const w = b.addInitializer('w', float32([2, 1, 3, 3], [0.3, -0.2, 0.1, 0.4, -0.5, 0.2, 0.1, 0.1, -0.3, 0.2, 0.2, -0.1, 0.3, 0.1, -0.4, 0.5, -0.2, 0.1]));
  b.addNode('Conv', [x, w, b.addInitializer('b', float32([2], [0.1, -0.2]))], { pads: [1, 1, 1, 1] }, { name: 'conv', outputs: ['c'] });
  b.addNode('Relu', ['c'], {}, { name: 'relu', outputs: ['y'] });
  b.addOutput('y', 'float32', [1, 2, 4, 4]);
  const random = seededRandom(8);
  const data = arrayDataset(Float32Array.from({ length: 8 * 16 }, () => random() * 2 - 1), [1, 4, 4]);
  const { quantized } = await quantizeModel(b.buildModel({ opset: 13 }), data, { method: 'max', granularity: 'channel' });
  // What a plan without eq. (13a)'s headroom writes: channel 1's bias code saturated at −2^31.
  const codes = Int32Array.from(quantized.graph.initializers.get('b_quantized')!.data as Int32Array);
  codes[1] = -(2 ** 31);
  const initializers = new Map(quantized.graph.initializers).set('b_quantized', { ...quantized.graph.initializers.get('b_quantized')!, data: codes });
  const foreign = { ...quantized, graph: { ...quantized.graph, initializers } };
  const integer = createIntegerExecutor(foreign);
  assert.ok(integer.lowering.floatNodes.includes('conv'), String(integer.lowering.floatNodes));
  assert.match(integer.lowering.fallbacks.find((f) => f.node === 'conv')!.reason, /int32 bias \(\|code\| up to 2147483648\) leaves no room for the products/);
  const simulated = createExecutor(foreign, simulatedKernels());
  for await (const batch of data.batches(1)) {
    assert.deepEqual(Array.from((await integer.run({ x: batch.input })).y.data), Array.from((await simulated.run({ x: batch.input })).y.data));
  }
});
