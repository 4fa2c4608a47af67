/**
 * QLinearLookup (domain ai.quantkit): any elementwise function of one 8-bit input is a table of
 * its 256 results, y = table[x + input_offset] (input_offset 128 for int8, 0 for uint8).
 *
 * The function tabulated is the float op itself — the float kernel the simulated executor runs —
 * applied to each of the 256 dequantized inputs, each result quantized to the output's parameters
 * (eqs. (2), (3)). So the lookup gives exactly the integers the simulated graph gives, element
 * for element, whatever the function's float rounding.
 */
import type { Node } from '../../ir/graph.ts';
import { tensor, type Tensor } from '../../ir/tensor.ts';
import { QuantkitError } from '../../errors.ts';
import { createParams } from '../../quant/params.ts';
import { buildLookupTable } from '../kernels/integer/lookup.ts';
import type { KernelImpl } from '../kernel.ts';
import { floatKernels } from '../kernels/float/register.ts';
import { intAttribute, QUANTKIT, type LoweringContext } from './context.ts';
import type { Operand } from './operands.ts';
import { fail, found, type Found, type QuantizeStep } from './qdq-index.ts';

export const LOOKUP_OP = 'QLinearLookup';

let floatRegistry: ReturnType<typeof floatKernels> | undefined;

/** The float kernel of an op, or undefined when the float kernel set has none. */
export function floatKernel(opType: string): KernelImpl | undefined {
  floatRegistry ??= floatKernels();
  return floatRegistry.get(opType)?.impl;
}

/** The integer the table's entry i stands for: i − input_offset. */
export function inputOffset(dtype: 'int8' | 'uint8'): number {
  return dtype === 'int8' ? 128 : 0;
}

/**
 * The table of `f` (a float function of a whole float32 tensor, elementwise) from `input`'s grid
 * to `out`'s, by the integer kernels' buildLookupTable (the one definition of a table), or why
 * not (a non-finite result has no integer).
 */
export function lookupTable(input: Operand, out: QuantizeStep, f: (x: Tensor) => Tensor, what: string): Found<Tensor> {
  const signed = input.dtype === 'int8';
  const inputParams = createParams({ scale: input.value.scale[0], zeroPoint: input.value.zeroPoint[0], bits: 8, signed });
  const outputParams = createParams({ scale: out.scale, zeroPoint: out.zeroPoint, bits: 8, signed: out.dtype === 'int8' });
  // f runs on one float32 element at a time: the float kernel's own arithmetic, element for element.
  const one = (real: number): number => Number(f(tensor('float32', [1], Float32Array.of(real))).data[0]);
  try {
    return found(buildLookupTable(one, inputParams, outputParams));
  } catch (error) {
    if (error instanceof QuantkitError) return fail(`${what}: ${error.message}`);
    throw error;
  }
}

/** `node` (elementwise; every input but `dataInput` a one-element constant) as a float function of its data input. */
export function nodeFunction(ctx: LoweringContext, node: Node, dataInput: number): Found<(x: Tensor) => Tensor> {
  const kernel = node.domain === '' ? floatKernel(node.opType) : undefined;
  if (kernel === undefined) return fail(`no float kernel for ${node.opType} to tabulate`);
  const constants: (Tensor | undefined)[] = [];
  for (let i = 0; i < node.inputs.length; i++) {
    if (i === dataInput || node.inputs[i] === '') continue;
    const t = ctx.index.graph.initializers.get(node.inputs[i]);
    if (t === undefined || t.data.length !== 1) return fail(`input ${JSON.stringify(node.inputs[i])} is not a one-element constant`);
    constants[i] = t;
  }
  return found((x) => {
    const inputs = node.inputs.map((_, i) => (i === dataInput ? x : constants[i]));
    return kernel(inputs, { ...node, outputs: node.outputs.slice(0, 1) })[0];
  });
}

/** The QLinearLookup node reading `input` and writing `output`. */
export function lookupNode(ctx: LoweringContext, name: string, input: Operand, output: string, table: Tensor): Node {
  return ctx.node(LOOKUP_OP, [input.name], [output], {
    name,
    domain: QUANTKIT,
    attributes: { table: { type: 'tensor', value: table }, input_offset: intAttribute(inputOffset(input.dtype as 'int8' | 'uint8')) },
  });
}
