/** The ONNX quantization kernels, as one list that any kernel set (simulated, integer) can include. */
import type { KernelConfig } from '../../kernel.ts';
import { convIntegerConfig } from './conv-integer.ts';
import { dequantizeLinearConfig } from './dequantize-linear.ts';
import { dynamicQuantizeLinearConfig } from './dynamic-quantize-linear.ts';
import { matmulIntegerConfig } from './matmul-integer.ts';
import { qlinearConvConfig } from './qlinear-conv.ts';
import { qlinearMatMulConfig } from './qlinear-matmul.ts';
import { quantizeLinearConfig } from './quantize-linear.ts';

/** QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear, MatMulInteger, ConvInteger, QLinearMatMul, QLinearConv. */
export const quantKernels: readonly KernelConfig[] = [
  quantizeLinearConfig,
  dequantizeLinearConfig,
  dynamicQuantizeLinearConfig,
  matmulIntegerConfig,
  convIntegerConfig,
  qlinearMatMulConfig,
  qlinearConvConfig,
];
