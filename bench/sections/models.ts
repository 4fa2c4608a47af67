/**
 * The models section: whole models, batch 1, in quantkit fp32 (float executor) and int8 (the
 * integer-only executor), both on the wasm kernels, against onnxruntime-web running the QDQ
 * model quantkit exports (its own QDQ fusions into integer kernels), at 1 and 2 threads.
 *
 *   - mnist-8 (models/), quantized with quantkit's PTQ defaults (W8A8, entropy, per-channel) on
 *     200 calibration images of data/mnist;
 *   - a MobileNet-style depthwise-separable net built here with GraphBuilder: a 3×3 stride-2 stem
 *     and five depthwise 3×3 + pointwise 1×1 blocks (two of stride 2) with BatchNorm and ReLU6,
 *     global average pooling and a 10-way Gemm, 3×96×96 input, seeded random weights, quantized
 *     the same way on 16 seeded random images.
 *
 * Inputs are seeded random images (speed does not depend on them). Time: ms per image, the best
 * of ROUNDS passes over IMAGES images, the three engines' passes alternating round by round.
 * onnxruntime-web at 2 threads runs in a child process (this file with --ort-web-child) that
 * times one pass per request and answers once its threads have stopped spinning (`settled`);
 * onnxruntime-node is not part of this section.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ortWeb from 'onnxruntime-web';
import { arrayDataset, limitDataset } from '../../src/data/dataset.ts';
import { openDataset } from '../../src/data/node/open-dataset.ts';
import { GraphBuilder } from '../../src/ir/builder.ts';
import type { Model } from '../../src/ir/graph.ts';
import { float32, tensor } from '../../src/ir/tensor.ts';
import { loadModelFile } from '../../src/node/load-model.ts';
import { startKernelThreads } from '../../src/node/threads/pool.ts';
import { seededRandom } from '../../src/numeric/rounding.ts';
import { exportModel } from '../../src/onnx/export.ts';
import { quantizeModel } from '../../src/ptq/quantize-model.ts';
import { createExecutor, type Executor } from '../../src/runtime/executor.ts';
import { createIntegerExecutor } from '../../src/runtime/integer/executor.ts';
import { floatKernels } from '../../src/runtime/kernels/float/register.ts';
import { MNIST_MODEL } from '../lib/mnist.ts';
import type { BenchRow, BenchSection } from '../lib/report.ts';
import { THREADS } from './gemm.ts';

/** One line of the --json `models` list. */
export interface ModelRecord {
  readonly name: string;
  readonly threads: number;
  readonly quantkit_fp32_ms: number;
  readonly quantkit_int8_ms: number;
  readonly ort_web_int8_ms: number | null;
}

/** Filled by the section's run: bench/main.ts prints it as `models` with --json. */
export const modelRecords: ModelRecord[] = [];

interface BenchModel {
  readonly name: string;
  readonly input: string;
  readonly shape: readonly number[];
  /** Images per timed round. */
  readonly images: number;
}

const MNIST: BenchModel = { name: 'mnist-8', input: 'Input3', shape: [1, 1, 28, 28], images: 400 };
const MOBILENET: BenchModel = { name: 'mobilenet-style 3×96×96', input: 'x', shape: [1, 3, 96, 96], images: 24 };
const ROUNDS = 5;

/** Seeded images of the model's input shape, back to back. */
function images(model: BenchModel, count: number): Float32Array {
  const random = seededRandom(7);
  const size = model.shape.reduce((a, b) => a * b, 1);
  return Float32Array.from({ length: count * size }, () => random());
}

/**
 * The MobileNet-style net: stem Conv 3→16 3×3/2, then (depthwise 3×3 + BN + ReLU6, pointwise 1×1 +
 * BN + ReLU6) blocks 16→32, 32→64/2, 64→64, 64→128/2, 128→128, global average pool, Gemm 128→10.
 */
export function mobilenetStyle(seed = 11): Model {
  const random = seededRandom(seed);
  const b = new GraphBuilder('mobilenet_style');
  let x = b.addInput('x', 'float32', MOBILENET.shape);
  let layer = 0;
  const weights = (shape: number[], fanIn: number): string => {
    const size = shape.reduce((p, q) => p * q, 1);
    const bound = Math.sqrt(6 / fanIn);
    return b.addInitializer(`w${layer}`, float32(shape, Float32Array.from({ length: size }, () => (random() * 2 - 1) * bound)));
  };
  const vector = (name: string, count: number, value: () => number): string => b.addInitializer(`${name}${layer}`, float32([count], Float32Array.from({ length: count }, value)));
  const relu6 = { min: b.addInitializer('relu6_min', tensor('float32', [], Float32Array.of(0))), max: b.addInitializer('relu6_max', tensor('float32', [], Float32Array.of(6))) };
  const convBnRelu6 = (input: string, cin: number, cout: number, kernel: number, stride: number, group: number): string => {
    layer++;
    const w = weights([cout, cin / group, kernel, kernel], (cin / group) * kernel * kernel);
    const [conv] = b.addNode('Conv', [input, w], { kernel_shape: [kernel, kernel], strides: [stride, stride], pads: Array(4).fill((kernel - 1) / 2), group });
    const bn = [vector('gamma', cout, () => 0.5 + random()), vector('beta', cout, () => random() - 0.5), vector('mean', cout, () => (random() - 0.5) * 0.2), vector('var', cout, () => 0.5 + random())];
    const [normed] = b.addNode('BatchNormalization', [conv, ...bn]);
    const [out] = b.addNode('Clip', [normed, relu6.min, relu6.max]);
    return out;
  };
  x = convBnRelu6(x, 3, 16, 3, 2, 1);
  const blocks: [number, number, number][] = [[16, 32, 1], [32, 64, 2], [64, 64, 1], [64, 128, 2], [128, 128, 1]];
  for (const [cin, cout, stride] of blocks) {
    x = convBnRelu6(x, cin, cin, 3, stride, cin);
    x = convBnRelu6(x, cin, cout, 1, 1, 1);
  }
  const [pooled] = b.addNode('GlobalAveragePool', [x]);
  const [flat] = b.addNode('Flatten', [pooled]);
  layer++;
  const [logits] = b.addNode('Gemm', [flat, weights([10, 128], 128), vector('bias', 10, () => 0)], { transB: 1 });
  b.addOutput(logits, 'float32', [1, 10]);
  return b.buildModel({ opset: 13, irVersion: 8 });
}

/** One timed pass: ms per image of `run` over the model's IMAGES seeded images. */
type Pass = () => Promise<number>;

function passOf(model: BenchModel, run: (image: Float32Array) => unknown): Pass {
  const data = images(model, model.images);
  const size = data.length / model.images;
  return async () => {
    const t = performance.now();
    for (let i = 0; i < model.images; i++) await run(data.subarray(i * size, (i + 1) * size));
    return (performance.now() - t) / model.images;
  };
}

/**
 * Best ms per image of every engine, timed in alternation: each round runs one pass of every
 * engine, after a warm-up pass each, so that a slow spell of the (shared) machine falls on all
 * of them alike instead of on whichever engine was being timed.
 */
async function interleaved(passes: readonly Pass[]): Promise<number[]> {
  for (const pass of passes) await pass();
  const best = passes.map(() => Infinity);
  for (let r = 0; r < ROUNDS; r++) {
    for (let i = 0; i < passes.length; i++) best[i] = Math.min(best[i], await passes[i]());
  }
  return best;
}

function quantkitPass(model: BenchModel, executor: Executor): Pass {
  return passOf(model, (image) => executor.runSync({ [model.input]: tensor('float32', model.shape, image) }));
}

/** An onnxruntime-web session on the QDQ bytes, at the threads this process initialised it with. */
async function ortWebSession(model: BenchModel, bytes: Uint8Array, threads: number): Promise<{ pass: Pass; release: () => Promise<void> }> {
  ortWeb.env.wasm.numThreads = threads;
  ortWeb.env.logLevel = 'error';
  const session = await ortWeb.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  return { pass: passOf(model, (image) => session.run({ [model.input]: new ortWeb.Tensor('float32', image, model.shape) })), release: () => session.release() };
}

/**
 * onnxruntime-web passes: in this process at 1 thread; at more in a child process (onnxruntime-web
 * fixes its thread count when its wasm first loads) that runs one pass per request, so its
 * passes interleave with quantkit's all the same.
 */
async function ortWebPasses(model: BenchModel, bytes: Uint8Array, threads: number): Promise<{ pass: Pass; release: () => Promise<void> }> {
  if (threads === 1) return ortWebSession(model, bytes, 1);
  const dir = mkdtempSync(join(tmpdir(), 'quantkit-bench-'));
  const file = join(dir, 'model.onnx');
  writeFileSync(file, bytes);
  const child = fork(fileURLToPath(import.meta.url), ['--ort-web-child', String(threads), model.name, file], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += String(chunk)));
  const reply = (): Promise<number> =>
    new Promise((resolve, reject) => {
      const fail = (): void => reject(new Error(`models bench: the onnxruntime-web child (${threads} threads) failed: ${stderr.slice(-500)}`));
      child.once('exit', fail);
      child.once('message', (message) => {
        child.off('exit', fail);
        resolve(Number(message));
      });
    });
  await reply(); // ready
  return {
    pass: () => {
      const answer = reply();
      child.send('pass');
      return answer;
    },
    release: async () => {
      child.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const modelsSection: BenchSection = {
  name: 'models',
  description: 'mnist-8 and a MobileNet-style net, batch 1: quantkit fp32 and int8 (wasm kernels) vs onnxruntime-web on the QDQ model, 1 and 2 threads',
  async run() {
    const rows: BenchRow[] = [];
    modelRecords.length = 0;
    const mnistCalibration = limitDataset(await openDataset('data/mnist/calib-images-idx3-ubyte.gz'), 200);
    const mobilenet = mobilenetStyle();
    const entries = [
      { model: MNIST, float: loadModelFile(MNIST_MODEL), quantized: (await quantizeModel(loadModelFile(MNIST_MODEL), mnistCalibration, { calibrationLimit: 200 })).quantized },
      { model: MOBILENET, float: mobilenet, quantized: (await quantizeModel(mobilenet, arrayDataset(images(MOBILENET, 16), MOBILENET.shape.slice(1)), { calibrationLimit: 16 })).quantized },
    ].map((e) => ({ ...e, qdq: exportModel(e.quantized) }));
    for (const threads of THREADS) {
      await startKernelThreads(threads);
      for (const { model, float, quantized, qdq } of entries) {
        const web = await ortWebPasses(model, qdq, threads);
        let fp32: number, int8: number, ortMs: number;
        try {
          [int8, fp32, ortMs] = await interleaved([quantkitPass(model, createIntegerExecutor(quantized)), quantkitPass(model, createExecutor(float, floatKernels())), web.pass]);
        } finally {
          await web.release();
        }
        modelRecords.push({ name: model.name, threads, quantkit_fp32_ms: fp32, quantkit_int8_ms: int8, ort_web_int8_ms: ortMs });
        const workload = `${model.name}, batch 1, ${threads} thread${threads > 1 ? 's' : ''}`;
        rows.push({ workload, engine: 'quantkit int8 (integer-only, wasm)', value: int8 * 1000, unit: 'µs/image', higherIsBetter: false, baseline: true });
        rows.push({ workload, engine: 'quantkit fp32 (wasm)', value: fp32 * 1000, unit: 'µs/image', higherIsBetter: false });
        rows.push({ workload, engine: 'onnxruntime-web, same QDQ model', value: ortMs * 1000, unit: 'µs/image', higherIsBetter: false });
      }
    }
    await startKernelThreads(1);
    return rows;
  },
};

/**
 * Resolves once this process has gone quiet: onnxruntime's worker threads keep spinning after a
 * run (30–70 ms of CPU in the next ~50 ms here), and the engine timed next must not share the
 * cores with them. Quiet: under 20% of a core over 10 ms; at most one second.
 */
async function settled(): Promise<void> {
  const start = performance.now();
  for (;;) {
    const before = process.cpuUsage();
    const t = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 10));
    const used = process.cpuUsage(before);
    if ((used.user + used.system) / 1000 < 0.2 * (performance.now() - t) || performance.now() - start > 1000) return;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === '--ort-web-child') {
  // One model at the given threads; a warm-up pass, then one timed pass per 'pass' message.
  const [threads, name, file] = [Number(process.argv[3]), process.argv[4], process.argv[5]];
  const model = [MNIST, MOBILENET].find((m) => m.name === name);
  if (model === undefined) throw new Error(`models bench child: unknown model ${name}`);
  const { pass } = await ortWebSession(model, readFileSync(file), threads);
  await pass();
  await settled();
  process.on('message', () => {
    void pass().then(async (ms) => {
      await settled();
      process.send!(ms);
    });
  });
  process.on('disconnect', () => process.exit(0)); // the parent is gone: onnxruntime's threads must not keep this alive
  process.send!('ready');
}
