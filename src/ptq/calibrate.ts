/**
 * Calibration: run the float model over calibration samples and let observers watch every float
 * activation. Observers are streaming, so memory does not grow with the number of samples, and
 * the statistics do not depend on bit widths or methods: one calibration serves every plan.
 */
import { HistogramObserver, type HistogramState } from '../calib/observers/histogram.ts';
import { MinMaxObserver, type MinMaxState } from '../calib/observers/minmax.ts';
import { scanExtremes } from '../calib/observers/observer.ts';
import { limitDataset, type Dataset } from '../data/dataset.ts';
import { DataError } from '../errors.ts';
import { feedSlice, fitInput } from '../eval/feed.ts';
import type { Model } from '../ir/graph.ts';
import { createExecutor } from '../runtime/executor.ts';
import { floatKernels } from '../runtime/kernels/float/register.ts';
import { floatActivationTest } from './targets.ts';

export interface TensorStatistics {
  readonly minmax: MinMaxObserver;
  readonly histogram?: HistogramObserver;
}

export interface Calibration {
  /** Samples observed. */
  readonly samples: number;
  /** Samples dropped for NaN/±∞ activations (with skipNonFinite). */
  readonly skipped: number;
  readonly stats: ReadonlyMap<string, TensorStatistics>;
}

export interface CalibrateOptions {
  /** Keep 2048-bin histograms (needed by percentile, mse and entropy). */
  readonly histogram: boolean;
  /** Tensors to observe (default: every float activation, so any later plan finds its statistics). */
  readonly tensors?: readonly string[];
  /** Samples used at most. */
  readonly limit: number;
  /** Drop samples with NaN/±∞ activations instead of failing. */
  readonly skipNonFinite?: boolean;
  /** Samples per run when the model's batch is free (default 8; 1 with skipNonFinite). */
  readonly batchSize?: number;
  readonly onProgress?: (done: number, total: number | undefined) => void;
}

export async function calibrate(model: Model, dataset: Dataset, options: CalibrateOptions): Promise<Calibration> {
  const graph = model.graph;
  if (graph.inputs.length !== 1) throw new DataError(`calibration feeds one input; the model has ${graph.inputs.length}`);
  const isActivation = floatActivationTest(graph);
  const stats = new Map<string, TensorStatistics>();
  const track = (name: string) => {
    if (!stats.has(name) && isActivation(name)) stats.set(name, { minmax: new MinMaxObserver(), ...(options.histogram ? { histogram: new HistogramObserver() } : {}) });
  };
  if (options.tensors !== undefined) options.tensors.forEach(track);
  else {
    for (const input of graph.inputs) track(input.name);
    for (const node of graph.nodes) node.outputs.forEach(track);
  }

  const executor = createExecutor(model, floatKernels());
  const fit = fitInput(graph.inputs[0], dataset.sampleShape, options.skipNonFinite ? 1 : (options.batchSize ?? 8));
  const limited = limitDataset(dataset, options.limit);
  let samples = 0;
  let skipped = 0;
  for await (const batch of limited.batches(fit.batchSize)) {
    const n = batch.input.shape[0];
    for (let start = 0; start < n; start += fit.batchSize) {
      const count = Math.min(fit.batchSize, n - start);
      if (fit.fixedBatch && count !== fit.batchSize) throw new DataError(`the model runs batches of exactly ${fit.batchSize}; ${count} calibration samples are left over`);
      // Values are read once as they are computed (extremes, non-finite check and, with
      // histograms, binning: HistogramObserver.stage) and committed only once the whole run is
      // clean; a dropped run's staged batches are discarded, so a skipped sample leaves no trace.
      const seen: { observers: TensorStatistics; length: number; min: number; max: number }[] = [];
      let bad: { name: string; data: ArrayLike<number>; index: number } | undefined;
      await executor.run({ [fit.name]: feedSlice(batch.input, start, count, fit) }, {
        onValue: (name, value) => {
          const s = bad === undefined ? stats.get(name) : undefined;
          if (s === undefined) return;
          const data = value.data as Float32Array; // float32 activations only (see track)
          const { min, max, nonFinite } = s.histogram ? s.histogram.stage(data) : scanExtremes(data);
          if (nonFinite >= 0) bad = { name, data, index: nonFinite };
          else seen.push({ observers: s, length: data.length, min, max });
        },
      });
      if (bad !== undefined) {
        for (const { observers } of seen) observers.histogram?.discard();
        if (options.skipNonFinite) {
          skipped += count;
          continue;
        }
        const perSample = bad.data.length / count;
        throw new DataError(
          `calibration sample ${samples + skipped + Math.floor(bad.index / perSample)}: tensor ${bad.name} holds ${bad.data[bad.index]} (use --skip-nonfinite to drop such samples)`,
        );
      }
      for (const { observers, length, min, max } of seen) {
        observers.minmax.record(min, max, length);
        observers.histogram?.commit();
      }
      samples += count;
    }
    options.onProgress?.(samples + skipped, limited.size);
  }
  if (samples === 0) {
    throw new DataError(skipped > 0 ? `calibration: all ${skipped} samples held NaN/±∞ activations` : 'calibration: the dataset is empty');
  }
  return { samples, skipped, stats };
}

/** Plain-JSON form of a calibration (`quantkit calibrate --save`). */
export interface CalibrationJSON {
  readonly samples: number;
  readonly skipped: number;
  readonly tensors: Record<string, { minmax: MinMaxState; histogram?: HistogramState }>;
}

export function calibrationToJSON(calibration: Calibration): CalibrationJSON {
  const tensors: CalibrationJSON['tensors'] = {};
  for (const [name, s] of calibration.stats) tensors[name] = { minmax: s.minmax.toJSON(), ...(s.histogram ? { histogram: s.histogram.toJSON() } : {}) };
  return { samples: calibration.samples, skipped: calibration.skipped, tensors };
}

export function calibrationFromJSON(json: CalibrationJSON, what = 'calibration JSON'): Calibration {
  if (typeof json !== 'object' || json === null || typeof json.tensors !== 'object' || json.tensors === null) {
    throw new DataError(`${what}: expected {samples, skipped, tensors}`);
  }
  const stats = new Map<string, TensorStatistics>();
  for (const [name, entry] of Object.entries(json.tensors)) {
    if (entry?.minmax?.kind !== 'minmax') throw new DataError(`${what}: tensor ${name} has no min/max statistics`);
    // JSON turns ±∞ (an empty observer) into null.
    const minmax = MinMaxObserver.fromJSON({ ...entry.minmax, min: entry.minmax.min ?? Infinity, max: entry.minmax.max ?? -Infinity });
    stats.set(name, { minmax, ...(entry.histogram ? { histogram: HistogramObserver.fromJSON(entry.histogram) } : {}) });
  }
  return { samples: json.samples, skipped: json.skipped, stats };
}
