/**
 * Finite-difference checks of the tape's gradients. A one-node graph runs in float64 with every
 * input an initializer; the scalar L = Σ_k r_k·y_k (r a fixed random projection of each output)
 * is differentiated by the tape (seeding ∂L/∂y = r) and by central differences
 * (L(x + ε) − L(x − ε)) / 2ε, element by element.
 */
import assert from 'node:assert/strict';
import { GraphBuilder, type AttributeInput } from '../../../src/ir/builder.ts';
import type { Model } from '../../../src/ir/graph.ts';
import { tensor, type Tensor } from '../../../src/ir/tensor.ts';
import { seededRandom } from '../../../src/numeric/rounding.ts';
import { GradRegistry } from '../../../src/qat/autograd/registry.ts';
import { forward } from '../../../src/qat/autograd/tape.ts';
import { irGrads } from '../../../src/qat/autograd/ops/index.ts';

export const registry = new GradRegistry(irGrads);

/** A float64 tensor of uniform values in [lo, hi) from a seeded source. */
export function random64(shape: readonly number[], seed: number, lo = -1, hi = 1): Tensor {
  const next = seededRandom(seed);
  const t = tensor('float64', shape);
  for (let i = 0; i < t.data.length; i++) t.data[i] = lo + (hi - lo) * next();
  return t;
}

export interface CheckOptions {
  readonly attributes?: Readonly<Record<string, AttributeInput>>;
  /** Inputs to differentiate (default: every float64 input). */
  readonly wrt?: readonly string[];
  /** Outputs of the node (default 1); the projection covers all of them. */
  readonly outputs?: number;
  readonly training?: boolean;
  readonly registry?: GradRegistry;
  readonly domain?: string;
  /** |analytic − numeric| ≤ tolerance · max(1, |numeric|); default 1e-6. */
  readonly tolerance?: number;
  /** Elements checked per input at most (spread evenly); default 40. */
  readonly maxElements?: number;
}

/** A one-node model whose inputs are initializers ('' for an omitted optional input). */
export function oneNodeModel(opType: string, inputs: readonly [string, Tensor | undefined][], options: CheckOptions): { model: Model; outputs: string[] } {
  const b = new GraphBuilder('check');
  const names = inputs.map(([name, value]) => (value === undefined ? '' : b.addInitializer(name, value)));
  const outputs = b.addNode(opType, names, options.attributes ?? {}, { outputs: options.outputs ?? 1, ...(options.domain ? { domain: options.domain } : {}) });
  for (const o of outputs) b.addOutput(o);
  return { model: b.buildModel(), outputs };
}

export function checkGradients(opType: string, inputs: readonly [string, Tensor | undefined][], options: CheckOptions = {}): void {
  const { model, outputs } = oneNodeModel(opType, inputs, options);
  const grads = options.registry ?? registry;
  const wrt = new Set(options.wrt ?? inputs.filter(([, v]) => v?.dtype === 'float64').map(([n]) => n));
  const training = options.training ?? false;
  const run = forward(model, grads, {}, { training, wrt });
  const projections = outputs.map((o, k) => random64(run.values.get(o)!.shape, 1000 + k));
  const seeds = new Map(outputs.map((o, k) => [o, projections[k]]));
  const analytic = run.backward(seeds);
  const loss = (values: Map<string, Tensor>): number => {
    const r = forward(model, grads, {}, { training, values });
    let sum = 0;
    outputs.forEach((o, k) => {
      const y = r.values.get(o)!.data;
      for (let i = 0; i < y.length; i++) sum += y[i] * projections[k].data[i];
    });
    return sum;
  };
  const tolerance = options.tolerance ?? 1e-6;
  const eps = 1e-6;
  for (const name of wrt) {
    const x = inputs.find(([n]) => n === name)![1]!;
    const g = analytic.get(name);
    assert.ok(g !== undefined, `${opType}: no gradient for ${name}`);
    assert.deepEqual(g.shape, x.shape, `${opType}: gradient shape of ${name}`);
    const count = Math.min(x.data.length, options.maxElements ?? 40);
    for (let j = 0; j < count; j++) {
      const i = Math.floor((j * x.data.length) / count);
      const at = (delta: number) => {
        const moved = tensor('float64', x.shape, Float64Array.from(x.data));
        moved.data[i] += delta;
        return loss(new Map([[name, moved]]));
      };
      const numeric = (at(eps) - at(-eps)) / (2 * eps);
      const error = Math.abs(g.data[i] - numeric);
      assert.ok(error <= tolerance * Math.max(1, Math.abs(numeric)), `${opType}: ∂L/∂${name}[${i}] = ${g.data[i]}, finite differences ${numeric} (error ${error})`);
    }
  }
}
