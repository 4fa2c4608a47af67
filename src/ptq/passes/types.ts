/** What every preparation pass returns: the new graph and a record of what it changed. */
import type { Graph } from '../../ir/graph.ts';

/** The passes of prepareForQuantization, by name. */
export type PassName = 'fold-constants' | 'remove-dead-nodes' | 'remove-identities' | 'fold-batchnorm' | 'fold-bias';

/** One change a pass made, for the preparation report. */
export interface PassChange {
  readonly pass: PassName;
  /** Names of the nodes removed or rewritten (as they were named in the pass's input). */
  readonly nodes: readonly string[];
  /** One line saying what happened, naming nodes and values. */
  readonly message: string;
}

/** A pass's result: `graph` is the input graph itself when `changes` is empty. */
export interface PassResult {
  readonly graph: Graph;
  readonly changes: readonly PassChange[];
}
