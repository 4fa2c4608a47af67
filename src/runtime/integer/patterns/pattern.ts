/** The shape every lowering pattern has: a float node in, its integer replacement or why not out. */
import type { Node } from '../../../ir/graph.ts';
import type { Lowering, LoweringContext } from '../context.ts';
import type { Found } from '../qdq-index.ts';

export type Pattern = (ctx: LoweringContext, node: Node) => Found<Lowering>;
