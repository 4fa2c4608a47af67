/**
 * Which initializers training updates, and how: the weights and biases of Conv, ConvTranspose,
 * Gemm and MatMul and BatchNormalization's γ and β are parameters; weights get the weight decay,
 * biases and γ/β none (decaying them only shrinks the scales the next layer has to undo).
 * BatchNormalization's running statistics are state, updated by the forward pass, not trained.
 */
import type { Graph } from '../../ir/graph.ts';
import type { ParameterSpec } from './trainer.ts';

/** Per op type: [inputs that are weights, inputs that are biases or affine parameters]. */
const TRAINABLE: ReadonlyMap<string, readonly [readonly number[], readonly number[]]> = new Map([
  ['Conv', [[1], [2]]],
  ['ConvTranspose', [[1], [2]]],
  ['Gemm', [[1], [2]]],
  ['MatMul', [[1], []]],
  ['BatchNormalization', [[], [1, 2]]],
]);

/** The trainable float32 initializers of `graph`, weights with decay `weightDecay`. */
export function trainableParameters(graph: Graph, weightDecay: number): Map<string, ParameterSpec> {
  const specs = new Map<string, ParameterSpec>();
  for (const node of graph.nodes) {
    const roles = TRAINABLE.get(node.opType);
    if (roles === undefined || node.domain !== '') continue;
    const [weights, others] = roles;
    for (const [indices, spec] of [[weights, { weightDecay }], [others, {}]] as const) {
      for (const i of indices) {
        const name = node.inputs[i];
        if (name !== undefined && graph.initializers.get(name)?.dtype === 'float32' && !specs.has(name)) specs.set(name, spec);
      }
    }
  }
  return specs;
}
