/**
 * Activation fusion detection (no rewrite): when a layer's only reader is Relu or a Clip with
 * constant bounds, an integer runtime clamps in the requantization of the layer (QUANTIZATION.md
 * eq. (18)), so the quantizer places Quantize/Dequantize after the activation, not between.
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { consumers, outputNames } from '../../ir/graph-utils.ts';

/** What a layer's output goes through before anything else reads it. */
export interface FusedActivation {
  /** relu: clamp to [0, ∞); relu6: [0, 6]; clip: any other constant [min, max]. */
  readonly kind: 'relu' | 'relu6' | 'clip';
  /** Lower bound (−Infinity when the Clip has none). */
  readonly min: number;
  /** Upper bound (Infinity for Relu or a Clip without one). */
  readonly max: number;
  /** The Relu or Clip node. */
  readonly node: Node;
}

/** The layer ops whose outputs an activation can fuse with. */
const LAYERS = new Set(['Conv', 'ConvTranspose', 'Gemm', 'MatMul']);

// Graphs are immutable values: their reader maps can be cached (one pass over the graph per graph).
const readerCache = new WeakMap<Graph, { readers: Map<string, Node[]>; outputs: Set<string> }>();

function readersOf(graph: Graph): { readers: Map<string, Node[]>; outputs: Set<string> } {
  let entry = readerCache.get(graph);
  if (entry === undefined) {
    entry = { readers: consumers(graph), outputs: outputNames(graph) };
    readerCache.set(graph, entry);
  }
  return entry;
}

/** A Clip bound: ±Infinity when omitted, its value when a one-element initializer, else undefined. */
function bound(graph: Graph, name: string | undefined, none: number): number | undefined {
  if (name === undefined || name === '') return none;
  const t = graph.initializers.get(name);
  return t !== undefined && t.data.length === 1 ? t.data[0] : undefined;
}

/**
 * The activation fused with `node` (a Conv, ConvTranspose, Gemm or MatMul of `graph`): its output
 * must be read by exactly one node, a default-domain Relu or a Clip whose bounds are constants
 * (or omitted), and be no graph output. Clip(0, ∞) is reported as relu, Clip(0, 6) as relu6.
 * Undefined when there is no such activation.
 */
export function fusedActivation(graph: Graph, node: Node): FusedActivation | undefined {
  if (node.domain !== '' || !LAYERS.has(node.opType) || node.outputs.length !== 1) return undefined;
  const output = node.outputs[0];
  const { readers, outputs } = readersOf(graph);
  const next = readers.get(output);
  if (outputs.has(output) || next === undefined || next.length !== 1) return undefined;
  const activation = next[0];
  if (activation.domain !== '' || activation.inputs[0] !== output) return undefined;
  if (activation.opType === 'Relu') return { kind: 'relu', min: 0, max: Infinity, node: activation };
  if (activation.opType !== 'Clip' || activation.inputs.slice(1).includes(output)) return undefined;
  const min = bound(graph, activation.inputs[1], -Infinity);
  const max = bound(graph, activation.inputs[2], Infinity);
  if (min === undefined || max === undefined) return undefined;
  const kind = min !== 0 ? 'clip' : max === Infinity ? 'relu' : max === 6 ? 'relu6' : 'clip';
  return { kind, min, max, node: activation };
}
