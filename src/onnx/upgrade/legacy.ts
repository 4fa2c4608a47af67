/**
 * Changes that touch many ops or old, rarely seen forms:
 * - opset 6 removed the `consumed_inputs` optimisation hint from every op that had it;
 * - Selu-6 gave alpha/gamma more precise defaults (the old defaults become explicit);
 * - LpPool/GlobalLpPool-2 made `p` an int;
 * - TopK-10 moved `k` to an int64 input K of shape [1];
 * - forms with no faithful newer equivalent are rejected (UNSUPPORTED_BEFORE).
 */
import { ModelFormatError } from '../../errors.ts';
import { attrInt } from '../../ir/attributes.ts';
import type { Node } from '../../ir/graph.ts';
import { int64Vector, withAttributes, withoutAttributes, type UpgradeContext, type UpgradeStep } from './types.ts';

/** Applies to every default-domain node of a model below opset 6. */
export const consumedInputsStep: UpgradeStep = {
  since: 6,
  change: 'consumed_inputs attribute dropped',
  apply: (node: Node) => withoutAttributes(node, ['consumed_inputs']),
};

function seluDefaults(node: Node): Node {
  const set: Record<string, { type: 'float'; value: number }> = {};
  if (!('alpha' in node.attributes)) set.alpha = { type: 'float', value: 1.6732 };
  if (!('gamma' in node.attributes)) set.gamma = { type: 'float', value: 1.0507 };
  return Object.keys(set).length === 0 ? node : withAttributes(node, set);
}

function integerP(node: Node): Node {
  const p = node.attributes.p;
  if (p === undefined || p.type !== 'float') return node;
  return withAttributes(node, { p: { type: 'int', value: Math.round(p.value) } });
}

function kToInput(node: Node, ctx: UpgradeContext): Node {
  const k = attrInt(node, 'k');
  if (k === undefined) throw new ModelFormatError(`${ctx.what}: TopK needs a k attribute before opset 10`);
  const name = ctx.constant(`${node.name || node.outputs[0]}_k`, int64Vector([k]));
  return { ...withoutAttributes(node, ['k']), inputs: [node.inputs[0], name] };
}

export const legacySteps: Readonly<Record<string, readonly UpgradeStep[]>> = {
  Selu: [{ since: 6, change: 'old alpha/gamma defaults made explicit', apply: seluDefaults }],
  LpPool: [{ since: 2, change: 'p attribute float → int', apply: integerP }],
  GlobalLpPool: [{ since: 2, change: 'p attribute float → int', apply: integerP }],
  TopK: [{ since: 10, change: 'k attribute → input K', apply: kToInput }],
};

/** Old forms quantkit does not convert: op → the opset that introduced the form it supports, and why. */
export const UNSUPPORTED_BEFORE: Readonly<Record<string, { readonly since: number; readonly why: string }>> = {
  Tile: { since: 6, why: 'Tile-1 took tiles and axis inputs' },
  Scan: { since: 9, why: 'Scan-8 had batch semantics and sequence_lens' },
  GRU: { since: 7, why: 'output_sequence attribute and older direction values' },
  RNN: { since: 7, why: 'output_sequence attribute' },
  LSTM: { since: 7, why: 'output_sequence attribute' },
  DFT: { since: 20, why: 'axis became an input' },
  GridSample: { since: 20, why: 'mode values were renamed' },
};
