import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { tensor } from '../../src/ir/tensor.ts';
import { exportModel } from '../../src/onnx/export.ts';
import { importModel } from '../../src/onnx/import.ts';
import { buildCnn } from '../../src/qat/models/cnn.ts';
import { createExecutor } from '../../src/runtime/executor.ts';
import { simulatedKernels } from '../../src/runtime/kernels/simulated/register.ts';
import { mnistData } from '../ptq/mnist.ts';

const TRAIN = 'data/mnist/train-images-idx3-ubyte.gz';
const T10K = 'data/mnist/t10k-images-idx3-ubyte.gz';

function quantkit(...args: string[]) {
  return spawnSync(process.execPath, ['bin/quantkit.js', ...args], { encoding: 'utf8' });
}

test('qat --json: a QDQ model at W2A2 (first and last layers 8-bit) that onnxruntime-node and quantkit run alike, its plan and sidecar', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'quantkit-qat-'));
  try {
    const float = join(dir, 'cnn.onnx');
    writeFileSync(float, exportModel(buildCnn({ channels: [3, 6], seed: 8 })));
    const sidecar = { preprocess: { channels: 1, scale: 1 / 255 }, labels: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] };
    writeFileSync(join(dir, 'cnn.json'), JSON.stringify(sidecar));
    const out = join(dir, 'cnn.w2a2.onnx');
    const r = quantkit('qat', float, '--data', TRAIN, '--limit', '160', '--calib-limit', '80', '--batch-size', '40', '--method', 'pact', '--wbits', '2', '--abits', '2', '--epochs', '1', '--lr', '0.02', '-o', out, '--plan', join(dir, 'plan.json'), '--eval', T10K, '--eval-limit', '100', '--json');
    assert.equal(r.status, 0, r.stderr);
    const json = JSON.parse(r.stdout);
    assert.equal(json.method, 'pact');
    assert.equal(json.edgeBits, 8);
    assert.equal(json.epochs.length, 1);
    for (const key of ['float', 'ptq', 'qat', 'qatInteger']) assert.ok(json.eval[key] >= 0 && json.eval[key] <= 1, key);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'cnn.w2a2.json'), 'utf8')), sidecar);
    const plan = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8'));
    assert.deepEqual(Object.values(plan.weights).map((w) => (w as { bits: number }).bits), [8, 2, 8]);

    const model = importModel(readFileSync(out));
    assert.ok(model.graph.nodes.some((n) => n.opType === 'QuantizeLinear'));
    assert.ok(model.graph.nodes.every((n) => n.domain === ''), 'no QAT-only op is exported');
    const { images } = mnistData('t10k', 50);
    const input = tensor('float32', [50, 1, 28, 28], images.map((v) => v / 255));
    const ours = createExecutor(model, simulatedKernels()).runSync({ input }).logits.data;
    const session = await ort.InferenceSession.create(readFileSync(out), { logSeverityLevel: 3, graphOptimizationLevel: 'basic' });
    try {
      const theirs = (await session.run({ input: new ort.Tensor('float32', input.data as Float32Array, [50, 1, 28, 28]) })).logits.data as Float32Array;
      let same = 0;
      for (let i = 0; i < 50; i++) {
        const row = (d: ArrayLike<number>) => Array.from({ length: 10 }, (_, c) => d[i * 10 + c]);
        const a = row(ours);
        const b = row(theirs);
        if (a.indexOf(Math.max(...a)) === b.indexOf(Math.max(...b))) same++;
      }
      assert.ok(same >= 49, `onnxruntime agrees on ${same}/50 predictions`);
    } finally {
      await session.release();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('qat: an unknown method exits 2 naming the choices', () => {
  const r = quantkit('qat', 'models/mnist-8.onnx', '--data', TRAIN, '-o', join(tmpdir(), 'never.onnx'), '--method', 'dorefa');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--method must be one of ste, lsq, pact/);
});
