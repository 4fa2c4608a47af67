/**
 * mnist-8 end to end on the official MNIST test set (10,000 images): quantkit's float executor,
 * through src/eval/evaluate.ts, against onnxruntime-node running the same model file on the
 * same raw 0..255 pixels — decoded here straight from the IDX bytes, independently of quantkit's
 * data loaders — plus the CLI on the same model and data.
 *
 * The published number: onnxruntime scores 98.91% top-1 on t10k (models/README.md, which lists
 * the model's source; the data's provenance is in data/mnist/README.md). The test checks that
 * onnxruntime-node indeed gives 9,891 / 10,000 here, then that quantkit gives the same.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import * as ort from 'onnxruntime-node';
import { openDataset } from '../../src/data/node/open-dataset.ts';
import { parseSidecar } from '../../src/data/sidecar.ts';
import { evaluate } from '../../src/eval/evaluate.ts';
import { loadModelFile } from '../../src/node/load-model.ts';
import { createExecutor } from '../../src/runtime/executor.ts';
import { floatKernels } from '../../src/runtime/kernels/float/register.ts';

const MODEL = 'models/mnist-8.onnx';
const IMAGES = 'data/mnist/t10k-images-idx3-ubyte.gz';
const LABELS = 'data/mnist/t10k-labels-idx1-ubyte.gz';

/** onnxruntime's top-1 for mnist-8 on t10k, as published (models/README.md): 98.91%. */
const PUBLISHED_TOP1 = 0.9891;
const SAMPLES = 10_000;
const CLASSES = 10;
/**
 * Logits agree to 1e-4 of the sample's largest |logit|. The logits of this model (raw pixel
 * input) reach 10^4 in magnitude, where one float32 step is ~1e-3, so a bound in absolute terms
 * would only measure float32 spacing; relative to the sample's scale it measures the kernels.
 * (Measured: at most 9e-7, from float32 accumulation in onnxruntime vs float64 in quantkit.)
 */
const LOGIT_TOLERANCE = 1e-4;

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs bin/quantkit.js; never rejects (the exit code is part of the result). */
function cli(args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/quantkit.js', ...args], { encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

// The CLI runs are separate processes: started first, they overlap with the in-process work.
const cliEval = cli(['eval', MODEL, '--data', IMAGES, '--limit', '200', '--json']);
const cliInspect = cli(['inspect', MODEL, '--json']);
const cliMissing = cli(['eval', 'models/no-such-model.onnx', '--data', IMAGES]);

/** An IDX file decoded by hand: big-endian magic, dimension sizes, then unsigned bytes. */
function readIdx(path: string, magic: number, dims: number[]): Uint8Array {
  const bytes = gunzipSync(readFileSync(path));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  assert.equal(view.getUint32(0), magic, `${path}: magic`);
  dims.forEach((d, i) => assert.equal(view.getUint32(4 + 4 * i), d, `${path}: dimension ${i}`));
  const start = 4 + 4 * dims.length;
  assert.equal(bytes.length - start, dims.reduce((a, b) => a * b, 1), `${path}: payload size`);
  return bytes.subarray(start);
}

const pixels = readIdx(IMAGES, 0x0803, [SAMPLES, 28, 28]);
const labels = readIdx(LABELS, 0x0801, [SAMPLES]);

/** onnxruntime-node's logits for every image, [SAMPLES × CLASSES]. */
async function onnxruntimeLogits(): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(MODEL, { intraOpNumThreads: 1, interOpNumThreads: 1, logSeverityLevel: 3 });
  try {
    const logits = new Float32Array(SAMPLES * CLASSES);
    const input = new Float32Array(784);
    for (let i = 0; i < SAMPLES; i++) {
      for (let p = 0; p < 784; p++) input[p] = pixels[i * 784 + p];
      const result = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', input, [1, 1, 28, 28]) });
      logits.set(result[session.outputNames[0]].data as Float32Array, i * CLASSES);
    }
    return logits;
  } finally {
    await session.release();
  }
}

function argmax(row: ArrayLike<number>, offset: number): number {
  let best = 0;
  for (let c = 1; c < CLASSES; c++) if (row[offset + c] > row[offset + best]) best = c;
  return best;
}

/** Correct predictions among the first `count` samples. */
function correctIn(logits: Float32Array, count: number): number {
  let correct = 0;
  for (let i = 0; i < count; i++) if (argmax(logits, i * CLASSES) === labels[i]) correct++;
  return correct;
}

// quantkit first (its own loader, the model's sidecar preprocessing), then onnxruntime.
const sidecar = parseSidecar(readFileSync('models/mnist-8.json', 'utf8'));
const dataset = await openDataset(IMAGES, sidecar.preprocess === undefined ? {} : { preprocess: sidecar.preprocess });
const evaluation = await evaluate(createExecutor(loadModelFile(MODEL), floatKernels()), dataset, { keepOutputs: true });
const reference = await onnxruntimeLogits();

test('onnxruntime-node scores the published 98.91% on t10k (the reference is sound)', () => {
  assert.equal(correctIn(reference, SAMPLES) / SAMPLES, PUBLISHED_TOP1);
});

test('quantkit float logits match onnxruntime-node on all 10,000 t10k images', () => {
  assert.equal(evaluation.samples, SAMPLES);
  assert.equal(evaluation.classes, CLASSES);
  const ours = evaluation.outputs;
  assert.ok(ours !== undefined && ours.length === SAMPLES * CLASSES);
  let worst = 0;
  let worstAt = -1;
  for (let i = 0; i < SAMPLES; i++) {
    let scale = 0;
    let diff = 0;
    for (let c = 0; c < CLASSES; c++) {
      scale = Math.max(scale, Math.abs(reference[i * CLASSES + c]));
      diff = Math.max(diff, Math.abs(ours[i * CLASSES + c] - reference[i * CLASSES + c]));
    }
    const relative = diff / Math.max(scale, 1);
    if (!(relative <= worst)) {
      worst = relative;
      worstAt = i;
    }
  }
  assert.ok(worst <= LOGIT_TOLERANCE, `sample ${worstAt}: logits differ by ${worst} of the largest |logit| (tolerance ${LOGIT_TOLERANCE})`);
  for (let i = 0; i < SAMPLES; i++) assert.equal(evaluation.predictions[i], argmax(reference, i * CLASSES), `sample ${i}: predicted class`);
});

test('quantkit float top-1 through evaluate() is the published 0.9891', () => {
  assert.equal(evaluation.correct, 9891);
  assert.equal(evaluation.top1, PUBLISHED_TOP1);
});

test('CLI: eval --limit 200 --json prints one JSON object whose top-1 is onnxruntime-node\'s on those images', async () => {
  const run = await cliEval;
  assert.equal(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout) as Record<string, unknown>;
  assert.equal(result.samples, 200);
  assert.equal(result.top1, correctIn(reference, 200) / 200);
});

test('CLI: inspect --json reports 12 nodes and 5,998 parameters', async () => {
  const run = await cliInspect;
  assert.equal(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout) as { nodes: number; parameters: number };
  // Reshape, Conv, Add, Relu, MaxPool, Conv, Add, Relu, MaxPool, Reshape, MatMul, Add.
  assert.equal(result.nodes, 12);
  // conv1 8×1×5×5 + 8 biases, conv2 16×8×5×5 + 16, dense 256×10 + 10 (float32), and the two
  // Reshape target shapes of 2 int64 each.
  assert.equal(result.parameters, 8 * 25 + 8 + 16 * 8 * 25 + 16 + 256 * 10 + 10 + 2 * 2);
});

test('CLI: a missing model file exits with code 2 and one line on stderr', async () => {
  const run = await cliMissing;
  assert.equal(run.code, 2);
  assert.equal(run.stdout, '');
  const lines = run.stderr.split('\n').filter((line) => line !== '');
  assert.equal(lines.length, 1, run.stderr);
  assert.match(lines[0], /no-such-model\.onnx/);
});
