/**
 * Narrow floats (float16, bfloat16, float8) are held as float32 values representable in their
 * format. Kernels compute in float32 and, where an op makes new values, round the result back
 * to the format here. Rounding float32 results of +, −, ×, ÷ and √ of narrow inputs to fp16/bf16
 * equals rounding the exact result (float32 has more than 2p + 2 significand bits).
 */
import type { DType, TensorData } from '../../../ir/dtype.ts';
import { roundToMinifloat, type MinifloatFormat } from '../../../numeric/minifloat.ts';

const FORMATS: Partial<Record<DType, MinifloatFormat>> = {
  float16: 'float16',
  bfloat16: 'bfloat16',
  float8e4m3fn: 'float8e4m3fn',
  float8e4m3fnuz: 'float8e4m3fnuz',
  float8e5m2: 'float8e5m2',
  float8e5m2fnuz: 'float8e5m2fnuz',
};

/** The minifloat format a dtype is held in, or undefined for float32/float64/integers. */
export function minifloatFormatOf(dtype: DType): MinifloatFormat | undefined {
  return FORMATS[dtype];
}

/**
 * Rounds every element to `dtype`'s format in place (no-op unless `dtype` is a narrow float).
 * Overflow gives ±inf (NaN for formats without inf) unless `saturate`.
 */
export function roundToDtypeInPlace(dtype: DType, data: TensorData, saturate = false): void {
  const format = FORMATS[dtype];
  if (format === undefined) return;
  for (let i = 0; i < data.length; i++) data[i] = roundToMinifloat(format, data[i], saturate);
}
