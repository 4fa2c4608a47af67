/** What a model is made of, for `inspect` and the report: op counts and parameter sizes. */
import { DTYPES } from './dtype.ts';
import type { Graph } from './graph.ts';

export interface GraphSummary {
  readonly nodes: number;
  /** Op type → count, most frequent first. */
  readonly ops: ReadonlyArray<readonly [string, number]>;
  /** Elements held in initializers. */
  readonly parameters: number;
  /** Bytes those initializers take in their own dtypes (sub-byte types packed). */
  readonly parameterBytes: number;
  /** Parameter elements per dtype. */
  readonly parametersByDtype: Readonly<Record<string, number>>;
}

export function summarizeGraph(graph: Graph): GraphSummary {
  const counts = new Map<string, number>();
  for (const node of graph.nodes) {
    const key = node.domain === '' ? node.opType : `${node.domain}::${node.opType}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let parameters = 0;
  let bits = 0;
  const byDtype: Record<string, number> = {};
  for (const t of graph.initializers.values()) {
    parameters += t.data.length;
    bits += t.data.length * DTYPES[t.dtype].bits;
    byDtype[t.dtype] = (byDtype[t.dtype] ?? 0) + t.data.length;
  }
  return {
    nodes: graph.nodes.length,
    ops: [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)),
    parameters,
    parameterBytes: Math.ceil(bits / 8),
    parametersByDtype: byDtype,
  };
}
