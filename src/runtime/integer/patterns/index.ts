/** The lowering patterns, one per op type: an explicit table, like the kernel registries. */
import { activationPattern, LOOKUP_OPS } from './activation.ts';
import { binaryPattern } from './binary.ts';
import { concatPattern } from './concat.ts';
import { convPattern } from './conv.ts';
import { gemmPattern } from './gemm.ts';
import { matmulPattern } from './matmul.ts';
import { PASSTHROUGH_OPS, passthroughPattern } from './passthrough.ts';
import type { Pattern } from './pattern.ts';
import { poolPattern } from './pool.ts';
import { shapePattern } from './shape.ts';

export type { Pattern } from './pattern.ts';

export const PATTERNS: ReadonlyMap<string, Pattern> = new Map<string, Pattern>([
  ['Conv', convPattern],
  ['Gemm', gemmPattern],
  ['MatMul', matmulPattern],
  ...['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Max', 'Min'].map((op) => [op, binaryPattern] as const),
  ['AveragePool', poolPattern],
  ['GlobalAveragePool', poolPattern],
  ['Concat', concatPattern],
  ...['Relu', 'Clip', 'Sigmoid', 'LeakyRelu', ...LOOKUP_OPS].map((op) => [op, activationPattern] as const),
  ...[...PASSTHROUGH_OPS].map((op) => [op, passthroughPattern] as const),
  ['Shape', shapePattern],
  ['Size', shapePattern],
]);
