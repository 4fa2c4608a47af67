import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arrayDataset } from '../../src/data/dataset.ts';
import { GraphBuilder } from '../../src/ir/builder.ts';
import type { Model } from '../../src/ir/graph.ts';
import { float32, tensor } from '../../src/ir/tensor.ts';
import { seededRandom } from '../../src/numeric/rounding.ts';
import { exportModel, exportOpset } from '../../src/onnx/export.ts';
import { calibrate } from '../../src/ptq/calibrate.ts';
import { resolveConfig, type PtqConfig } from '../../src/ptq/config.ts';
import { buildPlan } from '../../src/ptq/plan.ts';
import { applyPlan } from '../../src/ptq/qdq.ts';
import { findTargets } from '../../src/ptq/targets.ts';
import { createExecutor } from '../../src/runtime/executor.ts';
import { simulatedKernels } from '../../src/runtime/kernels/simulated/register.ts';
import { runOrt } from '../onnx/helpers/ort.ts';

const random = seededRandom(5);
const values = (n: number, scale = 1) => Array.from({ length: n }, () => (random() * 2 - 1) * scale);

/** x [N,3,8,8] → Conv(3×3, bias) → Relu → MaxPool → Flatten → Gemm(bias) → Softmax; outputs logits and probabilities. */
function convNet(): Model {
  const b = new GraphBuilder('net');
  const x = b.addInput('x', 'float32', [1, 3, 8, 8]);
  const w = b.addInitializer('w', float32([4, 3, 3, 3], values(108, 0.5)));
  const bias = b.addInitializer('b', float32([4], values(4, 0.1)));
  b.addNode('Conv', [x, w, bias], { pads: [1, 1, 1, 1] }, { name: 'conv', outputs: ['c'] });
  b.addNode('Relu', ['c'], {}, { name: 'relu', outputs: ['r'] });
  b.addNode('MaxPool', ['r'], { kernel_shape: [2, 2], strides: [2, 2] }, { name: 'pool', outputs: ['p'] });
  b.addNode('Flatten', ['p'], {}, { name: 'flatten', outputs: ['f'] });
  const w2 = b.addInitializer('w2', float32([64, 5], values(320, 0.3)));
  const b2 = b.addInitializer('b2', float32([5], values(5, 0.1)));
  b.addNode('Gemm', ['f', w2, b2], {}, { name: 'gemm', outputs: ['logits'] });
  b.addNode('Softmax', ['logits'], { axis: 1 }, { name: 'softmax', outputs: ['probs'] });
  b.addOutput('logits', 'float32', [1, 5]);
  b.addOutput('probs', 'float32', [1, 5]);
  for (const [n, s] of [['c', [1, 4, 8, 8]], ['r', [1, 4, 8, 8]], ['p', [1, 4, 4, 4]], ['f', [1, 64]]] as const) b.setValueInfo(n, 'float32', s);
  return b.buildModel({ opset: 13 });
}

const samples = Float32Array.from(values(32 * 192, 2));
const data = arrayDataset(samples, [3, 8, 8]);

async function quantized(partial: Partial<PtqConfig>) {
  const model = convNet();
  const config = resolveConfig({ method: 'max', ...partial });
  const targets = findTargets(model.graph, config);
  const calibration = await calibrate(model, data, { histogram: false, limit: 32 });
  return applyPlan(model, buildPlan(model, targets, calibration, config)).model;
}

test('W8A8 QDQ structure: int8 per-channel weights, int32 bias, uint8 activations, Softmax left in float', async () => {
  const q = await quantized({});
  const init = q.graph.initializers;
  assert.equal(init.get('w_quantized')!.dtype, 'int8');
  assert.deepEqual(init.get('w_scale')!.shape, [4]);
  assert.equal(init.get('b_quantized')!.dtype, 'int32');
  assert.equal(init.get('x_zero_point')!.dtype, 'uint8');
  assert.ok(!init.has('w') && !init.has('w2'), 'float weights are gone');
  const dq = q.graph.nodes.find((n) => n.outputs.includes('w_dequantized'))!;
  assert.deepEqual(dq.attributes.axis, { type: 'int', value: 0 });
  // Relu is fused: no QuantizeLinear reads the Conv output; the Softmax output is not quantized.
  assert.ok(!q.graph.nodes.some((n) => n.opType === 'QuantizeLinear' && n.inputs[0] === 'c'));
  assert.ok(!q.graph.nodes.some((n) => n.opType === 'QuantizeLinear' && n.inputs[0].startsWith('probs')));
  // Restricted-range symmetric weights never use −128.
  assert.ok((init.get('w_quantized')!.data as Int8Array).every((v) => v >= -127));
});

test('simulated execution equals onnxruntime running the exported QDQ model (W8A8, W4A8 int4, A6 with Clip)', async () => {
  for (const partial of [{}, { weightBits: 4 }, { activationBits: 6, granularity: 'tensor' as const }]) {
    const q = await quantized(partial);
    const bytes = exportModel(q);
    if (partial.weightBits === 4) {
      assert.equal(q.graph.initializers.get('w_quantized')!.dtype, 'int4');
      assert.ok(exportOpset(q) >= 21, 'int4 needs opset 21');
    }
    if (partial.activationBits === 6) {
      const clip = q.graph.nodes.find((n) => n.opType === 'Clip' && n.inputs[0].startsWith('r_quantized'))!;
      assert.deepEqual([q.graph.initializers.get(clip.inputs[1])!.data[0], q.graph.initializers.get(clip.inputs[2])!.data[0]], [0, 63]);
    }
    const simulated = createExecutor(q, simulatedKernels());
    const step = q.graph.initializers.get('logits_scale')!.data[0];
    let offGrid = 0;
    for (let s = 0; s < 16; s++) {
      const x = tensor('float32', [1, 3, 8, 8], samples.slice(s * 192, (s + 1) * 192));
      const ours = simulated.runSync({ x });
      const ort = await runOrt(bytes, { x });
      ort.logits.data.forEach((v, i) => {
        const d = Math.abs(v - ours.logits.data[i]);
        // Both are fake-quantized logits: equal, or one step apart where float summation order moved a value across a rounding tie.
        assert.ok(d <= step * 1.001, `${JSON.stringify(partial)} sample ${s}: ${v} vs ${ours.logits.data[i]}`);
        if (d > 0) offGrid++;
      });
      ort.probs.data.forEach((v, i) => assert.ok(Math.abs(v - ours.probs.data[i]) < 1e-2));
    }
    assert.ok(offGrid <= 2, `${offGrid} of 80 logits differ by one step`);
  }
});
