/**
 * Requantization of QLinearMatMul / QLinearConv as the ONNX reference implementation computes it
 * (docs/QUANTIZATION.md eq. (10), in floating point rather than the fixed point of §6):
 *
 *   M = fl_T(fl_T(s_a · s_b) / s_y)            in the scales' type T (float32, float16, bfloat16)
 *   y = saturate(round_half_to_even(acc · M + z_y))   with acc · M and + z_y in float64
 *
 * numpy evaluates `C * (a_scale * b_scale / y_scale)` with C int32 and the scales float32 (or
 * float16) as float64 — int32 and float32 promote to float64 — and `+ y_zero_point` in float64,
 * then rounds half to even and clips; so does this module, operation for operation, which is
 * why the conformance outputs match exactly. onnxruntime rounds fl32(fl32(acc) · M) instead; the
 * two differ by one only where acc · M lies within float32 rounding of a half-integer.
 *
 * Per-channel / per-row / per-column scales broadcast (numpy rules) against the accumulator.
 */
import { ShapeError } from '../../../errors.ts';
import { DTYPES, type DType, type TensorData } from '../../../ir/dtype.ts';
import { formatShape, sameShape, tensor, type Tensor } from '../../../ir/tensor.ts';
import { roundHalfToEven } from '../../../numeric/rounding.ts';
import { applyBinary } from '../float/broadcast.ts';
import { floatRounder } from './quant-io.ts';

/** A scale or zero point arranged to broadcast: its data and the shape it broadcasts with. */
export interface Broadcastable {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly data: TensorData;
}

/**
 * M = fl_T(fl_T(s_a · s_b) / s_y), broadcast over the three shapes, in `scaleType` T (float32
 * storage). The product of two narrow values is exact in float32 and the float32 quotient rounds
 * once more to T correctly (24 ≥ 2·11 + 2 bits), so this is T's own arithmetic.
 */
export function realMultipliers(aScale: Broadcastable, bScale: Broadcastable, yScale: Broadcastable, scaleType: DType, where: string): Tensor {
  const round = floatRounder(scaleType);
  const product = applyBinary(view(aScale), view(bScale), 'float32', (out, a, b, o, ia, sa, ib, sb, n) => {
    for (let i = 0; i < n; i++) out[o + i] = round(a[ia + i * sa] * b[ib + i * sb]);
  }, where);
  return applyBinary(product, view(yScale), 'float32', (out, a, b, o, ia, sa, ib, sb, n) => {
    for (let i = 0; i < n; i++) out[o + i] = round(a[ia + i * sa] / b[ib + i * sb]);
  }, where);
}

/**
 * y = saturate(round_half_to_even(acc · M + z)) into `outDtype` (int8 or uint8), acc of
 * `shape`, M and z broadcast against it. (Clipping before rounding, as the reference does for
 * QLinearConv, gives the same integers: the bounds are integers.)
 * @throws ShapeError naming `where` when M or z would broadcast beyond the accumulator's shape.
 */
export function requantizeLinear(acc: Int32Array, shape: readonly number[], multiplier: Broadcastable, zeroPoint: Broadcastable, outDtype: DType, where: string): Tensor {
  const scaled = applyBinary(tensor('int32', shape, acc), view(multiplier), 'float64', (out, a, m, o, ia, sa, im, sm, n) => {
    for (let i = 0; i < n; i++) out[o + i] = a[ia + i * sa] * m[im + i * sm];
  }, where);
  const qmin = DTYPES[outDtype].min as number;
  const qmax = DTYPES[outDtype].max as number;
  const y = applyBinary(scaled, view(zeroPoint), outDtype, (out, v, z, o, iv, sv, iz, sz, n) => {
    for (let i = 0; i < n; i++) {
      const r = roundHalfToEven(v[iv + i * sv] + z[iz + i * sz]);
      out[o + i] = r < qmin ? qmin : r > qmax ? qmax : r;
    }
  }, where);
  if (!sameShape(y.shape, shape)) {
    throw new ShapeError(`${where}: scales or zero points broadcast the result to ${formatShape(y.shape)}, beyond the output shape ${formatShape(shape)}`);
  }
  return y;
}

function view(b: Broadcastable): Tensor {
  return { dtype: b.dtype, shape: b.shape, data: b.data };
}
