/**
 * The "integer" QOperator form: each layer as its exact int32 accumulation (ConvInteger,
 * MatMulInteger) followed by the requantization written in float ops,
 *
 *   acc = ConvInteger(x, w, z_x, z_w) [+ bias];  y = QuantizeLinear(Cast(acc) · (s_x·s_w), s_y, z_y)
 *
 * (eqs. (10), (13), with the requantization of eq. (18) done in float32 instead of fixed point:
 * at most one step apart, at near-ties). It is what onnxruntime's dynamic quantizer writes, for
 * runtimes without QLinear ops. Layers whose scales are not constants, or whose convolution weights
 * have differing per-channel zero points (ConvInteger takes one), stay QLinear.
 */
import { attrInt } from '../../ir/attributes.ts';
import type { Attribute, Graph, Node } from '../../ir/graph.ts';
import { uniqueNamesFor, type UniqueNames } from '../../ir/names.ts';
import { tensor, type Tensor } from '../../ir/tensor.ts';

/** TensorProto.DataType FLOAT. */
const FLOAT = 1;

interface Emit {
  readonly names: UniqueNames;
  readonly initializers: Map<string, Tensor>;
  readonly nodes: Node[];
}

function add(emit: Emit, opType: string, inputs: string[], base: string, attributes: Record<string, Attribute> = {}, output?: string): string {
  const out = output ?? emit.names.next(base);
  emit.nodes.push({ name: emit.names.next(`${base}_${opType}`), opType, domain: '', inputs, outputs: [out], attributes });
  return out;
}

function constant(emit: Emit, base: string, value: Tensor): string {
  const name = emit.names.next(base);
  emit.initializers.set(name, value);
  return name;
}

/** s_a·s_b per output channel (float32 products), shaped to broadcast along `axis` of a rank-`rank` result. */
function accumulatorScales(a: Tensor, b: Tensor, rank: number, axis: number): Tensor {
  const n = b.data.length;
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = Math.fround(a.data[0] * b.data[i]);
  if (n === 1) return tensor('float32', [], data);
  const shape = Array.from({ length: rank }, (_, i) => (i === axis ? n : 1));
  return tensor('float32', shape, data);
}

/** The float requantization tail: Cast → Mul by s_a·s_b → QuantizeLinear (or the float result when there is no output scale). */
function requantize(emit: Emit, node: Node, acc: string, scales: Tensor, yScale: string, yZero: string): void {
  const real = add(emit, 'Cast', [acc], `${node.name}_acc_float`, { to: { type: 'int', value: FLOAT } });
  const y = add(emit, 'Mul', [real, constant(emit, `${node.name}_acc_scale`, scales)], `${node.name}_real`, {}, yScale === '' ? node.outputs[0] : undefined);
  if (yScale !== '') add(emit, 'QuantizeLinear', yZero === '' ? [y, yScale] : [y, yScale, yZero], node.name, {}, node.outputs[0]);
}

/**
 * A weight zero point as one scalar (onnxruntime's ConvInteger takes only per-tensor zero points):
 * per-channel values that are all equal collapse; undefined when they differ or are not constant.
 */
function scalarZeroPoint(emit: Emit, graph: Graph, name: string | undefined): string | undefined {
  if (name === undefined || name === '') return '';
  const zero = graph.initializers.get(name);
  if (zero === undefined || !zero.data.every((v) => v === zero.data[0])) return undefined;
  return zero.data.length === 1 ? name : constant(emit, `${name}_scalar`, tensor(zero.dtype, [], zero.data.slice(0, 1)));
}

function convInteger(emit: Emit, graph: Graph, node: Node): boolean {
  const [x, xScale, xZero, w, wScale, wZero, yScale, yZero, bias = ''] = node.inputs;
  const sx = graph.initializers.get(xScale);
  const sw = graph.initializers.get(wScale);
  const weight = graph.initializers.get(w);
  const wZeroScalar = scalarZeroPoint(emit, graph, wZero);
  if (sx === undefined || sw === undefined || weight === undefined || wZeroScalar === undefined) return false;
  const rank = weight.shape.length;
  let acc = add(emit, 'ConvInteger', [x, w, xZero, wZeroScalar], `${node.name}_acc`, { ...node.attributes });
  if (bias !== '') {
    const b = graph.initializers.get(bias);
    const shaped = b === undefined ? undefined : tensor('int32', Array.from({ length: rank }, (_, i) => (i === 1 ? b.data.length : 1)), b.data);
    acc = add(emit, 'Add', [acc, shaped === undefined ? bias : constant(emit, `${bias}_nchw`, shaped)], `${node.name}_acc_bias`);
  }
  requantize(emit, node, acc, accumulatorScales(sx, sw, rank, 1), yScale, yZero);
  return true;
}

function matmulInteger(emit: Emit, graph: Graph, node: Node, gemm: boolean): boolean {
  const [a, aScale, aZero, b, bScale, bZero, ...rest] = node.inputs;
  const [c, yScale, yZero] = gemm ? [rest[0] ?? '', rest[1] ?? '', rest[2] ?? ''] : ['', rest[0] ?? '', rest[1] ?? ''];
  const sa = graph.initializers.get(aScale);
  const sb = graph.initializers.get(bScale);
  if (sa === undefined || sb === undefined || sa.data.length !== 1) return false;
  let left = a;
  let right = b;
  if (gemm && attrInt(node, 'transA', 0) !== 0) left = add(emit, 'Transpose', [a], `${a}_t`);
  if (gemm && attrInt(node, 'transB', 0) !== 0) right = add(emit, 'Transpose', [b], `${b}_t`);
  let acc = add(emit, 'MatMulInteger', [left, right, aZero, bZero].map((n) => n ?? ''), `${node.name}_acc`);
  if (c !== '') acc = add(emit, 'Add', [acc, c], `${node.name}_acc_bias`);
  // Per-column scales run along the result's last axis: a 1-D [N] broadcasts there.
  requantize(emit, node, acc, accumulatorScales(sa, sb, 1, 0), yScale, yZero);
  return true;
}

/** `graph` with QLinearConv, QLinearMatMul and QGemm written as ConvInteger / MatMulInteger + float requantization. */
export function toIntegerForm(graph: Graph): Graph {
  const emit: Emit = { names: uniqueNamesFor(graph), initializers: new Map(graph.initializers), nodes: [] };
  for (const node of graph.nodes) {
    const done = node.domain === '' && node.opType === 'QLinearConv'
      ? convInteger(emit, graph, node)
      : node.domain === '' && node.opType === 'QLinearMatMul'
        ? matmulInteger(emit, graph, node, false)
        : node.domain === 'com.microsoft' && node.opType === 'QGemm'
          ? matmulInteger(emit, graph, node, true)
          : false;
    if (!done) emit.nodes.push(node);
  }
  return { ...graph, nodes: emit.nodes, initializers: emit.initializers };
}
