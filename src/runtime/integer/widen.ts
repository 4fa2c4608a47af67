/**
 * Sub-byte activations (int4/uint4, int2/uint2) as 8-bit integers: the integer kernels read and
 * write int8/uint8, so each QuantizeLinear to a sub-byte type becomes a QuantizeLinear to the
 * 8-bit type of the same signedness followed by an integer Clip to the sub-byte range — the same
 * integers, since QuantizeLinear saturates (eq. (2)) and the Clip applies the narrower bounds —
 * and each DequantizeLinear of such an activation reads the 8-bit tensor with an 8-bit zero
 * point. Sub-byte weights are widened where a pattern uses them (weights.ts).
 */
import { DTYPES, type DType } from '../../ir/dtype.ts';
import type { Graph, Node } from '../../ir/graph.ts';
import { uniqueNamesFor } from '../../ir/names.ts';
import { scalar, tensor, type Tensor } from '../../ir/tensor.ts';

const WIDER: Partial<Record<DType, DType>> = { int4: 'int8', uint4: 'uint8', int2: 'int8', uint2: 'uint8' };

/** The 8-bit type holding values of a sub-byte integer type, or undefined for other types. */
export function widerType(dtype: DType): DType | undefined {
  return WIDER[dtype];
}

/** A copy of an integer tensor in its 8-bit type (values unchanged). */
export function widened(t: Tensor): Tensor {
  const to = WIDER[t.dtype];
  if (to === undefined) return t;
  const out = tensor(to, t.shape);
  out.data.set(t.data as ArrayLike<number>);
  return out;
}

/** `graph` with every sub-byte activation held in 8 bits (the same graph when there is none). */
export function widenSubByteActivations(graph: Graph): Graph {
  const zeroPointOf = (node: Node): Tensor | undefined => (node.inputs[2] ? graph.initializers.get(node.inputs[2]) : undefined);
  const isSubByte = (t: Tensor | undefined): t is Tensor => t !== undefined && WIDER[t.dtype] !== undefined;
  const quantizers = graph.nodes.filter((n) => n.opType === 'QuantizeLinear' && n.domain === '' && isSubByte(zeroPointOf(n)));
  if (quantizers.length === 0) return graph;
  const names = uniqueNamesFor(graph);
  const initializers = new Map(graph.initializers);
  const wideZero = new Map<string, string>();
  const wideName = (name: string): string => {
    let wide = wideZero.get(name);
    if (wide === undefined) {
      wide = names.next(`${name}_8bit`);
      initializers.set(wide, widened(graph.initializers.get(name)!));
      wideZero.set(name, wide);
    }
    return wide;
  };
  const activations = new Set(quantizers.map((q) => q.outputs[0]));
  const nodes: Node[] = [];
  for (const node of graph.nodes) {
    if (quantizers.includes(node)) {
      const zero = zeroPointOf(node)!;
      const { min, max } = DTYPES[zero.dtype];
      const to = WIDER[zero.dtype]!;
      const raw = names.next(`${node.outputs[0]}_8bit`);
      const low = names.next(`${node.outputs[0]}_qmin`);
      const high = names.next(`${node.outputs[0]}_qmax`);
      initializers.set(low, scalar(to, min!));
      initializers.set(high, scalar(to, max!));
      nodes.push({ ...node, inputs: [node.inputs[0], node.inputs[1], wideName(node.inputs[2])], outputs: [raw] });
      nodes.push({ name: names.next(`${node.name}_saturate`), opType: 'Clip', domain: '', inputs: [raw, low, high], outputs: [node.outputs[0]], attributes: {} });
      continue;
    }
    if (node.domain === '' && activations.has(node.inputs[0]) && (node.opType === 'DequantizeLinear' || node.opType === 'Clip')) {
      // The zero point of a DequantizeLinear, the bounds of a narrowing Clip: 8-bit constants now.
      const inputs = node.inputs.map((name, i) => (i > 0 && isSubByte(graph.initializers.get(name)) ? wideName(name) : name));
      nodes.push({ ...node, inputs });
      if (node.opType === 'Clip') activations.add(node.outputs[0]);
      continue;
    }
    nodes.push(node);
  }
  // The activations changed type: drop what shape inference knew about them.
  const valueInfo = new Map([...graph.valueInfo].filter(([name]) => !activations.has(name)));
  return { ...graph, nodes, initializers, valueInfo };
}
