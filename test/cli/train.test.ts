import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { tensor } from '../../src/ir/tensor.ts';
import { importModel } from '../../src/onnx/import.ts';
import { createExecutor } from '../../src/runtime/executor.ts';
import { floatKernels } from '../../src/runtime/kernels/float/register.ts';
import { mnistData } from '../ptq/mnist.ts';

const TRAIN = 'data/mnist/train-images-idx3-ubyte.gz';
const T10K = 'data/mnist/t10k-images-idx3-ubyte.gz';
// Two epochs of a tiny CNN on 120 digits: seconds, and enough to test what the command does.
const RUN = ['train', '--data', TRAIN, '--channels', '3,6', '--limit', '120', '--batch-size', '40', '--seed', '4', '--epochs', '2'];

function quantkit(...args: string[]) {
  return spawnSync(process.execPath, ['bin/quantkit.js', ...args], { encoding: 'utf8' });
}

/** Runs `args` and kills the process once stderr shows `line`. */
function stopAt(args: string[], line: string): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/quantkit.js', ...args]);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes(line)) child.kill('SIGKILL');
    });
    child.on('exit', () => resolve());
  });
}

test('train: an ONNX model onnxruntime-node runs with quantkit\'s predictions, its sidecar, and --checkpoint/--resume', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'quantkit-train-'));
  try {
    const out = join(dir, 'cnn.onnx');
    const r = quantkit(...RUN, '-o', out, '--eval', T10K, '--json');
    assert.equal(r.status, 0, r.stderr);
    const json = JSON.parse(r.stdout);
    assert.equal(json.samples, 120);
    assert.deepEqual(json.epochs.map((e: { epoch: number }) => e.epoch), [0, 1]);
    assert.ok(json.eval.top1 > 0.1 && json.eval.top1 <= 1);
    const sidecar = JSON.parse(readFileSync(join(dir, 'cnn.json'), 'utf8'));
    assert.equal(sidecar.preprocess.scale, 1 / 255);
    assert.match(sidecar.source, /quantkit train .*--seed 4/);

    const { images } = mnistData('t10k', 20);
    const input = tensor('float32', [20, 1, 28, 28], images.map((v) => v / 255));
    const ours = createExecutor(importModel(readFileSync(out)), floatKernels()).runSync({ input }).logits.data;
    const session = await ort.InferenceSession.create(readFileSync(out), { logSeverityLevel: 3 });
    try {
      const theirs = (await session.run({ input: new ort.Tensor('float32', input.data as Float32Array, [20, 1, 28, 28]) })).logits.data as Float32Array;
      for (let i = 0; i < theirs.length; i++) assert.ok(Math.abs(theirs[i] - ours[i]) < 1e-4 * Math.max(1, Math.abs(theirs[i])));
    } finally {
      await session.release();
    }

    // Stopped once epoch 1 is reported (its checkpoint is written first), then resumed: the same model.
    const checkpoint = join(dir, 'run.ckpt');
    await stopAt([...RUN, '-o', join(dir, 'stopped.onnx'), '--checkpoint', checkpoint], 'epoch 1/2');
    const resumed = quantkit(...RUN, '-o', join(dir, 'resumed.onnx'), '--resume', checkpoint);
    assert.equal(resumed.status, 0, resumed.stderr);
    assert.doesNotMatch(resumed.stderr, /epoch 1\/2/);
    assert.match(resumed.stderr, /epoch 2\/2/);
    assert.deepEqual(readFileSync(join(dir, 'resumed.onnx')), readFileSync(out));

    const other = quantkit(...RUN, '--seed', '5', '-o', join(dir, 'other.onnx'), '--resume', checkpoint);
    assert.equal(other.status, 2);
    assert.match(other.stderr, /written with seed = 4, this run has 5/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('train: a bad option exits 2 naming it', () => {
  const r = quantkit('train', '--data', TRAIN, '-o', join(tmpdir(), 'never.onnx'), '--channels', '4,x');
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /--channels must be positive integers/);
});
