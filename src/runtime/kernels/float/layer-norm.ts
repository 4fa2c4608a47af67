/**
 * LayerNormalization (ONNX-17): normalise over the trailing axes [axis, rank):
 *   Mean = mean(X), D = X − Mean, Var = mean(D²), InvStdDev = 1 / sqrt(Var + epsilon),
 *   Y = D · InvStdDev · Scale + B,
 * with Scale and the optional B broadcast to the normalised shape X.shape[axis:]. Mean and
 * InvStdDev (optional outputs) have X's shape with the normalised axes set to 1, in the
 * stash_type precision (float32 by default). Statistics accumulate in float64.
 */
import { ShapeError } from '../../../errors.ts';
import { dtypeFromOnnx, isFloat } from '../../../ir/dtype.ts';
import { attrFloat, attrInt } from '../../../ir/attributes.ts';
import type { Node } from '../../../ir/graph.ts';
import { formatShape, stridesOf, type Tensor } from '../../../ir/tensor.ts';
import type { KernelConfig } from '../../kernel.ts';
import { broadcastStrides } from './broadcast.ts';
import { allocateFloat, floatInput, floatResult, optionalFloatInput, sameFloatInput, type FloatArray } from './float-io.ts';
import { nodeLabel, normalizeAxis } from './node-io.ts';

/**
 * Normalises each of the `rows` contiguous groups of `size` elements of x; scale and bias hold
 * `size` values (already broadcast). Writes y and, per row, mean and invStdDev.
 */
export function layerNormImpl(
  x: FloatArray,
  rows: number,
  size: number,
  scale: ArrayLike<number>,
  bias: ArrayLike<number> | undefined,
  epsilon: number,
  y: FloatArray,
  mean: FloatArray,
  invStdDev: FloatArray,
): void {
  for (let r = 0; r < rows; r++) {
    const start = r * size;
    let sum = 0;
    for (let i = 0; i < size; i++) sum += x[start + i];
    const mu = sum / size;
    let squares = 0;
    for (let i = 0; i < size; i++) squares += (x[start + i] - mu) ** 2;
    const inv = 1 / Math.sqrt(squares / size + epsilon);
    for (let i = 0; i < size; i++) y[start + i] = (x[start + i] - mu) * inv * scale[i] + (bias === undefined ? 0 : bias[i]);
    mean[r] = mu;
    invStdDev[r] = inv;
  }
}

/** Expands a tensor unidirectionally broadcastable to `shape` into a dense float64 array. */
function expandTo(t: Tensor, shape: readonly number[], where: string, what: string): Float64Array {
  const shift = shape.length - t.shape.length;
  if (shift < 0 || t.shape.some((d, i) => d !== 1 && d !== shape[shift + i])) {
    throw new ShapeError(`${where}: ${what} ${formatShape(t.shape)} does not broadcast to the normalised shape ${formatShape(shape)}`);
  }
  const strides = broadcastStrides(t.shape, shape);
  const outStrides = stridesOf(shape);
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    let at = 0;
    let rest = i;
    for (let axis = 0; axis < shape.length; axis++) {
      const coordinate = Math.floor(rest / outStrides[axis]);
      rest -= coordinate * outStrides[axis];
      at += coordinate * strides[axis];
    }
    out[i] = t.data[at];
  }
  return out;
}

function layerNorm(inputs: readonly (Tensor | undefined)[], node: Node): Tensor[] {
  const label = nodeLabel(node);
  const x = floatInput(inputs, 0, node, 'X');
  const scaleInput = sameFloatInput(inputs, 1, node, 'Scale', x.dtype);
  const biasInput = optionalFloatInput(inputs, 2, node, 'B', x.dtype);
  const rank = x.shape.length;
  const axis = normalizeAxis(attrInt(node, 'axis', -1), rank, label);
  const normalised = x.shape.slice(axis);
  const size = normalised.reduce((a, b) => a * b, 1);
  const rows = x.shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const stashCode = attrInt(node, 'stash_type', 1);
  const stash = dtypeFromOnnx(stashCode);
  if (stash === undefined || !isFloat(stash) || stash.startsWith('float8')) throw new ShapeError(`${label}: stash_type ${stashCode} is not a float type`);
  const scale = expandTo(scaleInput, normalised, label, 'Scale');
  const bias = biasInput === undefined ? undefined : expandTo(biasInput, normalised, label, 'B');
  const y = allocateFloat(x.dtype, x.data.length);
  const mean = allocateFloat(stash, rows);
  const invStdDev = allocateFloat(stash, rows);
  layerNormImpl(x.data, rows, size, scale, bias, attrFloat(node, 'epsilon', 1e-5), y, mean, invStdDev);
  const statShape = [...x.shape.slice(0, axis), ...normalised.map(() => 1)];
  return [floatResult(x.dtype, x.shape, y), floatResult(stash, statShape, mean), floatResult(stash, statShape, invStdDev)];
}

export const layerNormConfig: KernelConfig = { op: 'LayerNormalization', impl: layerNorm };
