// Shared test helpers for the runtime tests: seeded data, hand-built nodes, tolerant comparison.
import assert from 'node:assert/strict';
import type { Attribute, Node } from '../../src/ir/graph.ts';
import { seededRandom } from '../../src/numeric/rounding.ts';

/** Uniform values in [-1, 1) from a seeded generator. */
export function randomArray(length: number, random: () => number): Float64Array {
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = random() * 2 - 1;
  return out;
}

export function rng(seed: number): () => number {
  return seededRandom(seed);
}

/** An integer in [lo, hi]. */
export function randomInt(random: () => number, lo: number, hi: number): number {
  return lo + Math.floor(random() * (hi - lo + 1));
}

type AttrValue = number | string | readonly number[];

/** A node with attributes given as plain values: integers → int(s), strings → string. */
export function makeNode(opType: string, inputs: readonly string[], outputs: readonly string[], attrs: Record<string, AttrValue> = {}, floats: Record<string, number> = {}): Node {
  const attributes: Record<string, Attribute> = {};
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === 'number') attributes[name] = { type: 'int', value };
    else if (typeof value === 'string') attributes[name] = { type: 'string', value };
    else attributes[name] = { type: 'ints', value };
  }
  for (const [name, value] of Object.entries(floats)) attributes[name] = { type: 'float', value };
  return { name: `${opType.toLowerCase()}_under_test`, opType, domain: '', inputs, outputs, attributes };
}

/**
 * Asserts |actual − expected| ≤ atol + rtol·|expected| elementwise (NaN equals NaN), naming the
 * first mismatching element.
 */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, rtol = 1e-5, atol = 1e-6): void {
  assert.equal(actual.length, expected.length, `${what}: length ${actual.length} vs expected ${expected.length}`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    if (a === e) continue;
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) assert.fail(`${what}: element ${i} is ${a}, expected ${e}`);
  }
}
