/**
 * The float section: quantkit's float executor and kernels against onnxruntime-web (wasm, one
 * thread) and onnxruntime-node (native, one thread), all in this process.
 *
 *   - mnist-8 on the whole MNIST t10k set (10,000 images, batch 1: the model's batch is fixed).
 *     quantkit runs through src/eval/evaluate.ts over the in-memory dataset; onnxruntime runs a
 *     loop of session.run over the same preprocessed images. Each engine's top-1 is noted, as a
 *     check that all three computed the same thing (0.9891; test/eval/mnist-8.test.ts asserts it).
 *   - fp32 GEMM 256³ and 512³: quantkit's sgemm (both transposes) and the naive triple loop,
 *     against a one-node MatMul model with both operands as inputs (so onnxruntime cannot
 *     pre-pack B at session creation, as sgemm cannot either).
 *   - Where quantkit's time goes on mnist-8: the kernel time of each node, per image.
 *   - Convolutions of mnist-8 and one ResNet-sized layer: quantkit's direct (implicit-GEMM)
 *     convolution against im2col + sgemm, the path it replaced — the evidence for conv.ts's choice.
 */
import { readFileSync } from 'node:fs';
import { limitDataset } from '../../src/data/dataset.ts';
import { evaluate } from '../../src/eval/evaluate.ts';
import { loadModelFile } from '../../src/node/load-model.ts';
import { seededRandom } from '../../src/numeric/rounding.ts';
import { createExecutor } from '../../src/runtime/executor.ts';
import type { KernelConfig } from '../../src/runtime/kernel.ts';
import { KernelRegistry } from '../../src/runtime/registry.ts';
import { tensor } from '../../src/ir/tensor.ts';
import { convDirect } from '../../src/runtime/kernels/float/conv-direct.ts';
import { im2col } from '../../src/runtime/kernels/float/im2col.ts';
import { floatKernels } from '../../src/runtime/kernels/float/register.ts';
import { sgemm } from '../../src/runtime/kernels/float/sgemm.ts';
import type { Window } from '../../src/runtime/kernels/float/window.ts';
import { loadMnist, MNIST_MODEL, mnistRow, ortPass, type Mnist } from '../lib/mnist.ts';
import { createRunner, ENGINE_NAMES, matMulModel, type OrtEngine } from '../lib/onnxruntime.ts';
import type { BenchRow, BenchSection } from '../lib/report.ts';
import { bestOf, bestOfInterleaved } from '../lib/timing.ts';

const QUANTKIT = 'quantkit float';
/** Full passes over t10k per engine (the best counts), after a warm-up of WARMUP images. */
const PASSES = 3;
const WARMUP = 500;

async function mnistRows(mnist: Mnist): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];

  const executor = createExecutor(loadModelFile(MNIST_MODEL), floatKernels());
  await evaluate(executor, limitDataset(mnist.dataset, WARMUP));
  let top1 = 0;
  const quantkitMs = await bestOf(PASSES, async () => {
    top1 = (await evaluate(executor, mnist.dataset)).top1;
  }, 0);
  rows.push(mnistRow(QUANTKIT, quantkitMs, mnist.count, top1, true));

  const bytes = readFileSync(MNIST_MODEL);
  for (const engine of ['web', 'node'] as OrtEngine[]) {
    const runner = await createRunner(engine, bytes);
    const pass = (count: number) => ortPass(runner, mnist, count);
    await pass(WARMUP);
    let engineTop1 = 0;
    const ms = await bestOf(PASSES, async () => {
      engineTop1 = await pass(mnist.count);
    }, 0);
    rows.push(mnistRow(ENGINE_NAMES[engine], ms, mnist.count, engineTop1));
    await runner.release();
  }
  return rows;
}

/**
 * Kernel time per node of mnist-8 (µs per image, best of several rounds): the executor runs a
 * registry whose kernels are the float ones wrapped in a timer. What the node sum leaves out of
 * the full evaluation is the executor's and evaluate()'s own per-image work.
 */
async function mnistNodeRows(mnist: Mnist): Promise<BenchRow[]> {
  const model = loadModelFile(MNIST_MODEL);
  const float = floatKernels();
  const nodes = model.graph.nodes;
  const spent = new Map(nodes.map((node) => [node, 0]));
  const timed = new KernelRegistry(
    'float (timed)',
    [...new Set(nodes.map((node) => node.opType))].map((op): KernelConfig => {
      const impl = float.get(op)!.impl;
      return {
        op,
        impl: (inputs, node) => {
          const start = performance.now();
          const outputs = impl(inputs, node);
          spent.set(node, spent.get(node)! + performance.now() - start);
          return outputs;
        },
      };
    }),
  );
  const executor = createExecutor(model, timed);
  const images = 200;
  const best = new Map(nodes.map((node) => [node, Infinity]));
  for (let round = 0; round < 15; round++) {
    for (const node of nodes) spent.set(node, 0);
    for (let i = 0; i < images; i++) {
      const at = ((round * images + i) % mnist.count) * 784;
      executor.runSync({ Input3: tensor('float32', [1, 1, 28, 28], mnist.images.subarray(at, at + 784)) });
    }
    for (const node of nodes) best.set(node, Math.min(best.get(node)!, (spent.get(node)! * 1000) / images));
  }
  const total = [...best.values()].reduce((a, b) => a + b, 0);
  const workload = 'mnist-8, quantkit kernel time per node';
  return [
    ...nodes.map((node) => ({ workload, engine: `${node.opType} ${node.name}`, value: best.get(node)!, unit: 'µs/image', higherIsBetter: false })),
    { workload, engine: 'all nodes', value: total, unit: 'µs/image', higherIsBetter: false },
  ];
}

/** The textbook triple loop, for scale. */
function naiveGemm(m: number, n: number, k: number, a: Float32Array, b: Float32Array, c: Float32Array): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += a[i * k + p] * b[p * n + j];
      c[i * n + j] = sum;
    }
  }
}

function randomMatrix(size: number, random: () => number): Float32Array {
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = random() * 2 - 1;
  return out;
}

async function gemmRows(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const random = seededRandom(1);
  for (const size of [256, 512]) {
    const workload = `fp32 GEMM ${size}×${size}×${size}`;
    const flops = 2 * size ** 3;
    const gflops = (ms: number): number => flops / (ms * 1e6);
    const a = randomMatrix(size * size, random);
    const b = randomMatrix(size * size, random);
    const c = new Float32Array(size * size);
    const best = await bestOfInterleaved(5, {
      plain: () => sgemm(false, false, size, size, size, 1, a, size, b, size, 0, c, size),
      transposed: () => sgemm(true, true, size, size, size, 1, a, size, b, size, 0, c, size),
      naive: () => naiveGemm(size, size, size, a, b, c),
    });
    rows.push({ workload, engine: 'quantkit sgemm (A·B)', value: gflops(best.plain), unit: 'GFLOP/s', higherIsBetter: true, baseline: true });
    rows.push({ workload, engine: 'quantkit sgemm (Aᵀ·Bᵀ)', value: gflops(best.transposed), unit: 'GFLOP/s', higherIsBetter: true });
    rows.push({ workload, engine: 'naive triple loop (TypeScript)', value: gflops(best.naive), unit: 'GFLOP/s', higherIsBetter: true });
    const model = matMulModel(size, size, size);
    for (const engine of ['web', 'node'] as OrtEngine[]) {
      const runner = await createRunner(engine, model);
      const feeds = { A: { data: a, dims: [size, size] }, B: { data: b, dims: [size, size] } };
      const ms = await bestOf(5, () => runner.run(feeds), 2);
      rows.push({ workload, engine: `${ENGINE_NAMES[engine]} MatMul`, value: gflops(ms), unit: 'GFLOP/s', higherIsBetter: true });
      await runner.release();
    }
  }
  return rows;
}

function window2d(size: number, kernel: number, pad: number): Window {
  const out = size + 2 * pad - kernel + 1;
  return { spatialRank: 2, input: [1, size, size], output: [1, out, out], kernel: [1, kernel, kernel], strides: [1, 1, 1], dilations: [1, 1, 1], padBegin: [0, pad, pad], padEnd: [0, pad, pad] };
}

async function convRows(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const random = seededRandom(2);
  const cases: [string, number, number, Window][] = [
    ['Conv 1→8, 5×5, 28×28 (mnist-8 conv1)', 1, 8, window2d(28, 5, 2)],
    ['Conv 8→16, 5×5, 14×14 (mnist-8 conv2)', 8, 16, window2d(14, 5, 2)],
    ['Conv 64→64, 3×3, 56×56 (ResNet stage 1)', 64, 64, window2d(56, 3, 1)],
  ];
  for (const [workload, channels, maps, window] of cases) {
    const taps = channels * window.kernel[1] * window.kernel[2];
    const outputs = window.output[1] * window.output[2];
    const x = randomMatrix(channels * window.input[1] * window.input[2], random);
    const w = randomMatrix(maps * taps, random);
    const y = new Float32Array(maps * outputs);
    const col = new Float32Array(taps * outputs);
    const dims = { batch: 1, channels, featureMaps: maps, group: 1 };
    const reps = Math.max(1, Math.round(2e7 / (2 * maps * taps * outputs)));
    const best = await bestOfInterleaved(7, {
      direct: () => {
        for (let r = 0; r < reps; r++) convDirect(x, w, undefined, dims, window, y);
      },
      im2col: () => {
        for (let r = 0; r < reps; r++) {
          im2col(x, 0, channels, window, col);
          sgemm(false, false, maps, outputs, taps, 1, w, taps, col, outputs, 0, y, outputs);
        }
      },
    });
    const us = (ms: number): number => (ms * 1000) / reps;
    const note = (ms: number): string => `${((2 * maps * taps * outputs) / (ms * 1e6 / reps)).toFixed(2)} GFLOP/s`;
    rows.push({ workload, engine: 'quantkit conv (direct, implicit GEMM)', value: us(best.direct), unit: 'µs', higherIsBetter: false, baseline: true, note: note(best.direct) });
    rows.push({ workload, engine: 'quantkit im2col + sgemm (previous path)', value: us(best.im2col), unit: 'µs', higherIsBetter: false, note: note(best.im2col) });
  }
  return rows;
}

export const floatSection: BenchSection = {
  name: 'float',
  description: 'float executor and kernels vs onnxruntime-web (wasm) and onnxruntime-node',
  run: async () => {
    const mnist = await loadMnist();
    return [...(await mnistRows(mnist)), ...(await mnistNodeRows(mnist)), ...(await gemmRows()), ...(await convRows())];
  },
};
