/**
 * The simulated kernel set: every float kernel plus the ONNX quantization kernels. A QDQ model
 * runs here with the fake-quant semantics of ONNX itself — each QuantizeLinear → DequantizeLinear
 * pair rounds and saturates exactly as ONNX specifies, and the ops between them compute in float —
 * and QOperator models (QLinearConv, MatMulInteger, …) run with exact integer accumulation.
 */
import { KernelRegistry } from '../../registry.ts';
import { floatKernels } from '../float/register.ts';
import { quantKernels } from '../quant/register.ts';

export { quantKernels };

/** A new registry named 'simulated': floatKernels() plus quantKernels. */
export function simulatedKernels(): KernelRegistry {
  return floatKernels().extend('simulated', quantKernels);
}
