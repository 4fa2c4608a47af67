/**
 * `quantkit bench <model.onnx>`: milliseconds per run of a model on seeded random inputs, with
 * one of quantkit's engines (auto, as eval: integer for quantized models, float otherwise), on
 * 1 or more kernel threads, and optionally against onnxruntime-node on the same file and inputs.
 * Runs are timed one by one (wall clock, after warm-up runs); the median and the 90th percentile
 * are reported. Load on the machine is not controlled: compare runs made under the same load.
 */
import type { Command } from 'commander';
import type { Model, ValueInfo } from '../../ir/graph.ts';
import { DTYPES, isFloat, type DType } from '../../ir/dtype.ts';
import { tensor, type Tensor } from '../../ir/tensor.ts';
import { seededRandom } from '../../numeric/rounding.ts';
import { turnIfDue } from '../../runtime/event-loop.ts';
import { UsageError } from '../errors.ts';
import { ENGINES, executorFor, type Engine } from '../engine.ts';
import { loadModel } from '../files.ts';
import { threadsOption } from '../threads.ts';
import { wasmStatus } from '../../runtime/wasm/index.ts';
import { printJson, table } from '../format.ts';
import { numberIn, oneOf, positiveInt } from '../options.ts';

interface BenchOptions {
  engine: Engine;
  batch: number;
  runs: number;
  warmup: number;
  threads: number;
  seed: number;
  ort?: boolean;
  json?: boolean;
}

/** Median, 90th percentile (nearest rank) and throughput of a list of run times. */
interface Timing {
  readonly median_ms: number;
  readonly p90_ms: number;
  readonly samples_per_s: number;
}

type OrtResult = ({ readonly available: true; readonly version: string } & Timing) | { readonly available: false; readonly reason: string };

export function benchCommand(program: Command): void {
  const command = program
    .command('bench')
    .description('time a model: median and p90 ms per run on seeded random inputs, optionally against onnxruntime-node')
    .argument('<model>', 'ONNX model file, float or quantized (QDQ or QOperator)')
    .option('--engine <engine>', 'auto (integer for quantized models, float otherwise), float, simulated (fake-quant, ONNX semantics) or integer', oneOf<Engine>('--engine', ENGINES), 'auto')
    .option('--batch <n>', 'samples per run: the size of a symbolic first (batch) dimension; a fixed one is kept', positiveInt('--batch'), 1)
    .option('--runs <n>', 'timed runs', positiveInt('--runs'), 50)
    .option('--warmup <n>', 'untimed runs before the timed ones', numberIn('--warmup', (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer'), 5)
    .option('--seed <n>', 'seed of the random inputs', numberIn('--seed', (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer'), 1)
    .option('--ort', 'also time onnxruntime-node on the same file and inputs (same thread count) and print quantkit/ort')
    .option('--json', 'print one JSON object: {"model", "engine", "batch", "runs", "threads", "wasm", "quantkit", "ort", "ratio"}');
  threadsOption(command, '1')
    .addHelpText(
      'after',
      `
Random inputs (seeded): floats uniform in [0, 1); 8-bit integers over their whole range;
wider integers (indices, token ids) and bools 0 or 1. Times are wall clock per run, after
the warm-up runs; the ratio is quantkit median / onnxruntime median (above 1: slower).

Examples:
  quantkit bench models/mnist-8.onnx --runs 100
  quantkit bench out/mnist-8.int8.onnx --engine integer --threads auto --ort
  quantkit bench models/mnist-8.onnx --engine float --runs 20 --warmup 2 --json`,
    )
    .action(async (path: string, options: BenchOptions, command: Command) => {
      const loaded = loadModel(path);
      const { feeds, batch } = randomFeeds(loaded.model, options.batch, command.getOptionValueSource('batch') === 'cli', options.seed);
      const { executor, engine, floatNodes } = executorFor(loaded.model, options.engine);
      const threads = options.threads;
      const wasm = wasmStatus(); // the kernel threads were started by main.ts for --threads
      const quantkit = summarize(await timeRuns(() => executor.runSync(feeds), options.warmup, options.runs), batch);
      const ort = options.ort ? await timeOrt(path, feeds, threads, batch, options) : undefined;
      const ratio = ort?.available ? quantkit.median_ms / ort.median_ms : undefined;
      if (options.json) {
        return printJson({
          model: path,
          engine,
          batch,
          runs: options.runs,
          warmup: options.warmup,
          threads,
          wasm: { active: wasm.active, relaxed: wasm.relaxed, threads: wasm.threads },
          quantkit,
          ...(ort ? { ort } : {}),
          ...(ratio !== undefined ? { ratio } : {}),
          ...(floatNodes && floatNodes.length > 0 ? { float_nodes: floatNodes } : {}),
        });
      }
      const kernels = wasm.active ? `wasm${wasm.relaxed ? ' relaxed' : ''} SIMD on ${wasm.threads} thread${wasm.threads > 1 ? 's' : ''}` : `TypeScript (${wasm.notes.join('; ') || 'wasm off'})`;
      console.log(`${path}: batch ${batch}, ${options.runs} runs after ${options.warmup} warm-up; kernels: ${kernels}\n`);
      const rows = [timingRow(`quantkit (${engine})`, quantkit)];
      if (ort?.available) rows.push(timingRow(`onnxruntime-node ${ort.version} (${threads} thread${threads > 1 ? 's' : ''})`, ort));
      console.log(table(['engine', 'median ms', 'p90 ms', 'samples/s'], rows));
      if (ort && !ort.available) console.log(`\nonnxruntime-node: unavailable (${ort.reason})`);
      if (ratio !== undefined) console.log(`\nquantkit/ort: ${ratio.toFixed(2)}× the time of onnxruntime-node (median)`);
      if (floatNodes && floatNodes.length > 0) console.log(`run in float by the integer executor: ${floatNodes.join(', ')}`);
    });
}

/**
 * The concrete shape of a graph input: a symbolic first (batch) dimension becomes `batch`. A fixed
 * one stays (it is the model's batch, or not a batch at all), unless --batch was given and differs.
 */
function inputShape(input: ValueInfo, batch: number, batchGiven: boolean): number[] {
  const declared = input.shape;
  if (declared === undefined) throw new UsageError(`model input ${input.name} declares no shape; bench cannot make inputs for it`);
  const shown = `[${declared.map((d) => d ?? '?').join(', ')}]`;
  return declared.map((dim, axis) => {
    if (typeof dim === 'number') {
      if (axis === 0 && batchGiven && dim !== batch) throw new UsageError(`model input ${input.name} ${shown} has a fixed first dimension of ${dim}; --batch ${batch} cannot apply`);
      return dim;
    }
    if (axis === 0) return batch;
    throw new UsageError(`model input ${input.name} ${shown} has a symbolic dimension ${axis} besides the batch; bench cannot choose its size`);
  });
}

/**
 * Seeded random feeds for every graph input (see the help text for the value ranges), and the
 * samples per run: the first input's first dimension (1 for a scalar input).
 */
function randomFeeds(model: Model, batch: number, batchGiven: boolean, seed: number): { feeds: Record<string, Tensor>; batch: number } {
  const random = seededRandom(seed);
  const feeds: Record<string, Tensor> = {};
  let samples: number | undefined;
  for (const input of model.graph.inputs) {
    const dtype: DType = input.dtype ?? 'float32';
    const shape = inputShape(input, batch, batchGiven);
    samples ??= shape[0] ?? 1;
    const value = tensor(dtype, shape, undefined, `input ${input.name}`);
    const data = value.data;
    const info = DTYPES[dtype];
    if (isFloat(dtype)) {
      for (let i = 0; i < data.length; i++) data[i] = random();
    } else {
      const min = info.kind === 'bool' ? 0 : info.bits <= 8 ? (info.min ?? 0) : Math.max(0, info.min ?? 0);
      const max = info.kind === 'bool' ? 1 : info.bits <= 8 ? (info.max ?? 0) : Math.min(1, info.max ?? 1);
      for (let i = 0; i < data.length; i++) data[i] = min + Math.floor(random() * (max - min + 1));
    }
    feeds[input.name] = value;
  }
  return { feeds, batch: samples ?? batch };
}

/** Milliseconds of each of `runs` calls of `run`, after `warmup` untimed ones; the event loop turns between runs, never inside one. */
async function timeRuns(run: () => unknown, warmup: number, runs: number): Promise<number[]> {
  for (let i = 0; i < warmup; i++) {
    await run();
    await turnIfDue();
  }
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
    await turnIfDue();
  }
  return times;
}

/** Median (the mean of the middle two for an even count), p90 by nearest rank, and samples per second at the median. */
function summarize(times: readonly number[], batch: number): Timing {
  const sorted = [...times].sort((a, b) => a - b);
  const n = sorted.length;
  const median = n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  const p90 = sorted[Math.max(0, Math.ceil(0.9 * n) - 1)];
  return { median_ms: median, p90_ms: p90, samples_per_s: median > 0 ? (batch * 1000) / median : Infinity };
}

function timingRow(name: string, timing: Timing): string[] {
  return [name, formatMs(timing.median_ms), formatMs(timing.p90_ms), timing.samples_per_s >= 100 ? timing.samples_per_s.toFixed(0) : timing.samples_per_s.toFixed(1)];
}

function formatMs(ms: number): string {
  return ms < 10 ? ms.toFixed(3) : ms < 100 ? ms.toFixed(2) : ms.toFixed(1);
}

type Ort = typeof import('onnxruntime-node');
type OrtTensorType = 'float32' | 'float64' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64' | 'bool';

/** Our tensor as an onnxruntime tensor, or a reason it cannot be one. */
function ortTensor(ort: Ort, name: string, value: Tensor): InstanceType<Ort['Tensor']> | string {
  const dims = value.shape;
  const data = value.data;
  switch (value.dtype as OrtTensorType) {
    case 'int64':
      return new ort.Tensor('int64', BigInt64Array.from(data, (x) => BigInt(x)), dims);
    case 'uint64':
      return new ort.Tensor('uint64', BigUint64Array.from(data, (x) => BigInt(x)), dims);
    case 'float32':
    case 'float64':
    case 'int8':
    case 'uint8':
    case 'int16':
    case 'uint16':
    case 'int32':
    case 'uint32':
    case 'bool':
      return new ort.Tensor(value.dtype as OrtTensorType, data as never, dims);
    default:
      return `input ${name} is ${value.dtype}, which this command does not pass to onnxruntime`;
  }
}

/** onnxruntime-node on the model file with the same feeds and thread count, or why it could not run. */
async function timeOrt(path: string, feeds: Readonly<Record<string, Tensor>>, threads: number, batch: number, options: BenchOptions): Promise<OrtResult> {
  let ort: Ort;
  try {
    ort = await import('onnxruntime-node');
  } catch (error) {
    return { available: false, reason: `cannot load onnxruntime-node: ${message(error)}` };
  }
  const ortFeeds: Record<string, InstanceType<Ort['Tensor']>> = {};
  for (const [name, value] of Object.entries(feeds)) {
    const converted = ortTensor(ort, name, value);
    if (typeof converted === 'string') return { available: false, reason: converted };
    ortFeeds[name] = converted;
  }
  let session: Awaited<ReturnType<Ort['InferenceSession']['create']>>;
  try {
    session = await ort.InferenceSession.create(path, { executionProviders: ['cpu'], intraOpNumThreads: threads, interOpNumThreads: 1, logSeverityLevel: 3 });
  } catch (error) {
    return { available: false, reason: `onnxruntime-node cannot load the model: ${message(error)}` };
  }
  try {
    const times = await timeRuns(() => session.run(ortFeeds), options.warmup, options.runs);
    return { available: true, version: ort.env.versions?.node ?? ort.env.versions?.common ?? 'unknown', ...summarize(times, batch) };
  } catch (error) {
    return { available: false, reason: `onnxruntime-node failed to run the model: ${message(error)}` };
  } finally {
    await session.release();
  }
}

function message(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ');
}
