/**
 * Kernel preparation: the work a kernel does once per node rather than once per run — fixed-point
 * multipliers from the float scales, packed weights with their row sums, lookup tables.
 *
 * Kernels stay pure functions of their inputs: `prepared` memoises `build()` per node, keyed by
 * the identity of the inputs it reads (tensors are values — never written after creation — so the
 * same object means the same contents). Initializers are the same objects on every run, so the
 * preparation is reused; a key that changes (a scale fed at run time) simply rebuilds. Entries go
 * with their node (WeakMap).
 */
import type { Node } from '../../../ir/graph.ts';

interface Entry {
  readonly keys: readonly unknown[];
  readonly value: unknown;
}

const entries = new WeakMap<Node, Entry>();

/** `build()` for `node`, reused while every key is identical (===) to the last call's. */
export function prepared<T>(node: Node, keys: readonly unknown[], build: () => T): T {
  const entry = entries.get(node);
  if (entry !== undefined && entry.keys.length === keys.length && entry.keys.every((key, i) => key === keys[i])) return entry.value as T;
  const value = build();
  entries.set(node, { keys: [...keys], value });
  return value;
}
