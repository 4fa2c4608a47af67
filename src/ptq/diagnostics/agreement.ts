/**
 * How closely integer-only execution follows simulated (fake-quant) execution: for every
 * quantized activation, the integer codes q both runtimes produce on the same samples, and how
 * many elements differ by 0, 1 or ≥ 2 LSB. Simulated quantization requantizes in float
 * (eq. (2) of the float product), the integer runtime in fixed point (eqs. (14)–(18a)); a 1-LSB
 * difference is a rounding tie decided differently, more is an error propagated from earlier layers.
 */
import type { Dataset } from '../../data/dataset.ts';
import { limitDataset } from '../../data/dataset.ts';
import { feedSlice, fitInput } from '../../eval/feed.ts';
import type { Model } from '../../ir/graph.ts';
import type { Tensor } from '../../ir/tensor.ts';
import type { Executor } from '../../runtime/executor.ts';

export interface LsbAgreement {
  readonly tensor: string;
  /** The integer value compared: the QuantizeLinear (or Clip) output feeding the tensor's DequantizeLinear. */
  readonly value: string;
  readonly samples: number;
  readonly elements: number;
  /** Elements whose codes differ by 0, 1 and ≥ 2 LSB. */
  readonly counts: [number, number, number];
  readonly maxLsb: number;
}

/**
 * Compares the codes of every quantized activation over the first `samples` samples.
 * `dequantized` maps each quantized activation to the DequantizeLinear output holding it in the
 * simulated (QDQ) model; activations whose codes the integer model does not compute are skipped.
 */
export async function integerAgreement(
  simulated: Executor,
  integer: Executor,
  dequantized: ReadonlyMap<string, string>,
  dataset: Dataset,
  samples: number,
): Promise<LsbAgreement[]> {
  const codes = codeValues(simulated.model, dequantized);
  const integerValues = nodeOutputs(integer.model);
  const compared = [...codes].filter(([, value]) => integerValues.has(value));
  const fetch = compared.map(([, value]) => value);
  const totals = new Map(compared.map(([tensor, value]) => [tensor, { tensor, value, samples: 0, elements: 0, counts: [0, 0, 0] as [number, number, number], maxLsb: 0 }]));
  for await (const { feed, size } of sampleFeeds(simulated.model, dataset, samples)) {
    const a = await simulated.run(feed, { fetch });
    const b = await integer.run(feed, { fetch });
    for (const [tensor, value] of compared) {
      const total = totals.get(tensor)!;
      const x = a[value].data;
      const y = b[value].data;
      for (let i = 0; i < x.length; i++) {
        const d = Math.abs(Number(x[i]) - Number(y[i]));
        total.counts[d === 0 ? 0 : d === 1 ? 1 : 2]++;
        if (d > total.maxLsb) total.maxLsb = d;
      }
      total.elements += x.length;
      total.samples += size;
    }
  }
  return [...totals.values()];
}

/** Quantized activation → the integer value its DequantizeLinear reads. */
function codeValues(model: Model, dequantized: ReadonlyMap<string, string>): Map<string, string> {
  const readers = new Map<string, string>();
  for (const node of model.graph.nodes) if (node.opType === 'DequantizeLinear') readers.set(node.outputs[0], node.inputs[0]);
  const codes = new Map<string, string>();
  for (const [tensor, value] of dequantized) {
    const code = readers.get(value);
    if (code !== undefined) codes.set(tensor, code);
  }
  return codes;
}

function nodeOutputs(model: Model): Set<string> {
  return new Set(model.graph.nodes.flatMap((n) => n.outputs));
}

/** The first `count` samples as feeds of the model's batch size (a fixed-size model drops a short last batch). */
async function* sampleFeeds(model: Model, dataset: Dataset, count: number): AsyncGenerator<{ feed: Record<string, Tensor>; size: number }> {
  const fit = fitInput(model.graph.inputs[0], dataset.sampleShape, 8);
  for await (const batch of limitDataset(dataset, count).batches(fit.batchSize)) {
    const n = batch.input.shape[0];
    for (let start = 0; start < n; start += fit.batchSize) {
      const size = Math.min(fit.batchSize, n - start);
      if (fit.fixedBatch && size !== fit.batchSize) return;
      yield { feed: { [fit.name]: feedSlice(batch.input, start, size, fit) }, size };
    }
  }
}
