/**
 * Applies a QuantPlan to the float graph, giving the standard ONNX QDQ form that onnxruntime and
 * quantkit's simulated executor both run (fake quantization, docs/QUANTIZATION.md eq. (1)–(3)):
 *
 * - a weight W becomes an integer initializer and DequantizeLinear(W_q, scale, zero point[, axis,
 *   block_size]) feeding the layer; an int32 bias likewise;
 * - a quantized activation t gets QuantizeLinear → DequantizeLinear right after its producer: the
 *   producer now writes `t_float` and the DequantizeLinear writes `t`, so every consumer and the
 *   graph outputs read the fake-quantized value under the original name;
 * - activations narrower than their container (e.g. 6 bits in uint8) get a Clip between Q and DQ,
 *   because QuantizeLinear saturates only to the container's range.
 * Containers: 4-bit → int4/uint4, up to 8 → int8/uint8, up to 16 → int16/uint16, bias → int32.
 */
import { DTYPES, type DType } from '../ir/dtype.ts';
import type { Graph, Model, Node } from '../ir/graph.ts';
import { uniqueNamesFor } from '../ir/names.ts';
import { inferShapes } from '../ir/shape-inference.ts';
import { scalar, tensor, type Tensor } from '../ir/tensor.ts';
import { scaleLayout } from '../quant/layout.ts';
import type { QuantParams } from '../quant/params.ts';
import { quantize } from '../quant/quantize.ts';
import type { QuantPlan } from './plan.ts';

/** The ONNX element type holding values of `params` (weights are stored in it). */
export function containerDtype(params: Pick<QuantParams, 'bits' | 'signed'>): DType {
  const { bits, signed } = params;
  if (bits === 32) return 'int32';
  if (bits <= 4) return signed ? 'int4' : 'uint4';
  if (bits <= 8) return signed ? 'int8' : 'uint8';
  return signed ? 'int16' : 'uint16';
}

/** Activations use a sub-byte container only at exactly 4 bits (where Q saturates correctly); other widths sit in 8/16 bits with a Clip. */
function activationContainer(params: QuantParams): DType {
  if (params.bits === 4) return params.signed ? 'int4' : 'uint4';
  return containerDtype({ bits: params.bits <= 8 ? 8 : 16, signed: params.signed });
}

export interface QdqModel {
  readonly model: Model;
  /** Quantized activation → the value holding its fake-quantized form (itself, except for graph inputs). */
  readonly dequantized: ReadonlyMap<string, string>;
}

export function applyPlan(model: Model, plan: QuantPlan): QdqModel {
  const graph = model.graph;
  const names = uniqueNamesFor(graph);
  const initializers = new Map(graph.initializers);
  const prefix: Node[] = []; // weight/bias dequantization and graph-input Q/DQ, before everything
  const after = new Map<string, Node[]>(); // producer node name → Q/DQ nodes to place after it
  const inputRenames = new Map<string, string>(); // value → its dequantized name, for consumers (weights, graph inputs)
  const outputRenames = new Map<string, string>(); // node output → `_float` name the producer now writes
  const dequantizedNames = new Map<string, string>();

  const dequantizeNode = (input: string, scale: string, zeroPoint: string, output: string, params: QuantParams): Node => ({
    name: names.next(`${output}_DequantizeLinear`),
    opType: 'DequantizeLinear',
    domain: '',
    inputs: [input, scale, zeroPoint],
    outputs: [output],
    attributes: {
      ...(params.axis === undefined ? {} : { axis: { type: 'int', value: params.axis } }),
      ...(params.groupSize === undefined ? {} : { block_size: { type: 'int', value: params.groupSize } }),
    },
  });

  // Constants: weights and biases quantized offline.
  for (const [name, entry] of [...plan.weights, ...plan.biases]) {
    const float = graph.initializers.get(name) as Tensor;
    const dtype = containerDtype(entry.params);
    const scaleShape = scaleLayout(float.shape, entry.params.axis, entry.params.groupSize).scaleShape;
    const q = initializerName(names, `${name}_quantized`, tensor(dtype, float.shape, quantize(float.data as Float32Array, float.shape, entry.params)), initializers);
    const scale = initializerName(names, `${name}_scale`, tensor('float32', scaleShape, Float32Array.from(entry.params.scale)), initializers);
    const zero = initializerName(names, `${name}_zero_point`, zeroPointTensor(dtype, scaleShape, entry.params.zeroPoint), initializers);
    const output = names.next(`${name}_dequantized`);
    prefix.push(dequantizeNode(q, scale, zero, output, entry.params));
    inputRenames.set(name, output);
  }

  // Activations: one scale/zero point per shared group.
  const groupConstants = new Map<string, { scale: string; zero: string; qmin?: string; qmax?: string }>();
  const producerOf = new Map<string, Node>();
  for (const node of graph.nodes) for (const o of node.outputs) producerOf.set(o, node);
  for (const t of plan.targets.activations) {
    const entry = plan.activations.get(t);
    if (entry === undefined) continue;
    const { params } = entry;
    const dtype = activationContainer(params);
    let constants = groupConstants.get(entry.group);
    if (constants === undefined) {
      const scale = initializerName(names, `${entry.group}_scale`, scalar('float32', params.scale[0]), initializers);
      const zero = initializerName(names, `${entry.group}_zero_point`, zeroPointTensor(dtype, [], params.zeroPoint), initializers);
      const narrow = params.qmin > DTYPES[dtype].min! || params.qmax < DTYPES[dtype].max!;
      constants = narrow
        ? {
            scale,
            zero,
            qmin: initializerName(names, `${entry.group}_qmin`, scalar(dtype, params.qmin), initializers),
            qmax: initializerName(names, `${entry.group}_qmax`, scalar(dtype, params.qmax), initializers),
          }
        : { scale, zero };
      groupConstants.set(entry.group, constants);
    }
    const producer = producerOf.get(t);
    const source = producer === undefined ? t : names.next(`${t}_float`);
    const quantized = names.next(`${t}_quantized`);
    const dequantized = producer === undefined ? names.next(`${t}_dequantized`) : t;
    const chain: Node[] = [
      { name: names.next(`${t}_QuantizeLinear`), opType: 'QuantizeLinear', domain: '', inputs: [source, constants.scale, constants.zero], outputs: [quantized], attributes: {} },
    ];
    let last = quantized;
    if (constants.qmin !== undefined && constants.qmax !== undefined) {
      const clipped = names.next(`${t}_clipped`);
      chain.push({ name: names.next(`${t}_Clip`), opType: 'Clip', domain: '', inputs: [quantized, constants.qmin, constants.qmax], outputs: [clipped], attributes: {} });
      last = clipped;
    }
    chain.push(dequantizeNode(last, constants.scale, constants.zero, dequantized, params));
    dequantizedNames.set(t, dequantized);
    if (producer === undefined) {
      prefix.push(...chain);
      inputRenames.set(t, dequantized);
    } else {
      outputRenames.set(t, source);
      const list = after.get(producer.name) ?? [];
      list.push(...chain);
      after.set(producer.name, list);
    }
  }

  const nodes: Node[] = [...prefix];
  for (const node of graph.nodes) {
    nodes.push({
      ...node,
      inputs: node.inputs.map((i) => inputRenames.get(i) ?? i),
      outputs: node.outputs.map((o) => outputRenames.get(o) ?? o),
    });
    nodes.push(...(after.get(node.name) ?? []));
  }
  // Float constants that only the quantized form used are gone.
  const used = new Set(nodes.flatMap((n) => n.inputs));
  for (const name of [...plan.weights.keys(), ...plan.biases.keys()]) if (!used.has(name)) initializers.delete(name);
  const quantizedGraph: Graph = { ...graph, nodes, initializers };
  return { model: { ...model, graph: inferShapes(quantizedGraph) }, dequantized: dequantizedNames };
}

function initializerName(names: ReturnType<typeof uniqueNamesFor>, base: string, value: Tensor, initializers: Map<string, Tensor>): string {
  const name = names.next(base);
  initializers.set(name, value);
  return name;
}

function zeroPointTensor(dtype: DType, shape: readonly number[], zeroPoint: Int32Array): Tensor {
  const t = tensor(dtype, shape);
  for (let i = 0; i < t.data.length; i++) t.data[i] = zeroPoint[i];
  return t;
}

