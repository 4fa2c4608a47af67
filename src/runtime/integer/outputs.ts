/**
 * Where a lowered op writes: the QuantizeLinear that quantizes its float output (directly, or
 * after a Relu/Clip fused into the layer), and the integer Clip a fused activation needs.
 *
 * A fused activation is exact in integers: quantization is monotone, so for bounds [lo, hi]
 * Q(clip(y, lo, hi)) = clamp(Q(y), Q(lo), Q(hi)) (eq. (2) applied to the bounds, as eq. (18)
 * narrows qmin/qmax). When [Q(lo), Q(hi)] covers the whole output type — a Relu into uint8 with
 * zero point 0, say — saturation already does it and nothing is added.
 */
import { scalar } from '../../ir/tensor.ts';
import type { Node } from '../../ir/graph.ts';
import { describeNode } from '../../ir/topology.ts';
import { quantizeValue } from '../../quant/quantize.ts';
import type { LoweringContext } from './context.ts';
import { fail, found, type Found, type QdqIndex, type QuantizeStep } from './qdq-index.ts';

/** A Relu or constant-bound Clip fused between a layer and its QuantizeLinear. */
export interface FusedActivation {
  readonly node: Node;
  readonly min: number;
  readonly max: number;
}

export interface QuantizedOutput {
  readonly q: QuantizeStep;
  /** Further QuantizeLinear readers with the same parameters (a quantizer's "dedicated" Q/DQ pairs): Identity copies. */
  readonly aliases: readonly QuantizeStep[];
  readonly activation?: FusedActivation;
}

/** Ops an activation may be fused into (their integer forms requantize once, then clamp). */
const FUSING = new Set(['Conv', 'Gemm', 'MatMul']);

/** The Relu/Clip `node` is, with constant bounds, or undefined. */
export function clampActivation(index: QdqIndex, node: Node): FusedActivation | undefined {
  if (node.domain !== '') return undefined;
  if (node.opType === 'Relu') return { node, min: 0, max: Infinity };
  if (node.opType !== 'Clip') return undefined;
  const bound = (name: string | undefined, none: number): number | undefined => (name === undefined || name === '' ? none : index.scalarConstant(name));
  const min = bound(node.inputs[1], -Infinity);
  const max = bound(node.inputs[2], Infinity);
  return min === undefined || max === undefined ? undefined : { node, min, max };
}

/**
 * The QuantizeLinear(s) that alone read `value` — all with the same parameters — directly, or
 * through a fused activation when `node` may fuse one.
 */
export function quantizedOutput(index: QdqIndex, node: Node, value: string): Found<QuantizedOutput> {
  const direct = quantizers(index, value);
  if (direct.ok || !FUSING.has(node.opType)) return direct;
  const readers = index.readersOf(value);
  const activation = readers.length === 1 && !index.graphOutputs.has(value) && readers[0].inputs[0] === value ? clampActivation(index, readers[0]) : undefined;
  if (activation === undefined) return direct;
  const after = quantizers(index, activation.node.outputs[0]);
  return after.ok ? found({ ...after.value, activation }) : after;
}

function quantizers(index: QdqIndex, value: string): Found<QuantizedOutput> {
  if (index.graphOutputs.has(value)) return fail(`output ${JSON.stringify(value)} is a graph output in float`);
  const readers = index.readersOf(value);
  if (readers.length === 0) return fail(`output ${JSON.stringify(value)} is not read`);
  const steps: QuantizeStep[] = [];
  for (const q of readers) {
    if (q.opType !== 'QuantizeLinear' || q.domain !== '' || q.inputs[0] !== value) {
      return fail(`output ${JSON.stringify(value)} goes to ${describeNode(q)}, not only to QuantizeLinear`);
    }
    const step = index.quantizeStep(q);
    if (!step.ok) return step;
    steps.push(step.value);
  }
  const [q, ...aliases] = steps;
  if (aliases.some((a) => a.dtype !== q.dtype || a.scale !== q.scale || a.zeroPoint !== q.zeroPoint)) {
    return fail(`output ${JSON.stringify(value)} is quantized by ${steps.length} QuantizeLinear nodes with different parameters`);
  }
  return found({ q, aliases });
}

/** The integer bounds of a fused activation on `q`'s grid: [Q(min), Q(max)] within the type's range. */
export function activationBounds(q: QuantizeStep, activation: FusedActivation | undefined): { qmin: number; qmax: number } {
  if (activation === undefined) return { qmin: q.qmin, qmax: q.qmax };
  const at = (v: number): number => (v === -Infinity ? q.qmin : v === Infinity ? q.qmax : quantizeValue(v, q.scale, q.zeroPoint, q.qmin, q.qmax));
  return { qmin: at(activation.min), qmax: at(activation.max) };
}

/**
 * The name the integer op writes and the nodes after it: `q`'s output directly, or a fresh name
 * followed by an integer Clip to the fused activation's bounds when they are narrower than the
 * type; then an Identity per alias. Also the nodes the lowering absorbs (the QuantizeLinear(s)
 * and the activation).
 */
export function writeOutput(ctx: LoweringContext, out: QuantizedOutput, base: string): { name: string; tail: Node[]; absorbed: Node[] } {
  const absorbed = [out.q.node, ...out.aliases.map((a) => a.node), ...(out.activation === undefined ? [] : [out.activation.node])];
  const aliases = out.aliases.map((a) => ctx.node('Identity', [out.q.output], [a.output], { name: ctx.fresh(`${base}_copy`) }));
  const { qmin, qmax } = activationBounds(out.q, out.activation);
  if (qmin <= out.q.qmin && qmax >= out.q.qmax) return { name: out.q.output, tail: aliases, absorbed };
  const raw = ctx.fresh(`${out.q.output}_unclamped`);
  const low = ctx.constant(`${base}_clamp_min`, scalar(out.q.dtype, qmin));
  const high = ctx.constant(`${base}_clamp_max`, scalar(out.q.dtype, qmax));
  const clip = ctx.node('Clip', [raw, low, high], [out.q.output], { name: ctx.fresh(`${base}_clamp`) });
  return { name: raw, tail: [clip, ...aliases], absorbed };
}

/** The lowering of a node whose integer form is `make(name)` writing `name` (see writeOutput). */
export function emitOutput(ctx: LoweringContext, out: QuantizedOutput, base: string, make: (name: string) => Node[]): { nodes: Node[]; absorbed: Node[] } {
  const { name, tail, absorbed } = writeOutput(ctx, out, base);
  return { nodes: [...make(name), ...tail], absorbed };
}
