/**
 * Top-1 accuracy of a classifier over a labelled dataset, with any executor (float, simulated,
 * integer): the predicted class is the argmax of the first output's last dimension.
 */
import { DataError } from '../errors.ts';
import type { Dataset } from '../data/dataset.ts';
import type { Executor } from '../runtime/executor.ts';
import { feedSlice, fitInput } from './feed.ts';

export interface EvaluateOptions {
  /** Samples per run when the model's batch dimension is free (default 32). */
  readonly batchSize?: number;
  /** Called after every run with the samples done so far. */
  readonly onProgress?: (done: number, total: number | undefined) => void;
  /** Keep every sample's output row (e.g. to compare logits with another runtime). */
  readonly keepOutputs?: boolean;
}

export interface Evaluation {
  readonly samples: number;
  readonly correct: number;
  readonly top1: number;
  /** Predicted class per sample. */
  readonly predictions: Int32Array;
  /** Output rows, back to back, when keepOutputs was set. */
  readonly outputs?: Float32Array;
  readonly classes: number;
}

export async function evaluate(executor: Executor, dataset: Dataset, options: EvaluateOptions = {}): Promise<Evaluation> {
  const graph = executor.model.graph;
  if (graph.inputs.length !== 1) throw new DataError(`evaluation feeds one input; the model has ${graph.inputs.length} (${graph.inputs.map((i) => i.name).join(', ')})`);
  const fit = fitInput(graph.inputs[0], dataset.sampleShape, options.batchSize);
  const outputName = graph.outputs[0].name;
  const predictions: number[] = [];
  const outputs: number[] = [];
  let correct = 0;
  let classes = 0;
  for await (const batch of dataset.batches(fit.batchSize)) {
    if (batch.labels === undefined) throw new DataError('evaluation needs labels; the dataset has none');
    const n = batch.input.shape[0];
    for (let start = 0; start < n; start += fit.batchSize) {
      const count = Math.min(fit.batchSize, n - start);
      if (fit.fixedBatch && count !== fit.batchSize) {
        throw new DataError(`the model runs batches of exactly ${fit.batchSize}; ${count} samples are left over`);
      }
      const result = await executor.run({ [fit.name]: feedSlice(batch.input, start, count, fit) });
      const output = result[outputName];
      const rows = output.shape.length === 0 ? 1 : output.shape[0];
      if (rows !== count) throw new DataError(`output ${outputName} has ${rows} rows for ${count} samples`);
      classes = output.data.length / count;
      for (let r = 0; r < count; r++) {
        let best = 0;
        for (let c = 1; c < classes; c++) if (output.data[r * classes + c] > output.data[r * classes + best]) best = c;
        predictions.push(best);
        if (best === batch.labels[start + r]) correct++;
        if (options.keepOutputs) for (let c = 0; c < classes; c++) outputs.push(output.data[r * classes + c]);
      }
    }
    options.onProgress?.(predictions.length, dataset.size);
  }
  if (predictions.length === 0) throw new DataError('evaluation: the dataset is empty');
  return {
    samples: predictions.length,
    correct,
    top1: correct / predictions.length,
    predictions: Int32Array.from(predictions),
    classes,
    ...(options.keepOutputs ? { outputs: Float32Array.from(outputs) } : {}),
  };
}
