/**
 * The integer core of MatMulInteger, ConvInteger, QLinearMatMul and QLinearConv: operands with
 * their zero points subtracted (docs/QUANTIZATION.md eq. (10)), multiplied with the float
 * kernels' GEMM / convolution, and the int32 accumulator of eq. (12).
 *
 * Why float kernels give the exact integer result: the centred operands are integers with
 * |q − z| ≤ 510, so every product and every partial sum (in any order, any blocking) is an
 * integer of magnitude at most K·max|a|·max|b|. Below 2^24 that is exact in float32 — the fast
 * float32 kernels (blocked sgemm, the direct convolution) — and otherwise below 2^53 in float64
 * (K < 2^34). Storing
 * the exact sum into an Int32Array keeps it modulo 2^32: what an int32 accumulator that may wrap
 * (the spec: "accumulation may overflow if and only if in 32 bits") would hold, since wrapping
 * commutes with addition. Padding of the convolution is 0 in centred terms, i.e. the zero point:
 * the exact real zero (eq. (7)).
 *
 * integer-reference.ts computes the same with plain int32 loops (Math.imul); tests hold the two
 * equal.
 */
import { ShapeError } from '../../../errors.ts';
import type { TensorData } from '../../../ir/dtype.ts';
import { formatShape, sameShape, shapeSize, type Tensor } from '../../../ir/tensor.ts';
import { applyBinary } from '../float/broadcast.ts';
import { convImpl, type ConvDims } from '../float/conv.ts';
import type { FloatArray } from '../float/float-io.ts';
import { im2colRows } from '../float/im2col.ts';
import { matmulImpl, type MatMulPlan } from '../float/matmul.ts';
import type { Window } from '../float/window.ts';

/** An operand minus its zero point: exact integers in float64, and their largest magnitude. */
export interface Centered {
  readonly data: Float64Array;
  readonly maxAbs: number;
}

/** Largest K·max|a|·max|b| for which float32 sums are exact (every integer up to 2^24 is a float32). */
const FLOAT32_EXACT = 2 ** 24;

/**
 * x − zeroPoint, the zero point (of shape `zeroPointShape`, already arranged to broadcast) taken
 * unidirectionally against x's shape. eq. (10)
 * @throws ShapeError naming `where` and `what` when the zero point does not broadcast to x.
 */
export function centered(x: Tensor, zeroPoint: Tensor | undefined, zeroPointShape: readonly number[], where: string, what: string): Centered {
  let data: Float64Array;
  if (zeroPoint === undefined) {
    data = Float64Array.from(x.data);
  } else {
    const z: Tensor = { dtype: zeroPoint.dtype, shape: zeroPointShape, data: zeroPoint.data };
    const out = applyBinary(x, z, 'float64', subtract, where);
    if (!sameShape(out.shape, x.shape)) {
      throw new ShapeError(`${where}: ${what} of shape ${formatShape(zeroPoint.shape)} does not fit its operand of shape ${formatShape(x.shape)}`);
    }
    data = out.data as Float64Array;
  }
  let maxAbs = 0;
  for (let i = 0; i < data.length; i++) maxAbs = Math.max(maxAbs, Math.abs(data[i]));
  return { data, maxAbs };
}

function subtract(out: TensorData, a: TensorData, b: TensorData, o: number, ia: number, sa: number, ib: number, sb: number, n: number): void {
  for (let i = 0; i < n; i++) out[o + i] = a[ia + i * sa] - b[ib + i * sb];
}

/** Float storage in which sums of `k` products of the operands are exact (see the module comment). */
function exactStorage(a: Centered, b: Centered, k: number): (data: Float64Array) => FloatArray {
  return k * a.maxAbs * b.maxAbs < FLOAT32_EXACT ? (data) => Float32Array.from(data) : (data) => data;
}

/** Wraps an exact integer-valued result into int32, as a wrapping int32 accumulator holds it. */
function toInt32(y: FloatArray): Int32Array {
  return Int32Array.from(y); // ToInt32: modulo 2^32
}

/** A·B of centred operands with matmul shapes `plan`: the int32 accumulators, row-major plan.outShape. eq. (11) */
export function integerMatMul(a: Centered, b: Centered, plan: MatMulPlan): Int32Array {
  const storage = exactStorage(a, b, plan.k);
  const aData = storage(a.data);
  const y = aData instanceof Float32Array ? new Float32Array(shapeSize(plan.outShape)) : new Float64Array(shapeSize(plan.outShape));
  matmulImpl(aData, storage(b.data), plan, y);
  return toInt32(y);
}

/** Convolution of centred x (N × C × input) and w (M × C/group × kernel), no bias: the int32 accumulators (N × M × output). */
export function integerConv(x: Centered, w: Centered, dims: ConvDims, window: Window): Int32Array {
  const storage = exactStorage(x, w, im2colRows(dims.channels / dims.group, window));
  const xData = storage(x.data);
  const outSize = dims.batch * dims.featureMaps * window.output[0] * window.output[1] * window.output[2];
  const y = xData instanceof Float32Array ? new Float32Array(outSize) : new Float64Array(outSize);
  convImpl(xData, storage(w.data), undefined, dims, window, y);
  return toInt32(y);
}

/** acc[n, m, :] += bias[m] in int32 (wrapping), for an accumulator of `batch` × `featureMaps` planes. */
export function addInt32Bias(acc: Int32Array, bias: Int32Array, batch: number, featureMaps: number, plane: number): void {
  for (let n = 0; n < batch; n++) {
    for (let m = 0; m < featureMaps; m++) {
      const start = (n * featureMaps + m) * plane;
      for (let i = start; i < start + plane; i++) acc[i] = (acc[i] + bias[m]) | 0;
    }
  }
}
