/**
 * quantkit's internal QLinearLookup (domain ai.quantkit: y = table[x + input_offset], 256
 * entries) has no ONNX operator. In a file it is written as standard ops on the integers:
 *
 *   indices = Cast(x, to = INT32);  y = Gather(rotated_table, indices, axis = 0)
 *
 * with the table rotated so that entry (q mod 256) holds f(q): for uint8 that is the table
 * itself, for int8 the negative codes index from the end (Gather takes negative indices since
 * opset 11). This keeps the exported model integer-exact — the same integers quantkit computes —
 * where DequantizeLinear → float op → QuantizeLinear would round the float op again in the
 * runtime's own way. On import the pair is recognised and becomes a QLinearLookup again.
 */
import { attrInt, attrTensor } from '../../ir/attributes.ts';
import type { Graph, Node } from '../../ir/graph.ts';
import { consumers, producers } from '../../ir/graph-utils.ts';
import { uniqueNamesFor } from '../../ir/names.ts';
import { tensor, type Tensor } from '../../ir/tensor.ts';

export const LOOKUP_DOMAIN = 'ai.quantkit';
export const LOOKUP_OP = 'QLinearLookup';
/** TensorProto.DataType INT32. */
const INT32 = 6;

function isLookup(node: Node): boolean {
  return node.domain === LOOKUP_DOMAIN && node.opType === LOOKUP_OP;
}

/** The table indexed by q mod 256 (entry i of the lookup stands for q = i − offset). */
function rotate(table: Tensor, offset: number): Tensor {
  const out = tensor(table.dtype, [256]);
  for (let i = 0; i < 256; i++) out.data[(((i - offset) % 256) + 256) % 256] = table.data[i];
  return out;
}

/** `graph` with every QLinearLookup written as Cast + Gather (the same graph when there is none). */
export function lookupsToGather(graph: Graph): Graph {
  if (!graph.nodes.some(isLookup)) return graph;
  const names = uniqueNamesFor(graph);
  const initializers = new Map(graph.initializers);
  const nodes: Node[] = [];
  for (const node of graph.nodes) {
    if (!isLookup(node)) {
      nodes.push(node);
      continue;
    }
    const table = attrTensor(node, 'table')!;
    const rotated = names.next(`${node.name}_table`);
    initializers.set(rotated, rotate(table, attrInt(node, 'input_offset', 0)));
    const indices = names.next(`${node.outputs[0]}_indices`);
    nodes.push({ name: names.next(`${node.name}_indices`), opType: 'Cast', domain: '', inputs: [node.inputs[0]], outputs: [indices], attributes: { to: { type: 'int', value: INT32 } } });
    nodes.push({ name: node.name, opType: 'Gather', domain: '', inputs: [rotated, indices], outputs: [...node.outputs], attributes: { axis: { type: 'int', value: 0 } } });
  }
  return { ...graph, nodes, initializers };
}

/**
 * `graph` with every Cast(int8/uint8 → int32) + Gather(256-entry 8-bit constant, axis 0) that is
 * the Cast's only reader turned back into a QLinearLookup. `dtypeOf` gives the Cast input's type.
 */
export function gatherToLookups(graph: Graph, dtypeOf: (name: string) => string | undefined): Graph {
  const made = producers(graph);
  const readers = consumers(graph);
  const casts = new Set<Node>();
  const replaced = new Map<Node, Node>();
  for (const node of graph.nodes) {
    if (node.opType !== 'Gather' || node.domain !== '' || attrInt(node, 'axis', 0) !== 0) continue;
    const table = graph.initializers.get(node.inputs[0]);
    const cast = made.get(node.inputs[1]);
    if (table === undefined || table.shape.length !== 1 || table.shape[0] !== 256 || (table.dtype !== 'int8' && table.dtype !== 'uint8')) continue;
    if (cast === undefined || cast.opType !== 'Cast' || cast.domain !== '' || attrInt(cast, 'to', 0) !== INT32 || readers.get(cast.outputs[0])?.length !== 1) continue;
    const input = dtypeOf(cast.inputs[0]);
    if (input !== 'int8' && input !== 'uint8') continue;
    const offset = input === 'int8' ? 128 : 0; // −min of the input type
    const lookup = tensor(table.dtype, [256]);
    for (let i = 0; i < 256; i++) lookup.data[i] = table.data[(((i - offset) % 256) + 256) % 256];
    casts.add(cast);
    replaced.set(node, {
      name: node.name,
      opType: LOOKUP_OP,
      domain: LOOKUP_DOMAIN,
      inputs: [cast.inputs[0]],
      outputs: [...node.outputs],
      attributes: { table: { type: 'tensor', value: lookup }, input_offset: { type: 'int', value: offset } },
    });
  }
  if (replaced.size === 0) return graph;
  const nodes = graph.nodes.filter((n) => !casts.has(n)).map((n) => replaced.get(n) ?? n);
  return { ...graph, nodes };
}
