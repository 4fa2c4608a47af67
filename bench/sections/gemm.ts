/**
 * The GEMM section: quantkit's wasm kernels against onnxruntime on the same shapes, in one run.
 *
 *   - u8×s8 and s8×s8 int8 GEMM with int32 output (quantkit `igemm`, onnxruntime MatMulInteger),
 *     u8×s8 with the output stage fused (quantkit's int8 GEMM into uint8, onnxruntime
 *     QLinearMatMul), and fp32 (quantkit `sgemm`, onnxruntime MatMul) — 256³, 512³, 1024³, at 1
 *     and 2 threads.
 *   - Both operands are inputs of every call (onnxruntime: graph inputs, so nothing is pre-packed
 *     at session creation; quantkit packs both per call too). Rates count 2·m·n·k operations.
 *   - onnxruntime-web fixes its thread count when its wasm first loads, so its 2-thread runs
 *     happen in a child process (this file run with --ort-web-child); onnxruntime-node takes
 *     intraOpNumThreads per session. quantkit's threads: src/node/threads/pool.ts.
 *   - Time per engine: the best of up to 5 calls after a warm-up, stopping after ~0.4 s.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { GraphBuilder } from '../../src/ir/builder.ts';
import type { DType } from '../../src/ir/dtype.ts';
import { tensor } from '../../src/ir/tensor.ts';
import { startKernelThreads } from '../../src/node/threads/pool.ts';
import { seededRandom } from '../../src/numeric/rounding.ts';
import { exportModel } from '../../src/onnx/export.ts';
import { quantizeMultiplier } from '../../src/numeric/fixedpoint.ts';
import { outputStage } from '../../src/quant/output-stage.ts';
import { sgemm } from '../../src/runtime/kernels/float/sgemm.ts';
import { igemm } from '../../src/runtime/kernels/integer/igemm.ts';
import { wasmKernels } from '../../src/runtime/wasm/index.ts';
import { int8Gemm } from '../../src/runtime/wasm/int8-gemm.ts';
import type { BenchRow, BenchSection } from '../lib/report.ts';

export const SIZES = [256, 512, 1024] as const;
export const THREADS = [1, 2] as const;
export type GemmType = 'u8s8' | 's8s8' | 'u8s8_requantized' | 'fp32';
const TYPES: readonly GemmType[] = ['u8s8', 's8s8', 'u8s8_requantized', 'fp32'];
const ORT_OP: Record<GemmType, string> = { u8s8: 'MatMulInteger', s8s8: 'MatMulInteger', u8s8_requantized: 'QLinearMatMul', fp32: 'MatMul' };

/** One line of the --json `gemm` list. */
export interface GemmRecord {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly type: GemmType;
  readonly threads: number;
  readonly quantkit_gops: number;
  readonly ort_web_gops: number | null;
  readonly ort_node_gops: number | null;
}

/** Filled by the section's run: bench/main.ts prints it as `gemm` with --json. */
export const gemmRecords: GemmRecord[] = [];

/** Best time (ms) of up to `rounds` calls after `warmup`, stopping once `budget` ms were spent. */
export async function timeBest(run: () => unknown, rounds = 5, warmup = 1, budget = 400): Promise<number> {
  for (let i = 0; i < warmup; i++) await run();
  let best = Infinity;
  const start = performance.now();
  for (let i = 0; i < rounds && (i === 0 || performance.now() - start < budget); i++) {
    const t = performance.now();
    await run();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

interface Operands {
  readonly a: Uint8Array | Int8Array | Float32Array;
  readonly b: Int8Array | Float32Array;
}

/** Seeded operands of `type` for an s × s × s product (8-bit: the full ranges; fp32 in [−1, 1)). */
function operands(type: GemmType, s: number): Operands {
  const random = seededRandom(s + type.length);
  if (type === 'fp32') return { a: Float32Array.from({ length: s * s }, () => random() * 2 - 1), b: Float32Array.from({ length: s * s }, () => random() * 2 - 1) };
  const a = type === 's8s8' ? Int8Array.from({ length: s * s }, () => Math.floor(random() * 256) - 128) : Uint8Array.from({ length: s * s }, () => Math.floor(random() * 256));
  return { a, b: Int8Array.from({ length: s * s }, () => Math.floor(random() * 255) - 127) };
}

/** The output stage of the requantized product: scales 0.02 (a), 0.004 (b), 2.0 (y), zero points 128 / 0 / 128. */
const SCALES = { a: 0.02, b: 0.004, y: 2, aZero: 128, yZero: 128 };

/** The one-node onnxruntime model of `type` with both operands as inputs. */
function ortModel(type: GemmType, s: number): Uint8Array {
  const builder = new GraphBuilder('gemm');
  const aType: DType = type === 'fp32' ? 'float32' : type === 's8s8' ? 'int8' : 'uint8';
  builder.addInput('A', aType, [s, s]);
  builder.addInput('B', type === 'fp32' ? 'float32' : 'int8', [s, s]);
  if (type === 'u8s8_requantized') {
    const scalar = (name: string, dtype: DType, value: number) => builder.addInitializer(name, tensor(dtype, [], dtype === 'float32' ? Float32Array.of(value) : dtype === 'uint8' ? Uint8Array.of(value) : Int8Array.of(value)));
    const inputs = ['A', scalar('a_scale', 'float32', SCALES.a), scalar('a_zero', 'uint8', SCALES.aZero), 'B', scalar('b_scale', 'float32', SCALES.b), scalar('b_zero', 'int8', 0), scalar('y_scale', 'float32', SCALES.y), scalar('y_zero', 'uint8', SCALES.yZero)];
    builder.addNode('QLinearMatMul', inputs, {}, { outputs: ['Y'] });
    builder.addOutput('Y', 'uint8', [s, s]);
  } else {
    builder.addNode(ORT_OP[type], ['A', 'B'], {}, { outputs: ['Y'] });
    builder.addOutput('Y', type === 'fp32' ? 'float32' : 'int32', [s, s]);
  }
  return exportModel(builder.buildModel({ opset: 13, irVersion: 8 }));
}

/** ms per call of quantkit's kernel for `type` (threads as started by the caller). */
async function quantkitMs(type: GemmType, s: number, ops: Operands): Promise<number> {
  if (type === 'fp32') {
    const c = new Float32Array(s * s);
    return timeBest(() => sgemm(false, false, s, s, s, 1, ops.a as Float32Array, s, ops.b as Float32Array, s, 0, c, s));
  }
  const a = { data: ops.a as Uint8Array | Int8Array, offset: 0, rowStride: s, colStride: 1 };
  const b = { data: ops.b as Int8Array, offset: 0, rowStride: s, colStride: 1 };
  if (type === 'u8s8_requantized') {
    const backend = wasmKernels();
    if (backend === undefined) throw new Error('gemm bench: the wasm kernels are not available');
    const q = quantizeMultiplier((SCALES.a * SCALES.b) / SCALES.y);
    const stage = outputStage({ multiplier: [q.multiplier], shift: [q.shift] }, SCALES.yZero, 0, 255);
    const y = new Uint8Array(s * s);
    return timeBest(() => int8Gemm(backend, { m: s, n: s, k: s, a: { view: a }, b: { view: b }, aZero: [SCALES.aZero], bZero: [0], target: { kind: 'quantized', stage, axis: 'columns', channel0: 0, y, offset: 0, ld: s } }));
  }
  const c = new Int32Array(s * s);
  return timeBest(() => igemm(s, s, s, a, [0], b, [0], c));
}

type Ort = typeof ortWeb | typeof ortNode;

/** ms per call of onnxruntime (`engine`) on the one-node model. */
async function ortMs(ort: Ort, options: object, type: GemmType, s: number, ops: Operands): Promise<number> {
  const session = await (ort.InferenceSession as typeof ortWeb.InferenceSession).create(ortModel(type, s), options);
  const dtype = type === 'fp32' ? 'float32' : type === 's8s8' ? 'int8' : 'uint8';
  const feeds = { A: new (ort.Tensor as typeof ortWeb.Tensor)(dtype, ops.a, [s, s]), B: new (ort.Tensor as typeof ortWeb.Tensor)(type === 'fp32' ? 'float32' : 'int8', ops.b, [s, s]) };
  const ms = await timeBest(() => session.run(feeds));
  await session.release();
  return ms;
}

const gops = (s: number, ms: number): number => (2 * s ** 3) / (ms * 1e6);

/** onnxruntime-web rates at `threads` threads for every size and type: in this process (1) or a child (more). */
function ortWebRates(threads: number): Promise<Record<string, number>> | Record<string, number> {
  if (threads === 1) return ortWebChild(1);
  const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--ort-web-child', String(threads)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const line = child.stdout.trim().split('\n').pop() ?? '';
  if (child.status !== 0 || !line.startsWith('{')) throw new Error(`gemm bench: the onnxruntime-web child (${threads} threads) failed: ${child.stderr.slice(-500)}`);
  return JSON.parse(line) as Record<string, number>;
}

/** In this process: onnxruntime-web on `threads` threads (the first session fixes it), rates by `${type} ${size}`. */
async function ortWebChild(threads: number): Promise<Record<string, number>> {
  ortWeb.env.wasm.numThreads = threads;
  ortWeb.env.logLevel = 'error';
  const rates: Record<string, number> = {};
  for (const s of SIZES) {
    for (const type of TYPES) rates[`${type} ${s}`] = gops(s, await ortMs(ortWeb, { executionProviders: ['wasm'], intraOpNumThreads: threads }, type, s, operands(type, s)));
  }
  return rates;
}

export const gemmSection: BenchSection = {
  name: 'gemm',
  description: 'int8 (u8×s8, s8×s8, requantized) and fp32 GEMM 256³–1024³ at 1 and 2 threads: quantkit wasm vs onnxruntime-web and onnxruntime-node',
  async run() {
    const rows: BenchRow[] = [];
    gemmRecords.length = 0;
    for (const threads of THREADS) {
      await startKernelThreads(threads);
      const web = await ortWebRates(threads);
      for (const s of SIZES) {
        for (const type of TYPES) {
          const ops = operands(type, s);
          const quantkit = gops(s, await quantkitMs(type, s, ops));
          const native = gops(s, await ortMs(ortNode, { executionProviders: ['cpu'], intraOpNumThreads: threads, interOpNumThreads: 1, logSeverityLevel: 3 }, type, s, ops));
          const webRate = web[`${type} ${s}`] ?? null;
          gemmRecords.push({ m: s, n: s, k: s, type, threads, quantkit_gops: quantkit, ort_web_gops: webRate, ort_node_gops: native });
          const workload = `${type} GEMM ${s}³, ${threads} thread${threads > 1 ? 's' : ''}`;
          const unit = type === 'fp32' ? 'GFLOP/s' : 'GOP/s';
          rows.push({ workload, engine: 'quantkit (wasm)', value: quantkit, unit, higherIsBetter: true, baseline: true });
          if (webRate !== null) rows.push({ workload, engine: `onnxruntime-web ${ORT_OP[type]}`, value: webRate, unit, higherIsBetter: true });
          rows.push({ workload, engine: `onnxruntime-node ${ORT_OP[type]}`, value: native, unit, higherIsBetter: true });
        }
      }
    }
    await startKernelThreads(1);
    return rows;
  },
};

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === '--ort-web-child') {
  console.log(JSON.stringify(await ortWebChild(Number(process.argv[3]))));
  process.exit(0);
}
