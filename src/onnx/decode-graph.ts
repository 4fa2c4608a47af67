/**
 * GraphProto → Graph: initializers, inputs (dropping those that are initializers, the pre-IR-4
 * style), outputs, value_info, nodes in topological order. Constant nodes of the default domain
 * become initializers named by their output. Subgraphs are decoded recursively up to the
 * configured depth.
 */
import { ModelFormatError } from '../errors.ts';
import type { Attribute, Graph, Node, ValueInfo } from '../ir/graph.ts';
import { checkLimit, type ByteBudget, type Limits } from '../ir/limits.ts';
import type { Tensor } from '../ir/tensor.ts';
import { topologicalOrder } from '../ir/topology.ts';
import { decodeAttribute, type AttributeDecoder } from './attributes.ts';
import { constantNodeValue } from './constant-node.ts';
import type { GraphProto, NodeProto } from './proto/onnx.generated.ts';
import { tensorFromProto, type ExternalDataResolver } from './tensor.ts';
import { decodeValueInfo } from './value-info.ts';

export interface DecodeContext {
  readonly limits: Limits;
  readonly budget: ByteBudget;
  readonly externalData?: ExternalDataResolver;
  /** Nodes decoded so far, over all graphs (checked against maxNodes). */
  nodeCount: number;
}

/** '' and 'ai.onnx' both name the default domain; the IR uses ''. */
export function normalizeDomain(domain: string | undefined): string {
  return domain === undefined || domain === 'ai.onnx' ? '' : domain;
}

function decodeNode(proto: NodeProto, index: number, ctx: DecodeContext, depth: number, what: string): Node {
  const name = proto.name ?? '';
  const opType = proto.op_type ?? '';
  const nodeWhat = `${what}: node ${name === '' ? `#${index}` : JSON.stringify(name)} (${opType || '?'})`;
  if (opType === '') throw new ModelFormatError(`${nodeWhat}: node without op_type`);
  const decoder: AttributeDecoder = {
    limits: ctx.limits,
    tensor: (t, where) => tensorFromProto(t, { what: where, limits: ctx.limits, budget: ctx.budget, externalData: ctx.externalData }),
    graph: (g, where) => decodeGraph(g, ctx, depth + 1, where),
  };
  const attributes: Record<string, Attribute> = {};
  for (const attribute of proto.attribute ?? []) {
    const key = attribute.name ?? '';
    if (key === '') throw new ModelFormatError(`${nodeWhat}: attribute without a name`);
    if (key in attributes) throw new ModelFormatError(`${nodeWhat}: attribute ${JSON.stringify(key)} appears twice`);
    attributes[key] = decodeAttribute(attribute, decoder, nodeWhat);
  }
  return { name, opType, domain: normalizeDomain(proto.domain), inputs: [...(proto.input ?? [])], outputs: [...(proto.output ?? [])], attributes };
}

/** Decodes a graph; `what` names it (file and enclosing node) for messages. */
export function decodeGraph(proto: GraphProto, ctx: DecodeContext, depth: number, what: string): Graph {
  checkLimit(ctx.limits, 'maxSubgraphDepth', depth, `${what}: subgraph nesting`);
  const graphName = proto.name ?? '';
  if ((proto.sparse_initializer ?? []).length > 0) throw new ModelFormatError(`${what}: sparse initializers are not supported`);
  const initializers = new Map<string, Tensor>();
  const addInitializer = (name: string, value: Tensor, source: string) => {
    if (name === '') throw new ModelFormatError(`${what}: ${source} without a name`);
    if (initializers.has(name)) throw new ModelFormatError(`${what}: initializer ${JSON.stringify(name)} is defined twice`);
    initializers.set(name, value);
  };
  for (const t of proto.initializer ?? []) {
    const name = t.name ?? '';
    addInitializer(name, tensorFromProto(t, { what: `${what}: initializer ${JSON.stringify(name)}`, limits: ctx.limits, budget: ctx.budget, externalData: ctx.externalData }), 'initializer');
  }
  const nodes: Node[] = [];
  (proto.node ?? []).forEach((nodeProto, index) => {
    ctx.nodeCount++;
    checkLimit(ctx.limits, 'maxNodes', ctx.nodeCount, `${what}: node count`);
    const node = decodeNode(nodeProto, index, ctx, depth, what);
    if (node.opType === 'Constant' && node.domain === '') {
      const where = `${what}: Constant node ${JSON.stringify(node.name || node.outputs[0] || `#${index}`)}`;
      if (node.outputs.length !== 1 || node.outputs[0] === '') throw new ModelFormatError(`${where}: needs exactly one output`);
      addInitializer(node.outputs[0], constantNodeValue(node, where), 'Constant output');
    } else {
      nodes.push(node);
    }
  });
  const valueInfoOf = (v: Parameters<typeof decodeValueInfo>[0], kind: string) => {
    const info = decodeValueInfo(v, `${what}: ${kind}`);
    if (info.name === '') throw new ModelFormatError(`${what}: ${kind} without a name`);
    return info;
  };
  const inputs = (proto.input ?? []).map((v) => valueInfoOf(v, 'graph input')).filter((v) => !initializers.has(v.name));
  const outputs = (proto.output ?? []).map((v) => valueInfoOf(v, 'graph output'));
  const valueInfo = new Map<string, ValueInfo>();
  for (const v of proto.value_info ?? []) {
    const info = valueInfoOf(v, 'value_info');
    valueInfo.set(info.name, info);
  }
  return {
    name: graphName,
    inputs,
    outputs,
    initializers,
    nodes: topologicalOrder(nodes, what),
    valueInfo,
  };
}
