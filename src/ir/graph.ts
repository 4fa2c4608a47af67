/**
 * The graph IR: the one representation every part of quantkit works on (import, passes,
 * calibration, quantization, execution, export).
 *
 * Operators follow the semantics of their newest ONNX version (the importer upgrades older
 * forms: Clip/Slice/Squeeze/Pad/Reduce* attributes become inputs, Softmax before opset 13 is
 * rewritten, ...), so kernels and passes implement one form per op. Names are SSA: every value
 * is produced once (by a node, an initializer or a graph input).
 */
import type { DType } from './dtype.ts';
import type { Limits } from './limits.ts';
import type { Tensor } from './tensor.ts';

/** A dimension: a number when known, a name for a symbolic dimension, null when unknown. */
export type Dim = number | string | null;

export interface ValueInfo {
  readonly name: string;
  readonly dtype?: DType;
  readonly shape?: readonly Dim[];
  readonly doc?: string;
}

/** An attribute value, tagged with its ONNX AttributeProto type so export can round-trip it. */
export type Attribute =
  | { readonly type: 'int'; readonly value: number }
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'tensor'; readonly value: Tensor }
  | { readonly type: 'graph'; readonly value: Graph }
  | { readonly type: 'ints'; readonly value: readonly number[] }
  | { readonly type: 'floats'; readonly value: readonly number[] }
  | { readonly type: 'strings'; readonly value: readonly string[] }
  | { readonly type: 'tensors'; readonly value: readonly Tensor[] }
  | { readonly type: 'graphs'; readonly value: readonly Graph[] };

export interface Node {
  readonly name: string;
  readonly opType: string;
  /** '' for the default ONNX domain, 'com.microsoft' etc. otherwise. */
  readonly domain: string;
  /** Input value names; '' marks an omitted optional input. */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: Readonly<Record<string, Attribute>>;
}

export interface Graph {
  readonly name: string;
  /** Graph inputs fed at run time (initializers are not listed here). */
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
  readonly initializers: ReadonlyMap<string, Tensor>;
  /** Nodes in topological order. */
  readonly nodes: readonly Node[];
  /** Known dtype/shape of intermediate values (from the file or from shape inference). */
  readonly valueInfo: ReadonlyMap<string, ValueInfo>;
}

export interface Model {
  readonly irVersion: number;
  /** Operator set version per domain ('' is the default ONNX domain). */
  readonly opsets: ReadonlyMap<string, number>;
  readonly producerName?: string;
  readonly producerVersion?: string;
  readonly docString?: string;
  readonly metadata?: ReadonlyMap<string, string>;
  readonly graph: Graph;
  /**
   * The resource limits the model was imported under. Models derived from it keep them, and
   * executors apply `maxTensorElements` to every tensor a kernel computes (default limits when absent).
   */
  readonly limits?: Limits;
}
