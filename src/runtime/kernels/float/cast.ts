/**
 * Cast and CastLike between every dtype of src/ir/dtype.ts, following the rules of the ONNX
 * Cast spec:
 *
 *  - float → float: rounded to nearest-even; out of range gives ±inf, except to float8, where
 *    `saturate` (default 1) clamps to ±max of the format instead.
 *  - float → integer: truncated toward zero. The spec leaves out-of-range values undefined;
 *    here they saturate to the type's range and NaN becomes 0, so the result is never garbage.
 *  - integer → integer: out-of-range values wrap (keep the low bits, two's complement), e.g.
 *    200 (int16) → −56 (int8). int64/uint64 are held as float64, exact up to 2^53.
 *  - anything → bool: zero (and ±0.0) is false, everything else (NaN included) true;
 *    bool → number: 1 / 0.
 */
import { UnsupportedOpError } from '../../../errors.ts';
import { attrInt } from '../../../ir/attributes.ts';
import { dtypeFromOnnx, DTYPES, type DType, type TensorData } from '../../../ir/dtype.ts';
import { tensor, type Tensor } from '../../../ir/tensor.ts';
import { roundToMinifloat } from '../../../numeric/minifloat.ts';
import type { KernelConfig } from '../../kernel.ts';
import { minifloatFormatOf } from './narrow-float.ts';
import { nodeLabel, requireInput } from './node-io.ts';

const FLOAT8: ReadonlySet<DType> = new Set(['float8e4m3fn', 'float8e4m3fnuz', 'float8e5m2', 'float8e5m2fnuz']);

/** x converted to `to`; `saturate` applies to float8 targets only (as in the spec). */
export function castImpl(x: Tensor, to: DType, saturate = true): Tensor {
  if (x.dtype === to) return { dtype: to, shape: [...x.shape], data: x.data };
  const out = tensor(to, x.shape);
  const src = x.data;
  const dst = out.data;
  const target = DTYPES[to];
  const fromFloat = DTYPES[x.dtype].kind === 'float';
  const format = minifloatFormatOf(to);
  if (target.kind === 'bool') {
    for (let i = 0; i < src.length; i++) dst[i] = src[i] !== 0 ? 1 : 0;
  } else if (format !== undefined) {
    const clamp = saturate && FLOAT8.has(to);
    for (let i = 0; i < src.length; i++) dst[i] = roundToMinifloat(format, src[i], clamp);
  } else if (target.kind === 'float') {
    // float32/float64: the typed-array store rounds to nearest-even once.
    for (let i = 0; i < src.length; i++) dst[i] = src[i];
  } else if (fromFloat) {
    floatToInt(dst, src, target.min as number, target.max as number);
  } else {
    intToInt(dst, src, to);
  }
  return out;
}

function floatToInt(dst: TensorData, src: TensorData, min: number, max: number): void {
  for (let i = 0; i < src.length; i++) {
    const v = Math.trunc(src[i]);
    dst[i] = v > max ? max : v < min ? min : v === v ? v : 0;
  }
}

/** Integer (or bool) → integer, keeping the low bits of the target's width. */
function intToInt(dst: TensorData, src: TensorData, to: DType): void {
  const { bits, storage, min } = DTYPES[to];
  const signed = (min as number) < 0;
  if (storage === 'f64') {
    // 64-bit targets: every source value is within 2^64 of the range; shift it in.
    for (let i = 0; i < src.length; i++) {
      const v = src[i];
      dst[i] = signed ? (v >= 2 ** 63 ? v - 2 ** 64 : v) : v < 0 ? v + 2 ** 64 : v;
    }
    return;
  }
  if (bits === Number(storage.slice(1))) {
    // The typed-array store already wraps modulo 2^bits.
    for (let i = 0; i < src.length; i++) dst[i] = src[i];
    return;
  }
  // Sub-byte types held one per byte: wrap by hand.
  const modulus = 2 ** bits;
  const half = modulus / 2;
  for (let i = 0; i < src.length; i++) {
    let v = src[i] % modulus;
    if (v < 0) v += modulus;
    if (signed && v >= half) v -= modulus;
    dst[i] = v;
  }
}

function castKernel(to: DType, saturate: boolean, x: Tensor): Tensor[] {
  return [castImpl(x, to, saturate)];
}

export const castKernels: readonly KernelConfig[] = [
  {
    op: 'Cast',
    impl: (inputs, node) => {
      const code = attrInt(node, 'to');
      const to = code === undefined ? undefined : dtypeFromOnnx(code);
      if (to === undefined) throw new UnsupportedOpError(`${nodeLabel(node)}: cannot cast to data type ${code ?? '(missing "to")'}`);
      return castKernel(to, attrInt(node, 'saturate', 1) !== 0, requireInput(inputs, 0, node, 'input'));
    },
  },
  {
    op: 'CastLike',
    impl: (inputs, node) =>
      castKernel(requireInput(inputs, 1, node, 'target_type').dtype, attrInt(node, 'saturate', 1) !== 0, requireInput(inputs, 0, node, 'input')),
  },
];
