/**
 * Model → ONNX ModelProto bytes. Initializers are written as raw_data (sub-byte types packed,
 * narrow floats as bit patterns). The default-domain opset is chosen so every node's IR form is
 * valid (src/onnx/op-versions.ts); a lower requested opset is reached through the trivial
 * down-conversions of src/onnx/downgrade.ts or rejected.
 */
import { UnsupportedOpError } from '../errors.ts';
import type { Attribute, Graph, Model, Node, ValueInfo } from '../ir/graph.ts';
import { inferShapes } from '../ir/shape-inference.ts';
import { describeNode, outerReferences, subgraphsOf } from '../ir/topology.ts';
import { encodeAttribute, type AttributeEncoder } from './attributes.ts';
import { downgradeNode } from './downgrade.ts';
import { irVersionForOpset, requiredOpset } from './op-versions.ts';
import { encodeModelProto, int64Field } from './proto/codec.ts';
import type { GraphProto, ModelProto, NodeProto } from './proto/onnx.generated.ts';
import { tensorToProto } from './tensor.ts';
import { encodeValueInfo } from './value-info.ts';

export interface ExportOptions {
  /**
   * Opset of the default domain. Default: the highest of the model's opset and what its nodes
   * need. A lower value than the nodes need is reached by trivial down-conversions or throws
   * UnsupportedOpError naming the node and the opset it needs.
   */
  readonly opset?: number;
  /** Also write the inferred type of every intermediate value as value_info (default: only the graph's own valueInfo). */
  readonly inferShapes?: boolean;
  /** producer_name to write when the model has none (default 'quantkit'). */
  readonly producerName?: string;
}

type Info = (name: string) => ValueInfo | undefined;

/** Value types known from the graph itself plus shape inference (for type-dependent opset needs). */
function typeLookup(graph: Graph, outer: Info): Info {
  let inferred: Graph = graph;
  try {
    inferred = inferShapes(graph, { outer });
  } catch {
    // Inconsistent shapes do not stop an export; only the graph's own types are used then.
  }
  return (name) => {
    const t = graph.initializers.get(name);
    if (t !== undefined) return { name, dtype: t.dtype, shape: t.shape };
    return inferred.valueInfo.get(name) ?? inferred.inputs.find((v) => v.name === name) ?? inferred.outputs.find((v) => v.name === name) ?? outer(name);
  };
}

function highestNeeded(graph: Graph, outer: Info): number {
  const info = typeLookup(graph, outer);
  let needed = 1;
  for (const node of graph.nodes) {
    needed = Math.max(needed, requiredOpset(node, info));
    for (const subgraph of subgraphsOf(node)) needed = Math.max(needed, highestNeeded(subgraph, info));
  }
  return needed;
}

/** The default-domain opset exportModel writes for `model` with `options`. */
export function exportOpset(model: Model, options: ExportOptions = {}): number {
  return options.opset ?? Math.max(model.opsets.get('') ?? 1, highestNeeded(model.graph, () => undefined));
}

/** Rewrites nodes that need more than `opset` into older forms, or throws naming the node. */
function fitToOpset(graph: Graph, opset: number, what: string, outer: Info): Graph {
  const info = typeLookup(graph, outer);
  let changed = false;
  const nodes = graph.nodes.map((node, index): Node => {
    const fitted = fitSubgraphs(node, opset, what, info);
    const needed = requiredOpset(fitted, info);
    if (needed <= opset) return fitted;
    const older = downgradeNode(fitted, opset, { initializer: (name) => graph.initializers.get(name), info });
    if (older === undefined) {
      throw new UnsupportedOpError(`${what}: ${describeNode(node, index)} needs opset ${needed} in its current form; cannot export at opset ${opset}`);
    }
    changed = true;
    return older;
  });
  if (!changed && nodes.every((n, i) => n === graph.nodes[i])) return graph;
  // Constants that only fed inputs moved back into attributes are dropped.
  const used = new Set<string>(graph.outputs.map((v) => v.name));
  for (const node of nodes) {
    for (const name of node.inputs) used.add(name);
    for (const subgraph of subgraphsOf(node)) for (const name of outerReferences(subgraph)) used.add(name);
  }
  const wasUsed = new Set(graph.nodes.flatMap((n) => n.inputs));
  const initializers = new Map([...graph.initializers].filter(([name]) => used.has(name) || !wasUsed.has(name)));
  return { ...graph, nodes, initializers };
}

function fitSubgraphs(node: Node, opset: number, what: string, outer: Info): Node {
  const subgraphs = subgraphsOf(node);
  if (subgraphs.length === 0) return node;
  const attributes: Record<string, Attribute> = {};
  for (const [key, a] of Object.entries(node.attributes)) {
    attributes[key] = a.type === 'graph'
      ? { type: 'graph', value: fitToOpset(a.value, opset, what, outer) }
      : a.type === 'graphs'
        ? { type: 'graphs', value: a.value.map((g) => fitToOpset(g, opset, what, outer)) }
        : a;
  }
  return { ...node, attributes };
}

function encodeNode(node: Node, encoder: AttributeEncoder): NodeProto {
  return {
    name: node.name,
    op_type: node.opType,
    domain: node.domain,
    input: [...node.inputs],
    output: [...node.outputs],
    attribute: Object.entries(node.attributes).map(([name, a]) => encodeAttribute(name, a, encoder)),
  };
}

function encodeGraph(graph: Graph, initializersAsInputs: boolean): GraphProto {
  const encoder: AttributeEncoder = { tensor: (t) => tensorToProto(t), graph: (g) => encodeGraph(g, false) };
  const inputs = graph.inputs.map(encodeValueInfo);
  if (initializersAsInputs) {
    // IR < 4 requires every initializer to be listed as a graph input as well.
    for (const [name, t] of graph.initializers) inputs.push(encodeValueInfo({ name, dtype: t.dtype, shape: t.shape }));
  }
  return {
    name: graph.name,
    node: graph.nodes.map((n) => encodeNode(n, encoder)),
    initializer: [...graph.initializers].map(([name, t]) => tensorToProto(t, name)),
    input: inputs,
    output: graph.outputs.map(encodeValueInfo),
    // Entries without an element type say nothing a reader could use.
    value_info: [...graph.valueInfo.values()].filter((v) => v.dtype !== undefined).map(encodeValueInfo),
  };
}

/** The ModelProto (as plain generated-interface objects) that exportModel serializes. */
export function modelToProto(model: Model, options: ExportOptions = {}): ModelProto {
  const opset = exportOpset(model, options);
  let graph = fitToOpset(model.graph, opset, 'export', () => undefined);
  if (options.inferShapes) graph = inferShapes(graph);
  const irVersion = Math.max(model.irVersion, irVersionForOpset(opset));
  const opsets = new Map(model.opsets);
  opsets.set('', opset);
  const visit = (g: Graph) => {
    for (const node of g.nodes) {
      if (!opsets.has(node.domain)) opsets.set(node.domain, 1);
      subgraphsOf(node).forEach(visit);
    }
  };
  visit(graph);
  return {
    ir_version: int64Field(irVersion),
    opset_import: [...opsets].map(([domain, version]) => ({ domain, version: int64Field(version) })),
    producer_name: model.producerName ?? options.producerName ?? 'quantkit',
    ...(model.producerVersion ? { producer_version: model.producerVersion } : {}),
    ...(model.docString ? { doc_string: model.docString } : {}),
    metadata_props: [...(model.metadata ?? [])].map(([key, value]) => ({ key, value })),
    graph: encodeGraph(graph, irVersion < 4),
  };
}

/** Serializes a model as ONNX ModelProto bytes. */
export function exportModel(model: Model, options: ExportOptions = {}): Uint8Array {
  return encodeModelProto(modelToProto(model, options));
}
