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
 *   - Time per engine: the best of up to 5 calls after a warm-up, stopping after ~0.4 s. At one
 *     thread the three engines are called in alternation; at two, whole passes over the shapes
 *     take turns (the child's, then quantkit's and onnxruntime-node's shape by shape), three
 *     rounds, best of all — the machine's speed drifts by up to 2× over tens of seconds.
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

/** One call of a GEMM engine on the s³ operands of a type, and how to let it go. */
interface Engine {
  readonly call: () => Promise<unknown> | unknown;
  readonly release: () => Promise<unknown> | unknown;
}

/** quantkit's kernel for `type` (threads as started by the caller). */
function quantkitEngine(type: GemmType, s: number, ops: Operands): Engine {
  const release = (): void => undefined;
  if (type === 'fp32') {
    const c = new Float32Array(s * s);
    return { call: () => sgemm(false, false, s, s, s, 1, ops.a as Float32Array, s, ops.b as Float32Array, s, 0, c, s), release };
  }
  const a = { data: ops.a as Uint8Array | Int8Array, offset: 0, rowStride: s, colStride: 1 };
  const b = { data: ops.b as Int8Array, offset: 0, rowStride: s, colStride: 1 };
  if (type === 'u8s8_requantized') {
    const backend = wasmKernels();
    if (backend === undefined) throw new Error('gemm bench: the wasm kernels are not available');
    const q = quantizeMultiplier((SCALES.a * SCALES.b) / SCALES.y);
    const stage = outputStage({ multiplier: [q.multiplier], shift: [q.shift] }, SCALES.yZero, 0, 255);
    const y = new Uint8Array(s * s);
    return { call: () => int8Gemm(backend, { m: s, n: s, k: s, a: { view: a }, b: { view: b }, aZero: [SCALES.aZero], bZero: [0], target: { kind: 'quantized', stage, axis: 'columns', channel0: 0, y, offset: 0, ld: s } }), release };
  }
  const c = new Int32Array(s * s);
  return { call: () => igemm(s, s, s, a, [0], b, [0], c), release };
}

type Ort = typeof ortWeb | typeof ortNode;

/** onnxruntime (`ort`) on the one-node model. */
async function ortEngine(ort: Ort, options: object, type: GemmType, s: number, ops: Operands): Promise<Engine> {
  const session = await (ort.InferenceSession as typeof ortWeb.InferenceSession).create(ortModel(type, s), options);
  const dtype = type === 'fp32' ? 'float32' : type === 's8s8' ? 'int8' : 'uint8';
  const feeds = { A: new (ort.Tensor as typeof ortWeb.Tensor)(dtype, ops.a, [s, s]), B: new (ort.Tensor as typeof ortWeb.Tensor)(type === 'fp32' ? 'float32' : 'int8', ops.b, [s, s]) };
  return { call: () => session.run(feeds), release: () => session.release() };
}

const webOptions = (threads: number): object => ({ executionProviders: ['wasm'], intraOpNumThreads: threads });

/** onnxruntime-web's ms per call of every shape at `threads` threads, from a child process (this file). */
function ortWebChildMs(threads: number): Record<string, number> {
  const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--ort-web-child', String(threads)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const line = child.stdout.trim().split('\n').pop() ?? '';
  if (child.status !== 0 || !line.startsWith('{')) throw new Error(`gemm bench: the onnxruntime-web child (${threads} threads) failed: ${child.stderr.slice(-500)}`);
  return JSON.parse(line) as Record<string, number>;
}

/**
 * Best ms per call of each engine: up to 5 calls after a warm-up call, stopping after ~0.4 s per
 * engine. On one thread the engines are called in alternation (one call each per round), so that
 * a slow spell of the shared machine falls on all of them alike; on more they take turns, because
 * onnxruntime's thread pools keep spinning for a while after a call and would steal the cores
 * from the next engine's call.
 */
async function bestMs(engines: readonly Engine[], alternate: boolean): Promise<number[]> {
  const timed = async (engine: Engine): Promise<number> => {
    const t = performance.now();
    await engine.call();
    return performance.now() - t;
  };
  const best = engines.map(() => Infinity);
  const budget = 400;
  if (alternate) {
    for (const engine of engines) await engine.call();
    const start = performance.now();
    for (let round = 0; round < 5 && (round === 0 || performance.now() - start < budget * engines.length); round++) {
      for (let i = 0; i < engines.length; i++) best[i] = Math.min(best[i], await timed(engines[i]));
    }
    return best;
  }
  for (let i = 0; i < engines.length; i++) {
    await engines[i].call();
    const start = performance.now();
    for (let round = 0; round < 5 && (round === 0 || performance.now() - start < budget); round++) best[i] = Math.min(best[i], await timed(engines[i]));
  }
  return best;
}

const gops = (s: number, ms: number): number => (2 * s ** 3) / (ms * 1e6);

export const gemmSection: BenchSection = {
  name: 'gemm',
  description: 'int8 (u8×s8, s8×s8, requantized) and fp32 GEMM 256³–1024³ at 1 and 2 threads: quantkit wasm vs onnxruntime-web and onnxruntime-node',
  async run() {
    const rows: BenchRow[] = [];
    gemmRecords.length = 0;
    const nodeOptions = (threads: number): object => ({ executionProviders: ['cpu'], intraOpNumThreads: threads, interOpNumThreads: 1, logSeverityLevel: 3 });
    for (const threads of THREADS) {
      await startKernelThreads(threads);
      // best ms per shape and engine (quantkit, onnxruntime-web, onnxruntime-node)
      const best = new Map<string, number[]>();
      const keep = (key: string, ms: readonly number[]): void => {
        const old = best.get(key);
        best.set(key, old === undefined ? [...ms] : old.map((t, i) => Math.min(t, ms[i])));
      };
      if (threads === 1) {
        // everything in this process: the engines alternate call by call
        ortWeb.env.wasm.numThreads = 1;
        ortWeb.env.logLevel = 'error';
        for (const s of SIZES) {
          for (const type of TYPES) {
            const ops = operands(type, s);
            const engines = [quantkitEngine(type, s, ops), await ortEngine(ortWeb, webOptions(1), type, s, ops), await ortEngine(ortNode, nodeOptions(1), type, s, ops)];
            try {
              keep(`${type} ${s}`, await bestMs(engines, true));
            } finally {
              for (const engine of engines) await engine.release();
            }
          }
        }
      } else {
        // onnxruntime-web's threads live in a child process, whose thread pool must not share the
        // cores with quantkit's: whole passes take turns instead, three rounds of (child, quantkit
        // and onnxruntime-node shape by shape), so a slow spell falls on every engine alike
        for (let round = 0; round < 3; round++) {
          const web = ortWebChildMs(threads);
          for (const s of SIZES) {
            for (const type of TYPES) {
              const ops = operands(type, s);
              // one engine at a time: a live onnxruntime session's thread pool spins beside quantkit's
              const ms: number[] = [];
              for (const make of [() => quantkitEngine(type, s, ops), () => ortEngine(ortNode, nodeOptions(threads), type, s, ops)]) {
                const engine = await make();
                try {
                  ms.push(...(await bestMs([engine], false)));
                } finally {
                  await engine.release();
                }
              }
              keep(`${type} ${s}`, [ms[0], web[`${type} ${s}`], ms[1]]);
            }
          }
        }
      }
      for (const s of SIZES) {
        for (const type of TYPES) {
          const [quantkit, webRate, native] = best.get(`${type} ${s}`)!.map((t) => gops(s, t));
          gemmRecords.push({ m: s, n: s, k: s, type, threads, quantkit_gops: quantkit, ort_web_gops: webRate, ort_node_gops: native });
          const workload = `${type} GEMM ${s}³, ${threads} thread${threads > 1 ? 's' : ''}`;
          const unit = type === 'fp32' ? 'GFLOP/s' : 'GOP/s';
          rows.push({ workload, engine: 'quantkit (wasm)', value: quantkit, unit, higherIsBetter: true, baseline: true });
          rows.push({ workload, engine: `onnxruntime-web ${ORT_OP[type]}`, value: webRate, unit, higherIsBetter: true });
          rows.push({ workload, engine: `onnxruntime-node ${ORT_OP[type]}`, value: native, unit, higherIsBetter: true });
        }
      }
    }
    await startKernelThreads(1);
    return rows;
  },
};

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === '--ort-web-child') {
  // onnxruntime-web at the given threads: ms per call of every shape, as one JSON line.
  const threads = Number(process.argv[3]);
  ortWeb.env.wasm.numThreads = threads;
  ortWeb.env.logLevel = 'error';
  const ms: Record<string, number> = {};
  for (const s of SIZES) {
    for (const type of TYPES) {
      const engine = await ortEngine(ortWeb, webOptions(threads), type, s, operands(type, s));
      [ms[`${type} ${s}`]] = await bestMs([engine], false);
      await engine.release();
    }
  }
  console.log(JSON.stringify(ms));
  process.exit(0);
}
