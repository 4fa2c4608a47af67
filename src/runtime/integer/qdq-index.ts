/**
 * What a QDQ graph says about its integers: for every DequantizeLinear the integer tensor behind
 * the float value it produces (with its constant scale, zero point and granularity), and for every
 * QuantizeLinear the per-tensor parameters it quantizes to. The lowering patterns read the graph
 * only through this index.
 */
import { ModelFormatError } from '../../errors.ts';
import { attrInt } from '../../ir/attributes.ts';
import { DTYPES, isFloat, type DType } from '../../ir/dtype.ts';
import type { Graph, Node } from '../../ir/graph.ts';
import { consumers, outputNames, producers, valueInfoOf } from '../../ir/graph-utils.ts';
import type { Tensor } from '../../ir/tensor.ts';
import { describeNode } from '../../ir/topology.ts';

/** The float output of a DequantizeLinear, seen as the integer tensor it dequantizes. */
export interface QuantizedValue {
  /** The float value (the DequantizeLinear's output). */
  readonly float: string;
  /** The integer tensor: an activation, or an initializer (weights, biases). */
  readonly integer: string;
  readonly dq: Node;
  readonly dtype: DType;
  readonly scale: Float32Array;
  /** One per scale (zeros when the zero point is omitted). */
  readonly zeroPoint: Int32Array;
  readonly scaleName: string;
  /** Undefined when the DequantizeLinear omits its zero point. */
  readonly zeroPointName: string | undefined;
  /** Channel axis (normalised) when there is more than one scale. */
  readonly axis?: number;
  readonly blockSize?: number;
  /** Integers the tensor can hold: its type's range, narrowed by a constant Clip that produces it. */
  readonly qmin: number;
  readonly qmax: number;
  /** The integer data when `integer` is an initializer. */
  readonly constant?: Tensor;
}

/** A per-tensor QuantizeLinear with constant parameters. */
export interface QuantizeStep {
  readonly node: Node;
  readonly input: string;
  readonly output: string;
  readonly dtype: DType;
  readonly scale: number;
  readonly zeroPoint: number;
  readonly scaleName: string;
  readonly zeroPointName: string | undefined;
  readonly qmin: number;
  readonly qmax: number;
}

/** Either the thing asked for, or why it is not there. */
export type Found<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

const INTEGER_INPUTS = new Set<DType>(['int2', 'uint2', 'int4', 'uint4', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32']);

export class QdqIndex {
  readonly graph: Graph;
  readonly producers: ReadonlyMap<string, Node>;
  readonly consumers: ReadonlyMap<string, readonly Node[]>;
  readonly graphOutputs: ReadonlySet<string>;
  private readonly dequantizedCache = new Map<string, Found<QuantizedValue> | undefined>();

  /** `graph` should carry inferred shapes (dtypes of activations are read from valueInfo). */
  constructor(graph: Graph) {
    this.graph = graph;
    this.producers = producers(graph);
    this.consumers = consumers(graph);
    this.graphOutputs = outputNames(graph);
  }

  dtypeOf(name: string): DType | undefined {
    return valueInfoOf(this.graph, name)?.dtype;
  }

  /** Rank when known. */
  rankOf(name: string): number | undefined {
    return valueInfoOf(this.graph, name)?.shape?.length;
  }

  readersOf(name: string): readonly Node[] {
    return this.consumers.get(name) ?? [];
  }

  /** A one-element constant's value, or undefined. */
  scalarConstant(name: string | undefined): number | undefined {
    if (name === undefined || name === '') return undefined;
    const t = this.graph.initializers.get(name);
    return t !== undefined && t.data.length === 1 ? Number(t.data[0]) : undefined;
  }

  /**
   * The integer behind `floatValue` when a default-domain DequantizeLinear with constant float32
   * scale (and zero point) produces it; undefined when nothing dequantizes it; a reason when a
   * DequantizeLinear does but not in a form the integer kernels take.
   * @throws ModelFormatError when the DequantizeLinear's input is not an integer at all.
   */
  dequantized(floatValue: string): Found<QuantizedValue> | undefined {
    if (!this.dequantizedCache.has(floatValue)) this.dequantizedCache.set(floatValue, this.readDequantize(floatValue));
    return this.dequantizedCache.get(floatValue);
  }

  private readDequantize(floatValue: string): Found<QuantizedValue> | undefined {
    const dq = this.producers.get(floatValue);
    if (dq === undefined || dq.opType !== 'DequantizeLinear' || dq.domain !== '') return undefined;
    const label = describeNode(dq);
    const [integer, scaleName, zeroPointName = ''] = dq.inputs;
    const constant = this.graph.initializers.get(integer);
    const dtype = constant?.dtype ?? this.dtypeOf(integer);
    if (dtype === undefined) return fail(`${label}: the type of its input ${JSON.stringify(integer)} is unknown`);
    if (isFloat(dtype) && !dtype.startsWith('float8')) {
      throw new ModelFormatError(`${label}: input ${JSON.stringify(integer)} is ${dtype}; DequantizeLinear takes an integer (or float8) tensor`);
    }
    if (!INTEGER_INPUTS.has(dtype)) return fail(`${label}: input ${JSON.stringify(integer)} is ${dtype}, which the integer kernels do not take`);
    if (attrInt(dq, 'output_dtype', 0) > 1) return fail(`${label}: output_dtype is not float32`);
    const scale = this.graph.initializers.get(scaleName);
    if (scale === undefined) return fail(`${label}: scale ${JSON.stringify(scaleName)} is not a constant`);
    if (scale.dtype !== 'float32') return fail(`${label}: scale ${JSON.stringify(scaleName)} is ${scale.dtype}, not float32`);
    const zero = zeroPointName === '' ? undefined : this.graph.initializers.get(zeroPointName);
    if (zeroPointName !== '' && zero === undefined) return fail(`${label}: zero point ${JSON.stringify(zeroPointName)} is not a constant`);
    if (zero !== undefined && zero.data.length !== scale.data.length) return fail(`${label}: ${zero.data.length} zero points for ${scale.data.length} scales`);
    const zeroPoint = zero === undefined ? new Int32Array(scale.data.length) : Int32Array.from(zero.data as ArrayLike<number>);
    const blockSize = attrInt(dq, 'block_size', 0);
    const many = scale.data.length > 1 || blockSize > 0;
    let axis: number | undefined;
    if (many) {
      const rank = constant?.shape.length ?? this.rankOf(integer);
      if (rank === undefined) return fail(`${label}: per-axis scales on a tensor of unknown rank`);
      const raw = attrInt(dq, 'axis', 1);
      axis = raw < 0 ? raw + rank : raw;
    }
    let qmin = DTYPES[dtype].min!;
    let qmax = DTYPES[dtype].max!;
    const clip = constant === undefined ? this.producers.get(integer) : undefined;
    if (clip !== undefined && clip.opType === 'Clip' && clip.domain === '') {
      qmin = Math.max(qmin, this.scalarConstant(clip.inputs[1]) ?? qmin);
      qmax = Math.min(qmax, this.scalarConstant(clip.inputs[2]) ?? qmax);
    }
    return {
      ok: true,
      value: {
        float: floatValue,
        integer,
        dq,
        dtype,
        scale: scale.data as Float32Array,
        zeroPoint,
        scaleName,
        zeroPointName: zeroPointName === '' ? undefined : zeroPointName,
        ...(axis === undefined ? {} : { axis }),
        ...(blockSize > 0 ? { blockSize } : {}),
        qmin,
        qmax,
        ...(constant === undefined ? {} : { constant }),
      },
    };
  }

  /** The parameters of a QuantizeLinear, or why it is not a per-tensor 8-bit quantization with constants. */
  quantizeStep(q: Node): Found<QuantizeStep> {
    const label = describeNode(q);
    const [input, scaleName, zeroPointName = ''] = q.inputs;
    const scale = this.graph.initializers.get(scaleName);
    if (scale === undefined || scale.dtype !== 'float32') return fail(`${label}: scale is not a float32 constant`);
    if (scale.data.length !== 1) return fail(`${label}: per-axis output scales (integer kernels requantize per tensor)`);
    const zero = zeroPointName === '' ? undefined : this.graph.initializers.get(zeroPointName);
    if (zeroPointName !== '' && zero === undefined) return fail(`${label}: zero point is not a constant`);
    const dtype = zero?.dtype ?? this.dtypeOf(q.outputs[0]) ?? 'uint8';
    if (dtype !== 'int8' && dtype !== 'uint8') return fail(`${label}: quantizes to ${dtype}; the integer kernels produce int8 or uint8`);
    if (zero !== undefined && zero.data.length !== 1) return fail(`${label}: ${zero.data.length} zero points for one scale`);
    return {
      ok: true,
      value: {
        node: q,
        input,
        output: q.outputs[0],
        dtype,
        scale: scale.data[0],
        zeroPoint: zero === undefined ? 0 : Number(zero.data[0]),
        scaleName,
        zeroPointName: zeroPointName === '' ? undefined : zeroPointName,
        qmin: DTYPES[dtype].min!,
        qmax: DTYPES[dtype].max!,
      },
    };
  }
}

export function fail<T>(reason: string): Found<T> {
  return { ok: false, reason };
}

export function found<T>(value: T): Found<T> {
  return { ok: true, value };
}
