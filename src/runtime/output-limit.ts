/**
 * The element limit on what a kernel may compute, checked before the kernel runs: the node's
 * output shapes are inferred from the actual input shapes and small input values (the shape
 * rules of ir/shapes), so an Expand, Tile, ConstantOfShape, Resize or Pad asked for a huge
 * output throws LimitError instead of allocating (a single dim above the limit counts, even when
 * another is 0: see exceedsElements). Ops whose outputs are never larger than their largest input skip the check (their
 * inputs already passed it); ops without a shape rule are held to the limit after they run
 * (value-check.ts).
 */
import { LimitError } from '../errors.ts';
import type { Node, ValueInfo } from '../ir/graph.ts';
import { exceedsElements } from '../ir/shapes/dims.ts';
import { SHAPE_RULES } from '../ir/shapes/index.ts';
import type { RuleContext } from '../ir/shapes/types.ts';
import { formatShape, type Tensor } from '../ir/tensor.ts';

/** Largest input whose values the rules may read (shapes, pads, repeats, sizes are tiny). */
const MAX_VALUE_ELEMENTS = 4096;

/** Default-domain ops whose every output has at most as many elements as their largest input. */
const BOUNDED = new Set([
  'Abs', 'ArgMax', 'ArgMin', 'BatchNormalization', 'Cast', 'CastLike', 'Ceil', 'Celu', 'Clip', 'Cos', 'DequantizeLinear',
  'Dropout', 'DynamicQuantizeLinear', 'Elu', 'Erf', 'Exp', 'Flatten', 'Floor', 'Gelu', 'GlobalAveragePool', 'GlobalMaxPool',
  'HardSigmoid', 'HardSwish', 'Identity', 'LayerNormalization', 'LeakyRelu', 'Log', 'LogSoftmax', 'Neg', 'Not',
  'QuantizeLinear', 'Reciprocal', 'ReduceL1', 'ReduceL2', 'ReduceLogSum', 'ReduceLogSumExp', 'ReduceMax', 'ReduceMean',
  'ReduceMin', 'ReduceProd', 'ReduceSum', 'ReduceSumSquare', 'Relu', 'Reshape', 'Round', 'Selu', 'Shape', 'Sigmoid', 'Sign',
  'Sin', 'Size', 'Slice', 'Softmax', 'Softplus', 'Softsign', 'Split', 'Sqrt', 'Squeeze', 'Tanh', 'ThresholdedRelu',
  'Transpose', 'Unsqueeze',
]);

/** Contrib ops whose outputs are never larger than their largest input. */
const BOUNDED_CONTRIB = new Set(['com.microsoft::QLinearGlobalAveragePool', 'com.microsoft::QLinearSigmoid', 'com.microsoft::QLinearLeakyRelu', 'ai.quantkit::QLinearLookup']);

/** Contrib ops as the default-domain op whose shape rule gives their output shape (inputs picked from theirs). */
const SHAPE_EQUIVALENTS: Readonly<Record<string, (node: Node) => Node>> = {
  'com.microsoft::QLinearAdd': (node) => ({ ...node, domain: '', opType: 'Add', inputs: [node.inputs[0], node.inputs[3]] }),
  'com.microsoft::QLinearMul': (node) => ({ ...node, domain: '', opType: 'Mul', inputs: [node.inputs[0], node.inputs[3]] }),
  'com.microsoft::QGemm': (node) => ({ ...node, domain: '', opType: 'Gemm', inputs: [node.inputs[0], node.inputs[3]] }),
  'com.microsoft::QLinearAveragePool': (node) => ({ ...node, domain: '', opType: 'AveragePool', inputs: [node.inputs[0]] }),
  // (y_scale, y_zero_point, then x, x_scale, x_zero_point per input)
  'com.microsoft::QLinearConcat': (node) => ({ ...node, domain: '', opType: 'Concat', inputs: node.inputs.filter((_, i) => i >= 2 && (i - 2) % 3 === 0) }),
};

/** The shape rules' view of one node's actual inputs (a class, so a check allocates no closures). */
class NodeInputs implements RuleContext {
  constructor(
    readonly what: string,
    private readonly node: Node,
    private readonly inputs: readonly (Tensor | undefined)[],
  ) {}

  private tensor(name: string): Tensor | undefined {
    const i = name === '' ? -1 : this.node.inputs.indexOf(name);
    return i < 0 ? undefined : this.inputs[i];
  }

  info(name: string): ValueInfo | undefined {
    const t = this.tensor(name);
    return t === undefined ? undefined : { name, dtype: t.dtype, shape: t.shape };
  }

  constant(name: string): Tensor | undefined {
    const t = this.tensor(name);
    return t !== undefined && t.data.length <= MAX_VALUE_ELEMENTS ? t : undefined;
  }
}

/** Throws LimitError naming `label` when an output of `node` would have more than `maxElements` elements. */
export function checkOutputSizes(node: Node, inputs: readonly (Tensor | undefined)[], label: string, maxElements: number): void {
  let shaped = node;
  if (node.domain !== '') {
    const key = `${node.domain}::${node.opType}`;
    if (BOUNDED_CONTRIB.has(key) || SHAPE_EQUIVALENTS[key] === undefined) return;
    shaped = SHAPE_EQUIVALENTS[key](node);
  } else if (BOUNDED.has(node.opType)) {
    return;
  }
  const rule = SHAPE_RULES[shaped.opType];
  if (rule === undefined) return;
  let results: ReturnType<typeof rule>;
  try {
    // Input names resolve through the node's own input list.
    results = rule(shaped, new NodeInputs(label, node, inputs));
  } catch {
    // Inputs the rule cannot make sense of: the kernel reports them in its own words.
    return;
  }
  results.forEach((inferred, i) => {
    // Known dims bound the size from below; unknown ones are left to the kernel.
    if (inferred?.shape !== undefined && exceedsElements(inferred.shape, maxElements)) {
      throw new LimitError(`${label}: output ${JSON.stringify(node.outputs[i] ?? '')} would have shape ${formatShape(inferred.shape)}, more than the limit maxTensorElements = ${maxElements} elements`);
    }
  });
}
