/**
 * GraphBuilder: builds IR graphs in code (tests, PTQ passes, upgrade rewrites).
 *
 * ```ts
 * const b = new GraphBuilder('tiny');
 * const x = b.addInput('x', 'float32', ['N', 4]);
 * const w = b.addInitializer('w', float32([4, 2], [...]));
 * const [y] = b.addNode('MatMul', [x, w]);
 * const [z] = b.addNode('LeakyRelu', [y], { alpha: 0.1 });
 * b.addOutput(z);
 * const graph = b.build();
 * ```
 */
import { ModelFormatError } from '../errors.ts';
import type { DType } from './dtype.ts';
import type { Attribute, Dim, Graph, Model, Node, ValueInfo } from './graph.ts';
import { UniqueNames } from './names.ts';
import type { Tensor } from './tensor.ts';
import { topologicalOrder } from './topology.ts';

/** An attribute as plain data: numbers, strings, arrays, tensors, graphs, or a tagged Attribute. */
export type AttributeInput = number | string | readonly number[] | readonly string[] | Tensor | Graph | Attribute;

/** Attributes whose ONNX type is float even when given an integral number (alpha: 1). */
const FLOAT_ATTRIBUTES = new Set(['alpha', 'beta', 'gamma', 'epsilon', 'momentum', 'ratio', 'bias', 'lambd', 'cubic_coeff_a', 'extrapolation_value', 'spatial_scale', 'min', 'max', 'value_float']);
const FLOATS_ATTRIBUTES = new Set(['scales', 'value_floats']);

function isTagged(value: object): value is Attribute {
  return 'type' in value && 'value' in value && typeof (value as { type: unknown }).type === 'string' && !('nodes' in value);
}

function isTensor(value: object): value is Tensor {
  return 'dtype' in value && 'shape' in value && 'data' in value;
}

/** Converts a plain attribute value to a tagged Attribute (integers → int unless the name is a float attribute). */
export function toAttribute(name: string, value: AttributeInput): Attribute {
  if (typeof value === 'number') {
    return Number.isInteger(value) && !FLOAT_ATTRIBUTES.has(name) ? { type: 'int', value } : { type: 'float', value };
  }
  if (typeof value === 'string') return { type: 'string', value };
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'string')) return { type: 'strings', value: value as string[] };
    const numbers = value as number[];
    return numbers.every(Number.isInteger) && !FLOATS_ATTRIBUTES.has(name) ? { type: 'ints', value: numbers } : { type: 'floats', value: numbers };
  }
  const object = value as object;
  if (isTensor(object)) return { type: 'tensor', value: object };
  if (isTagged(object)) return object;
  return { type: 'graph', value: object as Graph };
}

export interface AddNodeOptions {
  /** Output names, or how many outputs to create (default 1). */
  readonly outputs?: number | readonly string[];
  readonly name?: string;
  readonly domain?: string;
}

export class GraphBuilder {
  private readonly names: UniqueNames;
  private readonly inputs: ValueInfo[] = [];
  private readonly outputs: ValueInfo[] = [];
  private readonly initializers = new Map<string, Tensor>();
  private readonly nodes: Node[] = [];
  private readonly valueInfo = new Map<string, ValueInfo>();

  /** `reservedNames`: names to avoid (e.g. values of an enclosing graph). */
  constructor(
    readonly name = 'graph',
    reservedNames: Iterable<string> = [],
  ) {
    this.names = new UniqueNames(reservedNames);
  }

  private claim(name: string, what: string): string {
    if (this.names.has(name)) throw new ModelFormatError(`GraphBuilder: ${what} name ${JSON.stringify(name)} is already used`);
    this.names.reserve(name);
    return name;
  }

  /** A fresh value name based on `base`. */
  freshName(base: string): string {
    return this.names.next(base);
  }

  /** Declares a graph input; returns its name. */
  addInput(name: string, dtype: DType, shape?: readonly Dim[]): string {
    this.inputs.push({ name: this.claim(name, 'input'), dtype, ...(shape === undefined ? {} : { shape: [...shape] }) });
    return name;
  }

  /** Adds a constant; returns its name (made unique if `name` is taken and `unique` is set). */
  addInitializer(name: string, value: Tensor, unique = false): string {
    const actual = unique ? this.names.next(name) : this.claim(name, 'initializer');
    this.initializers.set(actual, value);
    return actual;
  }

  /**
   * Adds a node; returns its output names. Inputs are value names ('' for an omitted optional
   * input); outputs default to fresh names `<opType>_<n>`.
   */
  addNode(opType: string, inputs: readonly string[], attributes: Readonly<Record<string, AttributeInput>> = {}, options: AddNodeOptions = {}): string[] {
    const requested = options.outputs ?? 1;
    const outputs = typeof requested === 'number'
      ? Array.from({ length: requested }, () => this.names.next(`${opType}_out`))
      : requested.map((name) => (name === '' ? '' : this.claim(name, 'output')));
    const tagged: Record<string, Attribute> = {};
    for (const [key, value] of Object.entries(attributes)) tagged[key] = toAttribute(key, value);
    const name = options.name === undefined ? this.names.next(opType) : this.claim(options.name, 'node');
    this.nodes.push({ name, opType, domain: options.domain ?? '', inputs: [...inputs], outputs, attributes: tagged });
    return outputs;
  }

  /** Declares `name` a graph output, with its type when known. */
  addOutput(name: string, dtype?: DType, shape?: readonly Dim[]): void {
    this.outputs.push({ name, ...(dtype === undefined ? {} : { dtype }), ...(shape === undefined ? {} : { shape: [...shape] }) });
  }

  /** Records the known type of an intermediate value. */
  setValueInfo(name: string, dtype?: DType, shape?: readonly Dim[]): void {
    this.valueInfo.set(name, { name, ...(dtype === undefined ? {} : { dtype }), ...(shape === undefined ? {} : { shape: [...shape] }) });
  }

  /** The graph, nodes in topological order. */
  build(): Graph {
    return {
      name: this.name,
      inputs: [...this.inputs],
      outputs: [...this.outputs],
      initializers: new Map(this.initializers),
      nodes: topologicalOrder(this.nodes, `graph ${JSON.stringify(this.name)}`),
      valueInfo: new Map(this.valueInfo),
    };
  }

  /** A model around the graph (default opset: 22, the IR's op forms; IR version 10). */
  buildModel(options: { opset?: number; irVersion?: number; opsets?: Readonly<Record<string, number>> } = {}): Model {
    const opsets = new Map<string, number>([['', options.opset ?? 22], ...Object.entries(options.opsets ?? {})]);
    return { irVersion: options.irVersion ?? 10, opsets, graph: this.build() };
  }
}
