/**
 * Per-tensor diagnostics of a quantized model: for every quantized activation, how far the
 * simulated (fake-quant) network's value drifts from the float network's at that tensor — the
 * SQNR accumulated over samples, which includes the errors of every layer before it.
 */
import type { Dataset } from '../data/dataset.ts';
import { feedSlice, fitInput } from '../eval/feed.ts';
import { limitDataset } from '../data/dataset.ts';
import type { Model } from '../ir/graph.ts';
import { SqnrAccumulator } from '../numeric/error.ts';
import type { Executor } from '../runtime/executor.ts';
import type { QuantPlan } from './plan.ts';

export interface LayerReport {
  readonly tensor: string;
  readonly group: string;
  readonly bits: number;
  readonly scale: number;
  readonly zeroPoint: number;
  readonly range: readonly [number, number];
  /** Float vs simulated value of this tensor, in dB. */
  readonly sqnrDb: number;
  /** Fraction of calibration values outside the range (saturated). */
  readonly clippedFraction: number;
}

export async function layerReports(
  float: Executor,
  simulated: Executor,
  dequantized: ReadonlyMap<string, string>,
  plan: QuantPlan,
  dataset: Dataset,
  samples: number,
): Promise<LayerReport[]> {
  const model: Model = float.model;
  const fit = fitInput(model.graph.inputs[0], dataset.sampleShape, 8);
  const tensors = [...plan.activations.keys()];
  const sqnr = new Map(tensors.map((t) => [t, new SqnrAccumulator()]));
  const floatFetch = tensors.filter((t) => !model.graph.inputs.some((i) => i.name === t));
  const simulatedFetch = tensors.map((t) => dequantized.get(t) ?? t);
  for await (const batch of limitDataset(dataset, samples).batches(fit.batchSize)) {
    const n = batch.input.shape[0];
    for (let start = 0; start < n; start += fit.batchSize) {
      const count = Math.min(fit.batchSize, n - start);
      if (fit.fixedBatch && count !== fit.batchSize) break;
      const feed = { [fit.name]: feedSlice(batch.input, start, count, fit) };
      const a = { ...(await float.run(feed, { fetch: floatFetch })), ...feed };
      const b = await simulated.run(feed, { fetch: simulatedFetch });
      for (const t of tensors) sqnr.get(t)!.add(a[t].data, b[dequantized.get(t) ?? t].data);
    }
  }
  return tensors.map((t) => {
    const p = plan.activations.get(t)!;
    return {
      tensor: t,
      group: p.group,
      bits: p.params.bits,
      scale: p.params.scale[0],
      zeroPoint: p.params.zeroPoint[0],
      range: [p.range.min, p.range.max] as const,
      sqnrDb: sqnr.get(t)!.db,
      clippedFraction: p.clippedFraction,
    };
  });
}
