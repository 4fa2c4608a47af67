/**
 * The QAT graph: a prepared float model (BatchNorm folded) with a quantizer node at every place the
 * PTQ plan quantizes — each weight, each int32 bias, each activation group — so that training sees
 * the quantized network's forward pass (docs/QUANTIZATION.md §1). The placement follows the plan's
 * targets exactly as ptq/qdq.ts places Quantize/Dequantize pairs: a quantized activation t is
 * written by its producer as `t_float` and by the quantizer as `t`, so every consumer reads the
 * fake-quantized value. A passthrough op's output (MaxPool, Flatten, …) in its input's group is
 * already on the group's grid and gets no second quantizer. Quantizer parameters (steps, α) are
 * initializers of the graph, trained like the weights.
 */
import type { Graph, Model, Node } from '../ir/graph.ts';
import { toAttribute } from '../ir/builder.ts';
import { uniqueNamesFor } from '../ir/names.ts';
import { topologicalOrder } from '../ir/topology.ts';
import type { Tensor } from '../ir/tensor.ts';
import type { QuantPlan } from '../ptq/plan.ts';
import { roleOf } from '../ptq/roles.ts';
import type { QatMethod, QuantizerSpec } from './methods.ts';
import { QAT_DOMAIN } from './quantizers/quantizer.ts';
import { trainableParameters } from './train/parameters.ts';
import type { ParameterSpec } from './train/trainer.ts';

export interface QatGraph {
  readonly model: Model;
  /** What training updates: weights, biases, and the quantizers' learned parameters. */
  readonly parameters: ReadonlyMap<string, ParameterSpec>;
  /** Activation group → the quantizer node holding its parameters. */
  readonly activationQuantizers: ReadonlyMap<string, Node>;
  /** Weight initializer → its quantizer node. */
  readonly weightQuantizers: ReadonlyMap<string, Node>;
}

export function buildQatGraph(prepared: Model, plan: QuantPlan, method: QatMethod, weightDecay: number): QatGraph {
  const graph = prepared.graph;
  const names = uniqueNamesFor(graph);
  const initializers = new Map(graph.initializers);
  const parameters = new Map<string, ParameterSpec>(trainableParameters(graph, weightDecay));
  const added: Node[] = [];
  const renames = new Map<string, string>(); // consumer-side: initializer or graph input → quantized name
  const producerRenames = new Map<string, string>(); // producer-side: t → t_float
  const activationQuantizers = new Map<string, Node>();
  const weightQuantizers = new Map<string, Node>();
  const scaleOfGroup = new Map<string, string>();
  const scaleOfWeight = new Map<string, string>();

  const quantizer = (base: string, input: string, output: string, spec: QuantizerSpec, shared?: readonly string[]): Node => {
    const inputs = shared ?? spec.inputs.map(({ suffix, value, parameter }) => {
      const name = names.next(`${base}_${suffix}`);
      initializers.set(name, value);
      if (parameter !== undefined) parameters.set(name, parameter);
      return name;
    });
    const attributes = Object.fromEntries(Object.entries(spec.attributes).map(([k, v]) => [k, toAttribute(k, v)]));
    const node: Node = { name: names.next(`${base}_${spec.op}`), opType: spec.op, domain: QAT_DOMAIN, inputs: [input, ...inputs], outputs: [output, names.next(`${output}_scale`)], attributes };
    added.push(node);
    return node;
  };

  for (const [weight, entry] of plan.weights) {
    const value = initializers.get(weight) as Tensor;
    const node = quantizer(weight, weight, names.next(`${weight}_quantized`), method.weight(entry.params, value));
    renames.set(weight, node.outputs[0]);
    weightQuantizers.set(weight, node);
    scaleOfWeight.set(weight, node.outputs[1]);
  }

  const producers = new Map<string, Node>();
  for (const node of graph.nodes) for (const o of node.outputs) producers.set(o, node);
  const groupInputs = new Map<string, string[]>(); // group → its quantizer's parameter inputs, once created
  for (const t of plan.targets.activations) {
    const entry = plan.activations.get(t);
    if (entry === undefined) continue;
    const producer = producers.get(t);
    const role = producer === undefined ? undefined : roleOf(producer);
    if (role?.kind === 'passthrough' && plan.activations.get(producer!.inputs[0])?.group === entry.group) continue;
    const info = graph.valueInfo.get(t) ?? graph.inputs.find((v) => v.name === t);
    const perSample = (info?.shape ?? []).slice(1).reduce<number>((n, d) => n * (typeof d === 'number' ? d : 1), 1);
    const spec = method.activation({ params: entry.params, afterRelu: producer?.opType === 'Relu', graphInput: producer === undefined, featuresPerSample: perSample });
    const source = producer === undefined ? t : names.next(`${t}_float`);
    const output = producer === undefined ? names.next(`${t}_quantized`) : t;
    const node = quantizer(entry.group, source, output, spec, groupInputs.get(entry.group));
    groupInputs.set(entry.group, node.inputs.slice(1));
    if (producer === undefined) renames.set(t, output);
    else producerRenames.set(t, source);
    if (!activationQuantizers.has(entry.group)) {
      activationQuantizers.set(entry.group, node);
      scaleOfGroup.set(entry.group, node.outputs[1]);
    }
  }

  for (const [bias, entry] of plan.biases) {
    const layer = plan.targets.layers.find((l) => l.bias === bias && l.node.name === entry.node)!;
    const inputScale = scaleOfGroup.get(plan.activations.get(layer.input)!.group)!;
    const output = names.next(`${bias}_quantized`);
    added.push({ name: names.next(`${bias}_BiasQuant`), opType: 'BiasQuant', domain: QAT_DOMAIN, inputs: [bias, inputScale, scaleOfWeight.get(layer.weight)!], outputs: [output, ''], attributes: {} });
    renames.set(bias, output);
  }

  const nodes = [
    ...graph.nodes.map((node) => ({ ...node, inputs: node.inputs.map((i) => renames.get(i) ?? i), outputs: node.outputs.map((o) => producerRenames.get(o) ?? o) })),
    ...added,
  ];
  const qat: Graph = { ...graph, nodes: topologicalOrder(nodes, 'QAT graph'), initializers };
  return { model: { ...prepared, graph: qat }, parameters, activationQuantizers, weightQuantizers };
}
