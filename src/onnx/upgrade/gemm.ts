/**
 * Gemm: before opset 7 a `broadcast` attribute allowed C to broadcast (with 0, C had to be M×N);
 * since 7 C always broadcasts unidirectionally, which covers both, so the attribute is dropped.
 * (Opset 11 made C optional: nothing to convert.)
 */
import type { Node } from '../../ir/graph.ts';
import { withoutAttributes, type UpgradeStep } from './types.ts';

export const gemmSteps: readonly UpgradeStep[] = [
  { since: 7, change: 'broadcast attribute dropped (C always broadcasts)', apply: (node: Node) => withoutAttributes(node, ['broadcast']) },
];
