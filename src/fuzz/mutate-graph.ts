/**
 * Structural mutations of a decoded model: value names duplicated or dangling, node inputs
 * rewired into cycles, nodes changed / removed / duplicated, graph input and output types,
 * opset and IR versions, and subgraphs nested deeper than any limit.
 */
import { int64Field } from '../onnx/proto/codec.ts';
import { AttributeProto_AttributeType as A, TensorProto_DataType as DT, type GraphProto, type ModelProto, type NodeProto } from '../onnx/proto/onnx.generated.ts';
import { ABSURD_DIMS } from './mutate-tensors.ts';
import { valueNames, type ProtoSites } from './proto-sites.ts';
import type { FuzzRandom } from './random.ts';

/** Ops a node may turn into: the supported ones with the most geometry, plus unknown ones. */
const OP_TYPES = [
  'Conv', 'ConvTranspose', 'MaxPool', 'AveragePool', 'GlobalAveragePool', 'Gemm', 'MatMul', 'Add', 'Mul', 'Relu', 'Reshape',
  'Flatten', 'Transpose', 'Concat', 'Split', 'Slice', 'Gather', 'Expand', 'Tile', 'Pad', 'Resize', 'ConstantOfShape', 'Shape',
  'Squeeze', 'Unsqueeze', 'Softmax', 'ReduceMean', 'BatchNormalization', 'Cast', 'Where', 'Range', 'QuantizeLinear',
  'DequantizeLinear', 'QLinearConv', 'QLinearMatMul', 'If', 'Loop', 'NoSuchOp',
];

/** Node outputs or inputs renamed so a value is produced twice, read before it exists, or never produced. */
export function mutateNames(sites: ProtoSites, rng: FuzzRandom): boolean {
  if (sites.nodes.length === 0) return false;
  const { node, graph } = rng.pick(sites.nodes);
  const names = valueNames(graph);
  const pickList = rng.pick(['input', 'output', 'initializer', 'graph-io'] as const);
  const fresh = rng.pick([...names, '', `dangling_${rng.below(100)}`]);
  if (pickList === 'initializer' && (graph.initializer ?? []).length > 0) rng.pick(graph.initializer!).name = fresh;
  else if (pickList === 'graph-io' && (graph.input ?? []).length + (graph.output ?? []).length > 0) rng.pick([...(graph.input ?? []), ...(graph.output ?? [])]).name = fresh;
  else {
    const list = pickList === 'input' || (node.output ?? []).length === 0 ? (node.input ??= []) : node.output!;
    if (list.length === 0) list.push(fresh);
    else list[rng.below(list.length)] = fresh;
  }
  return true;
}

/** A node input rewired to the output of itself or a later node: a cycle. */
export function mutateCycle(sites: ProtoSites, rng: FuzzRandom): boolean {
  const graphs = sites.graphs.filter((g) => (g.node ?? []).length > 0);
  if (graphs.length === 0) return false;
  const nodes = rng.pick(graphs).node!;
  const i = rng.below(nodes.length);
  const later = nodes[rng.between(i, nodes.length - 1)];
  const output = rng.pick(later.output?.length ? later.output : ['']);
  const inputs = (nodes[i].input ??= []);
  if (inputs.length === 0) inputs.push(output);
  else inputs[rng.below(inputs.length)] = output;
  return true;
}

/** Changes what a node is: another op type or domain, inputs dropped / added / swapped, removed or duplicated. */
export function mutateNode(sites: ProtoSites, rng: FuzzRandom): boolean {
  if (sites.nodes.length === 0) return false;
  const { node, graph } = rng.pick(sites.nodes);
  const inputs = (node.input ??= []);
  switch (rng.below(7)) {
    case 0:
      node.op_type = rng.pick(OP_TYPES);
      break;
    case 1:
      node.domain = rng.pick(['com.microsoft', 'ai.onnx.ml', 'bogus.domain', 'ai.quantkit', 'ai.onnx']);
      break;
    case 2:
      inputs.splice(rng.below(inputs.length + 1), 1);
      break;
    case 3:
      inputs.push(rng.pick([...valueNames(graph), '']));
      break;
    case 4:
      if (inputs.length > 1) {
        const [a, b] = [rng.below(inputs.length), rng.below(inputs.length)];
        [inputs[a], inputs[b]] = [inputs[b], inputs[a]];
      }
      break;
    case 5:
      graph.node!.splice(graph.node!.indexOf(node), 1);
      break;
    default:
      graph.node!.splice(rng.below(graph.node!.length + 1), 0, { ...node, input: [...inputs], output: [...(node.output ?? [])] } as NodeProto);
  }
  return true;
}

/** Graph input / output / value_info types: dims huge, zero, negative, symbolic or dropped; element types wrong. */
export function mutateValueTypes(sites: ProtoSites, rng: FuzzRandom): boolean {
  const values = sites.values.filter((v) => v.type?.tensor_type);
  if (values.length === 0) return false;
  const tensorType = rng.pick(values).type!.tensor_type!;
  const dims = tensorType.shape?.dim ?? [];
  const roll = rng.below(5);
  if (roll === 0) tensorType.elem_type = rng.pick([0, DT.INT64, DT.UINT8, DT.DOUBLE, DT.FLOAT16, DT.STRING, DT.BOOL, DT.INT4, 99]);
  else if (roll === 1) delete tensorType.shape;
  else if (roll === 2 || dims.length === 0) tensorType.shape = { dim: [...dims, { dim_value: int64Field(rng.pick(ABSURD_DIMS)) }] };
  else if (roll === 3) dims[rng.below(dims.length)] = { dim_value: int64Field(rng.pick(ABSURD_DIMS)) };
  else dims[rng.below(dims.length)] = rng.chance(0.5) ? { dim_param: rng.pick(['N', 'batch', '']) } : {};
  return true;
}

/** Opset and IR versions unknown, negative, huge, missing or repeated. */
export function mutateOpset(model: ModelProto, rng: FuzzRandom): boolean {
  const opsets = (model.opset_import ??= []);
  const roll = rng.below(5);
  const version = int64Field(rng.pick([0, -1, 1, 6, 7, 9, 10, 12, 17, 21, 23, 99, 2 ** 40]));
  if (roll === 0 || opsets.length === 0) opsets.push({ domain: rng.pick(['', 'ai.onnx', 'com.microsoft', 'x']), version });
  else if (roll === 1) opsets.splice(rng.below(opsets.length), 1);
  else if (roll === 2) model.ir_version = int64Field(rng.pick([0, -1, 1, 3, 99, 2 ** 40]));
  else opsets[rng.below(opsets.length)].version = version;
  return true;
}

/** Wraps a graph's first node in an If whose then-branch nests 1–30 levels deep (protobuf decoders stop at 100 message levels) (past maxSubgraphDepth). */
export function mutateNesting(sites: ProtoSites, rng: FuzzRandom): boolean {
  const graph = sites.graphs[0];
  if (graph === undefined || (graph.node ?? []).length === 0) return false;
  const inner = graph.node![0];
  const outputs = [...(inner.output ?? [])];
  const leaf = (): GraphProto => ({ name: 'leaf', node: [inner], output: outputs.map((name) => ({ name })) });
  // Only the then-branch nests (both would double the file per level).
  const ifNode = (cond: string, then: GraphProto): NodeProto => ({
    op_type: 'If',
    input: [cond],
    output: outputs,
    attribute: [{ name: 'then_branch', type: A.GRAPH, g: then }, { name: 'else_branch', type: A.GRAPH, g: leaf() }],
  });
  let branch = leaf();
  for (let level = rng.between(1, 30); level > 1; level--) {
    branch = { name: `level${level}`, initializer: [{ name: `c${level}`, data_type: DT.BOOL, dims: [], raw_data: Uint8Array.of(1) }], node: [ifNode(`c${level}`, branch)], output: branch.output };
  }
  graph.initializer = [...(graph.initializer ?? []), { name: 'fuzz_cond', data_type: DT.BOOL, dims: [], raw_data: Uint8Array.of(rng.below(2)) }];
  graph.node![0] = ifNode('fuzz_cond', branch);
  return true;
}
