/** Concat: before opset 4 the axis attribute was optional with default 1; since 4 it is required. */
import type { Node } from '../../ir/graph.ts';
import { withAttributes, type UpgradeStep } from './types.ts';

export const concatSteps: readonly UpgradeStep[] = [
  {
    since: 4,
    change: 'default axis 1 made explicit',
    apply: (node: Node) => ('axis' in node.attributes ? node : withAttributes(node, { axis: { type: 'int', value: 1 } })),
  },
];
