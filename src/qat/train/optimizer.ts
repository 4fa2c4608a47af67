/**
 * Optimizers: SGD with momentum, Adam and AdamW, in one registry keyed by name. An optimizer
 * updates float32 parameters in place from their gradients, at the learning rate the schedule
 * gives for the step, with each parameter's own weight decay (0 for BatchNormalization's γ/β
 * and LSQ steps, λ for weights and PACT's α). Its slots (momentum, moments) are plain arrays, so
 * a checkpoint can save and restore them.
 */
import { RangeArgumentError } from '../../errors.ts';

export interface OptimizerState {
  /** Steps taken (Adam's bias correction counts them). */
  readonly steps: number;
  /** Per parameter, the optimizer's slot arrays (SGD: [velocity]; Adam: [m, v]). */
  readonly slots: Readonly<Record<string, readonly Float32Array[]>>;
}

export interface Optimizer {
  readonly name: string;
  /**
   * One update of every parameter with a gradient: `decay(name)` is its weight decay λ (L2 added
   * to the gradient, or decoupled for AdamW).
   */
  step(params: ReadonlyMap<string, Float32Array>, grads: ReadonlyMap<string, ArrayLike<number>>, lr: number, decay: (name: string) => number): void;
  state(): OptimizerState;
  load(state: OptimizerState): void;
}

export interface OptimizerOptions {
  /** SGD momentum μ (default 0.9). */
  readonly momentum?: number;
  /** SGD: Nesterov momentum (default false). */
  readonly nesterov?: boolean;
  /** Adam β1, β2 (default 0.9, 0.999) and ε (default 1e-8). */
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
}

/** Slot arrays per parameter, created on first use. */
class Slots {
  steps = 0;
  private readonly slots = new Map<string, Float32Array[]>();
  constructor(private readonly count: number) {}
  of(name: string, size: number): Float32Array[] {
    let s = this.slots.get(name);
    if (s === undefined) {
      s = Array.from({ length: this.count }, () => new Float32Array(size));
      this.slots.set(name, s);
    }
    return s;
  }
  state(): OptimizerState {
    return { steps: this.steps, slots: Object.fromEntries([...this.slots].map(([k, v]) => [k, v.map((a) => a.slice())])) };
  }
  load(state: OptimizerState): void {
    this.steps = state.steps;
    this.slots.clear();
    for (const [k, v] of Object.entries(state.slots)) this.slots.set(k, v.map((a) => Float32Array.from(a)));
  }
}

/**
 * SGD with momentum (PyTorch's form): g ← ∇ + λ·p, v ← μ·v + g, p ← p − lr·v
 * (Nesterov: p ← p − lr·(g + μ·v)).
 */
function sgd(options: OptimizerOptions): Optimizer {
  const mu = options.momentum ?? 0.9;
  const nesterov = options.nesterov ?? false;
  const slots = new Slots(1);
  return {
    name: 'sgd',
    step(params, grads, lr, decay) {
      slots.steps++;
      for (const [name, p] of params) {
        const grad = grads.get(name);
        if (grad === undefined) continue;
        const [v] = slots.of(name, p.length);
        const lambda = decay(name);
        for (let i = 0; i < p.length; i++) {
          const g = grad[i] + lambda * p[i];
          v[i] = mu * v[i] + g;
          p[i] -= lr * (nesterov ? g + mu * v[i] : v[i]);
        }
      }
    },
    state: () => slots.state(),
    load: (state) => slots.load(state),
  };
}

/**
 * Adam (Kingma & Ba 2015) with bias-corrected moments: m ← β1·m + (1 − β1)·g,
 * v ← β2·v + (1 − β2)·g², p ← p − lr·m̂/(√v̂ + ε). Adam adds the weight decay to the gradient
 * (L2); AdamW (Loshchilov & Hutter 2019) decouples it: p ← p − lr·λ·p before the Adam step.
 */
function adam(decoupled: boolean) {
  return (options: OptimizerOptions): Optimizer => {
    const beta1 = options.beta1 ?? 0.9;
    const beta2 = options.beta2 ?? 0.999;
    const epsilon = options.epsilon ?? 1e-8;
    const slots = new Slots(2);
    return {
      name: decoupled ? 'adamw' : 'adam',
      step(params, grads, lr, decay) {
        slots.steps++;
        const c1 = 1 - beta1 ** slots.steps;
        const c2 = 1 - beta2 ** slots.steps;
        for (const [name, p] of params) {
          const grad = grads.get(name);
          if (grad === undefined) continue;
          const [m, v] = slots.of(name, p.length);
          const lambda = decay(name);
          for (let i = 0; i < p.length; i++) {
            let g = grad[i];
            if (decoupled) p[i] -= lr * lambda * p[i];
            else g += lambda * p[i];
            m[i] = beta1 * m[i] + (1 - beta1) * g;
            v[i] = beta2 * v[i] + (1 - beta2) * g * g;
            p[i] -= (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + epsilon);
          }
        }
      },
      state: () => slots.state(),
      load: (state) => slots.load(state),
    };
  };
}

export const OPTIMIZERS: ReadonlyMap<string, (options: OptimizerOptions) => Optimizer> = new Map([
  ['sgd', sgd],
  ['adam', adam(false)],
  ['adamw', adam(true)],
]);

export function createOptimizer(name: string, options: OptimizerOptions = {}): Optimizer {
  const make = OPTIMIZERS.get(name);
  if (make === undefined) throw new RangeArgumentError(`optimizer ${JSON.stringify(name)} is not one of ${[...OPTIMIZERS.keys()].join(', ')}`);
  return make(options);
}
