/**
 * Where a decoded ModelProto can be mutated: its graphs (the main graph and every subgraph),
 * nodes, tensors (initializers and tensor-valued attributes), value infos and attributes,
 * collected in one walk so mutators pick among them uniformly.
 */
import type { AttributeProto, GraphProto, ModelProto, NodeProto, TensorProto, ValueInfoProto } from '../onnx/proto/onnx.generated.ts';

export interface NodeSite {
  readonly node: NodeProto;
  readonly graph: GraphProto;
}

export interface ProtoSites {
  readonly graphs: GraphProto[];
  readonly nodes: NodeSite[];
  /** Initializers and the tensors of TENSOR attributes (Constant values, ConstantOfShape fill). */
  readonly tensors: TensorProto[];
  /** Graph inputs, outputs and value_info entries. */
  readonly values: ValueInfoProto[];
  readonly attributes: { readonly attribute: AttributeProto; readonly node: NodeProto }[];
}

export function collectSites(model: ModelProto): ProtoSites {
  const sites: ProtoSites = { graphs: [], nodes: [], tensors: [], values: [], attributes: [] };
  if (model.graph) walkGraph(model.graph, sites);
  return sites;
}

function walkGraph(graph: GraphProto, sites: ProtoSites): void {
  sites.graphs.push(graph);
  sites.tensors.push(...(graph.initializer ?? []));
  sites.values.push(...(graph.input ?? []), ...(graph.output ?? []), ...(graph.value_info ?? []));
  for (const node of graph.node ?? []) {
    sites.nodes.push({ node, graph });
    for (const attribute of node.attribute ?? []) {
      sites.attributes.push({ attribute, node });
      if (attribute.t) sites.tensors.push(attribute.t);
      sites.tensors.push(...(attribute.tensors ?? []));
      if (attribute.g) walkGraph(attribute.g, sites);
      for (const g of attribute.graphs ?? []) walkGraph(g, sites);
    }
  }
}

/** Every value name a graph defines or reads (inputs, initializers, node inputs and outputs). */
export function valueNames(graph: GraphProto): string[] {
  const names = new Set<string>();
  for (const v of graph.input ?? []) if (v.name) names.add(v.name);
  for (const t of graph.initializer ?? []) if (t.name) names.add(t.name);
  for (const node of graph.node ?? []) for (const name of [...(node.input ?? []), ...(node.output ?? [])]) if (name) names.add(name);
  return [...names];
}
