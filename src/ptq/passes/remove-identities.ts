/**
 * Identity removal: Identity nodes go (ir/passes/identity-elimination.ts), and so does Dropout in
 * inference (no training_mode, or a constant false one, or a constant ratio of 0), whose mask
 * output nobody reads: it is the identity then. A Dropout that must stay because its output is
 * also a graph output read straight from an input or another output becomes an Identity.
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { consumers, outputNames } from '../../ir/graph-utils.ts';
import { eliminateIdentities } from '../../ir/passes/identity-elimination.ts';
import { uniqueNamesFor } from '../../ir/names.ts';
import { dropStaleValues, nodeId } from './cleanup.ts';
import type { PassChange, PassResult } from './types.ts';

/** Removes Identity nodes and inference-mode Dropouts. */
export function removeIdentities(graph: Graph): PassResult {
  if (!graph.nodes.some((n) => n.domain === '' && (n.opType === 'Identity' || n.opType === 'Dropout'))) return { graph, changes: [] };
  const readers = consumers(graph);
  const outputs = outputNames(graph);
  const unused = (name: string | undefined) => name === undefined || name === '' || (!outputs.has(name) && !readers.has(name));
  const constantIs = (name: string | undefined, value: number) => {
    const t = name === undefined || name === '' ? undefined : graph.initializers.get(name);
    return t !== undefined && t.data.length === 1 && t.data[0] === value;
  };
  // Unnamed (and doubly named) nodes get temporary names so that the removed ones can be told apart afterwards.
  const names = uniqueNamesFor(graph);
  const originals = new Map<string, Node>();
  const dropouts = new Set<string>();
  const nodes = graph.nodes.map((node) => {
    const name = node.name !== '' && !originals.has(node.name) ? node.name : names.next('unnamed');
    originals.set(name, node);
    if (node.opType !== 'Dropout' || node.domain !== '' || (node.inputs[0] ?? '') === '' || (node.outputs[0] ?? '') === '') return { ...node, name };
    const inference = (node.inputs[2] ?? '') === '' || constantIs(node.inputs[2], 0) || constantIs(node.inputs[1], 0);
    if (!inference || !unused(node.outputs[1])) return { ...node, name };
    dropouts.add(name);
    return { ...node, name, opType: 'Identity', inputs: [node.inputs[0]], outputs: [node.outputs[0]], attributes: {} };
  });
  const result = eliminateIdentities({ ...graph, nodes });
  const remaining = new Set(result.nodes.map((n) => n.name));
  const changes: PassChange[] = [];
  for (const node of nodes) {
    if (node.opType !== 'Identity' || node.domain !== '') continue;
    const original = originals.get(node.name)!;
    const id = JSON.stringify(nodeId(original));
    if (!remaining.has(node.name)) {
      changes.push({ pass: 'remove-identities', nodes: [nodeId(original)], message: `${original.opType} ${id} removed (the identity at inference)` });
    } else if (dropouts.has(node.name)) {
      changes.push({ pass: 'remove-identities', nodes: [nodeId(original)], message: `Dropout ${id} replaced by Identity (inference; its output is a graph output)` });
    }
  }
  if (changes.length === 0) return { graph, changes };
  const restored = result.nodes.map((n) => {
    const name = originals.get(n.name)?.name ?? n.name;
    return name === n.name ? n : { ...n, name };
  });
  return { graph: dropStaleValues(graph, { ...result, nodes: restored }), changes };
}
