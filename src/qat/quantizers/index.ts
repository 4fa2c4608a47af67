/** The quantizer ops of QAT (domain quantkit.qat), by op type. */
import { biasQuantOp } from './bias.ts';
import { fakeQuantOp } from './fake-quant.ts';
import { lsqQuantOp } from './lsq.ts';
import { minMaxQuantOp } from './minmax.ts';
import { pactQuantOp } from './pact.ts';
import type { QuantizerOp } from './quantizer.ts';

export const quantizerOps: readonly QuantizerOp[] = [fakeQuantOp, minMaxQuantOp, lsqQuantOp, pactQuantOp, biasQuantOp];

const BY_TYPE = new Map(quantizerOps.map((op) => [op.op, op]));

/** The quantizer op of a node of the QAT domain, or undefined. */
export function quantizerOf(opType: string): QuantizerOp | undefined {
  return BY_TYPE.get(opType);
}
