/**
 * Fitting dataset batches to a model's input: the model declares its input shape (often with a
 * fixed batch of 1, like mnist-8's [1, 1, 28, 28]); the dataset yields [n, ...sample]. A sample
 * fits when its element count equals the model's per-sample count; it is then reshaped.
 */
import { DataError } from '../errors.ts';
import type { ValueInfo } from '../ir/graph.ts';
import { tensor, type Tensor } from '../ir/tensor.ts';

export interface InputFit {
  readonly name: string;
  /** Samples per run: the model's fixed batch dimension, or the requested batch size. */
  readonly batchSize: number;
  /** True when the batch dimension is fixed by the model (runs must be exactly that size). */
  readonly fixedBatch: boolean;
  /** The model's per-sample shape, with unknown dims filled from the dataset. */
  readonly sampleShape: readonly number[];
}

/** How `dataSampleShape` samples feed `input`; a DataError says why they cannot. */
export function fitInput(input: ValueInfo, dataSampleShape: readonly number[], requestedBatch = 32): InputFit {
  const declared = input.shape;
  const sampleCount = dataSampleShape.reduce((a, b) => a * b, 1);
  if (declared === undefined || declared.length === 0) {
    return { name: input.name, batchSize: requestedBatch, fixedBatch: false, sampleShape: [...dataSampleShape] };
  }
  const [batchDim, ...rest] = declared;
  const fixedBatch = typeof batchDim === 'number';
  const batchSize = fixedBatch ? batchDim : requestedBatch;
  if (batchSize < 1) throw new DataError(`model input ${input.name} has batch dimension ${batchDim}`);
  // Known dims must multiply to the sample size; at most one unknown dim is solved for.
  const known = rest.filter((d): d is number => typeof d === 'number');
  const knownCount = known.reduce((a, b) => a * b, 1);
  const unknown = rest.length - known.length;
  let sampleShape: number[];
  if (unknown === 0) {
    sampleShape = rest as number[];
  } else if (rest.length === dataSampleShape.length && rest.every((d, i) => typeof d !== 'number' || d === dataSampleShape[i])) {
    sampleShape = [...dataSampleShape];
  } else if (unknown === 1 && knownCount > 0 && sampleCount % knownCount === 0) {
    sampleShape = rest.map((d) => (typeof d === 'number' ? d : sampleCount / knownCount));
  } else {
    throw new DataError(`model input ${input.name} [${declared.map((d) => d ?? '?').join(', ')}] cannot take samples of shape [${dataSampleShape.join(', ')}]`);
  }
  const modelCount = sampleShape.reduce((a, b) => a * b, 1);
  if (modelCount !== sampleCount) {
    throw new DataError(
      `model input ${input.name} expects samples of shape [${sampleShape.join(', ')}] (${modelCount} values), the data has [${dataSampleShape.join(', ')}] (${sampleCount} values); check the dataset or the model's preprocessing`,
    );
  }
  return { name: input.name, batchSize, fixedBatch, sampleShape };
}

/** Samples [start, start + n) of a batch tensor [N, ...] as a feed of shape [n, ...fit.sampleShape]. */
export function feedSlice(batch: Tensor, start: number, n: number, fit: InputFit): Tensor {
  const sampleSize = fit.sampleShape.reduce((a, b) => a * b, 1);
  const data = (batch.data as Float32Array).subarray(start * sampleSize, (start + n) * sampleSize);
  return tensor('float32', [n, ...fit.sampleShape], data);
}
