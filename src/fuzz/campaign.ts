/**
 * A fuzz campaign: case i of seed s picks a corpus model, a mutation kind and every random
 * choice after that from one generator seeded by (s, i) — so any case can be replayed alone
 * (`npm run fuzz -- --seed s --only i`), whichever worker ran it.
 */
import type { Limits } from '../ir/limits.ts';
import type { CorpusEntry } from './corpus.ts';
import { MUTATIONS } from './mutations.ts';
import { runPipeline, type PipelineResult, type Step } from './pipeline.ts';
import { caseSeed, FuzzRandom } from './random.ts';

/**
 * Limits the fuzzer imports (and so runs) models under: what a server taking untrusted models
 * would configure — 4 Mi elements per tensor, 256 MiB of tensor data, 10,000 nodes, subgraphs 8
 * deep, 65,536 elements per list attribute.
 */
export const FUZZ_LIMITS: Limits = {
  maxTensorElements: 2 ** 22,
  maxTotalBytes: 2 ** 28,
  maxNodes: 10_000,
  maxSubgraphDepth: 8,
  maxAttributeElements: 2 ** 16,
};

export type Outcome = PipelineResult['outcome'] | 'hang' | 'oom';

export interface CaseSpec {
  readonly index: number;
  /** Corpus entry name. */
  readonly model: string;
  readonly kind: string;
}

export interface CaseResult extends CaseSpec {
  readonly outcome: Outcome;
  readonly step?: Step | 'mutate';
  readonly code?: string;
  readonly message?: string;
  readonly passed?: readonly Step[];
}

const KINDS = Object.keys(MUTATIONS);
// Nesting twice could pass the 100 message levels protobuf encoders allow.
const PROTO_KINDS = KINDS.filter((k) => MUTATIONS[k].level === 'proto' && k !== 'nesting');

/**
 * The case's model, mutation kind and mutated bytes, with the generator positioned for the
 * pipeline. A quarter of the proto-level cases get a second proto-level mutation on top (damage
 * rarely comes alone); the case is labelled by the first.
 */
export function prepareCase(seed: number, index: number, corpus: readonly CorpusEntry[]): { spec: CaseSpec; bytes: Uint8Array; rng: FuzzRandom } {
  const rng = new FuzzRandom(caseSeed(seed, index));
  const entry = weightedPick(corpus, (e) => e.weight ?? 1, rng);
  const donor = rng.pick(corpus).bytes;
  const kind = mutate(entry.bytes, KINDS, rng, donor);
  if (kind === undefined) return { spec: { index, model: entry.name, kind: 'none' }, bytes: entry.bytes, rng };
  let bytes = kind.bytes;
  if (MUTATIONS[kind.kind].level === 'proto' && rng.chance(0.25)) bytes = mutate(bytes, PROTO_KINDS, rng, donor)?.bytes ?? bytes;
  return { spec: { index, model: entry.name, kind: kind.kind }, bytes, rng };
}

/** Draws kinds (by weight) until one applies to `bytes`; a kind the model offers no site for (qparams on a float model) gives way. */
function mutate(bytes: Uint8Array, kinds: readonly string[], rng: FuzzRandom, donor: Uint8Array): { kind: string; bytes: Uint8Array } | undefined {
  for (let attempt = 0; attempt < 8; attempt++) {
    const kind = weightedPick(kinds, (k) => MUTATIONS[k].weight, rng);
    const mutated = MUTATIONS[kind].apply(bytes, rng, donor);
    if (mutated !== undefined) return { kind, bytes: mutated };
  }
  return undefined;
}

function weightedPick<T>(items: readonly T[], weight: (item: T) => number, rng: FuzzRandom): T {
  let ticket = rng.float() * items.reduce((sum, item) => sum + weight(item), 0);
  return items.find((item) => (ticket -= weight(item)) < 0) ?? items[items.length - 1];
}

/** Runs case `index` of campaign `seed` in this thread. */
export async function runCase(seed: number, index: number, corpus: readonly CorpusEntry[], limits: Partial<Limits> = FUZZ_LIMITS): Promise<CaseResult> {
  let prepared: ReturnType<typeof prepareCase>;
  try {
    prepared = prepareCase(seed, index, corpus);
  } catch (error) {
    // A mutator that throws is a bug of the fuzzer itself; it must not pass as a clean case.
    return { index, model: '?', kind: '?', outcome: 'crash', step: 'mutate', message: String(error) };
  }
  const result = await runPipeline(prepared.bytes, prepared.rng, limits);
  return { ...prepared.spec, ...result };
}
