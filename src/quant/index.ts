/**
 * quant/: quantization parameters, quantize/dequantize (ONNX semantics), granularity, integer
 * requantization, sub-byte packing and non-uniform quantizers. The math: docs/QUANTIZATION.md.
 */
export { qRange, paramsFromRange, paramsFromRanges, createParams, paramsForBias, fitWeightScalesToBias, MAX_BIAS_CODE, powerOfTwoScale, validateParams, MIN_SCALE } from './params.ts';
export type { QuantScheme, QuantParams, QuantOptions, QRange } from './params.ts';
export { elementCount, normalizeAxis, scaleLayout, scaleIndexOf } from './layout.ts';
export type { ScaleLayout } from './layout.ts';
export { tensorRange, channelRanges, groupRanges, rangesForLayout, paramsForTensor } from './granularity.ts';
export type { Granularity, Ranges, TensorQuantOptions } from './granularity.ts';
export { quantize, dequantize, fakeQuantize, quantizeValue, dequantizeValue, quantizedArrayFor } from './quantize.ts';
export type { QuantizedArray, QuantizeOptions } from './quantize.ts';
export { requantize, requantizeValue, requantizeMultipliers, fusedActivationRange } from './requantize.ts';
export type { RequantizeMultipliers, FusedActivation } from './requantize.ts';
export { packSubByte, unpackSubByte, packedByteLength } from './packing.ts';
export { powerOfTwoQuantizer, fitPowerOfTwo, powerOfTwoLevels, encodePowerOfTwo, decodePowerOfTwo, fakeQuantizePowerOfTwo } from './power-of-two.ts';
export type { PowerOfTwoQuantizer, PowerOfTwoOptions, PowerOfTwoDomain } from './power-of-two.ts';
export { fitCodebook, encodeCodebook, decodeCodebook } from './codebook.ts';
export type { CodebookFit, CodebookOptions, CodebookInit } from './codebook.ts';
