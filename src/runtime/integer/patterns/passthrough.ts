/**
 * Ops that move or select values without computing new ones (MaxPool, Reshape, Flatten,
 * Transpose, Squeeze, Unsqueeze, Slice, Split, Gather, Identity): the same op on the integer
 * tensor. Their outputs normally share the input's parameters (ptq/roles.ts); an output on
 * another grid gets a QLinearLookup of the identity, Q_out(DQ_in(q)) — exact for MaxPool too,
 * since a monotone map commutes with max.
 */
import type { Node } from '../../../ir/graph.ts';
import { isFloat } from '../../../ir/dtype.ts';
import { lookupNode, lookupTable } from '../lookup-table.ts';
import { activationOperand } from '../operands.ts';
import { quantizedOutput, writeOutput } from '../outputs.ts';
import { fail, found } from '../qdq-index.ts';
import { sameGrid } from './activation.ts';
import type { Pattern } from './pattern.ts';

export const PASSTHROUGH_OPS: ReadonlySet<string> = new Set(['MaxPool', 'Reshape', 'Flatten', 'Transpose', 'Squeeze', 'Unsqueeze', 'Slice', 'Split', 'Gather', 'Identity']);

export const passthroughPattern: Pattern = (ctx, node) => {
  if (node.opType === 'MaxPool' && (node.outputs[1] ?? '') !== '') return fail('MaxPool with Indices output');
  for (const name of node.inputs.slice(1)) {
    const dtype = name === '' ? undefined : ctx.index.dtypeOf(name);
    if (dtype !== undefined && isFloat(dtype)) return fail(`input ${JSON.stringify(name)} is ${dtype}`);
  }
  const x = activationOperand(ctx, node.inputs[0]);
  if (!x.ok) return x;
  const outs = [];
  for (const output of node.outputs) {
    const out = output === '' ? undefined : quantizedOutput(ctx.index, node, output);
    if (out !== undefined && !out.ok) return out;
    outs.push(out?.value);
  }
  // Tables first: a failure must leave nothing written.
  const tables = [];
  for (const out of outs) {
    const table = out === undefined || sameGrid(x.value, out.q) ? undefined : lookupTable(x.value, out.q, (t) => t, node.name);
    if (table !== undefined && !table.ok) return table;
    tables.push(table?.value);
  }
  const outputs: string[] = [];
  const tail: Node[] = [];
  const absorbed: Node[] = [];
  for (const [i, out] of outs.entries()) {
    if (out === undefined) {
      outputs.push('');
      continue;
    }
    const written = writeOutput(ctx, out, node.name);
    absorbed.push(...written.absorbed);
    const table = tables[i];
    if (table === undefined) {
      outputs.push(written.name);
    } else {
      // Another grid: requantize the moved integers through the identity's table.
      const moved = ctx.fresh(`${out.q.output}_moved`);
      outputs.push(moved);
      tail.push(lookupNode(ctx, ctx.fresh(`${node.name}_requantize_${i}`), { ...x.value, name: moved }, written.name, table));
    }
    tail.push(...written.tail);
  }
  const moved = ctx.node(node.opType, [x.value.name, ...node.inputs.slice(1)], outputs, { name: node.name, attributes: node.attributes });
  return found({ nodes: [moved, ...tail], absorbed });
};
