/**
 * One training step on a Model: forward on the tape in training mode with the softmax
 * cross-entropy loss appended to the first graph output (the logits), backward from the loss,
 * one optimizer step on the trainable initializers, then the state the forward updated
 * (BatchNormalization running statistics) and each parameter's lower bound.
 *
 * The trainer owns copies of every trainable and state initializer (`values`); the model itself
 * is never modified. `model()` returns it with the current values.
 */
import { DataError, ShapeError } from '../../errors.ts';
import type { Graph, Model } from '../../ir/graph.ts';
import { uniqueNamesFor } from '../../ir/names.ts';
import { tensor, type Tensor } from '../../ir/tensor.ts';
import type { GradRegistry } from '../autograd/registry.ts';
import { forward } from '../autograd/tape.ts';
import type { MiniBatch } from './data.ts';
import type { Optimizer } from './optimizer.ts';

export interface ParameterSpec {
  /** Weight decay λ (default 0). */
  readonly weightDecay?: number;
  /** Lower bound enforced after every step (a step size or clipping level must stay positive). */
  readonly min?: number;
}

export interface StepResult {
  /** Mean loss over the batch. */
  readonly loss: number;
  /** Samples whose largest logit is their label. */
  readonly correct: number;
}

/** The model with a SoftmaxCrossEntropyLoss on its first output: inputs + `labels`, output `loss`. */
function withLoss(model: Model): { model: Model; labels: string; loss: string; logits: string } {
  const graph = model.graph;
  const names = uniqueNamesFor(graph);
  const logits = graph.outputs[0].name;
  const labels = names.next('labels');
  const loss = names.next('loss');
  const training: Graph = {
    ...graph,
    inputs: [...graph.inputs, { name: labels, dtype: 'int64', shape: ['N'] }],
    outputs: [{ name: loss, dtype: 'float32', shape: [] }],
    nodes: [...graph.nodes, { name: names.next('loss_node'), opType: 'SoftmaxCrossEntropyLoss', domain: '', inputs: [logits, labels], outputs: [loss], attributes: {} }],
  };
  return { model: { ...model, graph: training }, labels, loss, logits };
}

export class Trainer {
  /** Current values of the trainable and state initializers (the trainer's own copies). */
  readonly values = new Map<string, Tensor>();
  private readonly training: ReturnType<typeof withLoss>;
  private readonly trainable: ReadonlySet<string>;

  constructor(
    readonly base: Model,
    private readonly registry: GradRegistry,
    readonly parameters: ReadonlyMap<string, ParameterSpec>,
    readonly optimizer: Optimizer,
  ) {
    if (base.graph.inputs.length !== 1) throw new DataError(`training feeds one input; the model has ${base.graph.inputs.length}`);
    for (const name of parameters.keys()) {
      const t = base.graph.initializers.get(name);
      if (t === undefined || t.dtype !== 'float32') throw new ShapeError(`trainable parameter ${JSON.stringify(name)} is not a float32 initializer of the model`);
      this.values.set(name, tensor('float32', t.shape, Float32Array.from(t.data)));
    }
    this.training = withLoss(base);
    this.trainable = new Set(parameters.keys());
  }

  /** One optimizer step on `batch` at learning rate `lr`. */
  step(batch: MiniBatch, lr: number): StepResult {
    const { model, labels, loss, logits } = this.training;
    const feeds = { [model.graph.inputs[0].name]: batch.input, [labels]: tensor('int64', [batch.labels.length], Float64Array.from(batch.labels)) };
    const run = forward(model, this.registry, feeds, { training: true, wrt: this.trainable, values: this.values });
    const lossValue = run.values.get(loss)!.data[0];
    if (!Number.isFinite(lossValue)) throw new DataError(`training diverged: the loss is ${lossValue} (lower the learning rate)`);
    const correct = countCorrect(run.values.get(logits)!, batch.labels);
    const grads = run.backward(new Map([[loss, tensor('float32', [], Float32Array.of(1))]]));
    const params = new Map([...this.trainable].map((name) => [name, this.values.get(name)!.data as Float32Array]));
    this.optimizer.step(params, new Map([...grads].map(([name, g]) => [name, g.data])), lr, (name) => this.parameters.get(name)?.weightDecay ?? 0);
    for (const [name, value] of run.updates) if (!this.trainable.has(name)) this.values.set(name, value);
    for (const [name, spec] of this.parameters) {
      if (spec.min === undefined) continue;
      const p = params.get(name)!;
      for (let i = 0; i < p.length; i++) if (!(p[i] >= spec.min)) p[i] = spec.min;
    }
    return { loss: lossValue, correct };
  }

  /** The model with the trainer's current values as its initializers. */
  model(): Model {
    const initializers = new Map(this.base.graph.initializers);
    for (const [name, value] of this.values) initializers.set(name, tensor(value.dtype, value.shape, value.data.slice()));
    return { ...this.base, graph: { ...this.base.graph, initializers } };
  }
}

/** Rows of [N, classes] logits whose argmax is the label. */
export function countCorrect(logits: Tensor, labels: Int32Array): number {
  const classes = logits.data.length / labels.length;
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (logits.data[i * classes + c] > logits.data[i * classes + best]) best = c;
    if (best === labels[i]) correct++;
  }
  return correct;
}
