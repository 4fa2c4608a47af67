/**
 * Runs ONNX bytes in onnxruntime-node (the independent reference) with quantkit Tensors as feeds.
 * Graph optimizations are off: fusions such as DequantizeLinear+MatMul → dynamically quantized
 * kernels would make the reference approximate.
 */
import * as ort from 'onnxruntime-node';
import type { Tensor } from '../../../src/ir/tensor.ts';

const ORT_TYPES: Record<string, ort.Tensor.Type> = {
  float32: 'float32', float64: 'float64', int8: 'int8', uint8: 'uint8', int16: 'int16', uint16: 'uint16',
  int32: 'int32', uint32: 'uint32', int64: 'int64', bool: 'bool',
};

function toOrt(t: Tensor): ort.Tensor {
  const type = ORT_TYPES[t.dtype];
  if (type === undefined) throw new Error(`no onnxruntime type for ${t.dtype}`);
  const data = t.dtype === 'int64' ? BigInt64Array.from(t.data as Float64Array, (v) => BigInt(v)) : t.dtype === 'bool' ? Uint8Array.from(t.data) : t.data;
  return new ort.Tensor(type, data as ort.Tensor.DataType, t.shape as number[]);
}

/** Output name → { dims, data as plain numbers }. */
export async function runOrt(bytes: Uint8Array, feeds: Record<string, Tensor>): Promise<Record<string, { dims: readonly number[]; data: number[] }>> {
  const session = await ort.InferenceSession.create(bytes, { logSeverityLevel: 3, graphOptimizationLevel: 'disabled' });
  try {
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = toOrt(t);
    const results = await session.run(ortFeeds);
    const out: Record<string, { dims: readonly number[]; data: number[] }> = {};
    for (const [name, t] of Object.entries(results)) out[name] = { dims: t.dims, data: Array.from(t.data as ArrayLike<number | bigint>, Number) };
    return out;
  } finally {
    await session.release();
  }
}
