/**
 * The lecture's fixed-point PTQ (Qiu et al. 2016) on a whole network: every weight and
 * activation is a bw-bit two's complement number with fractional length f (scale 2^−f, zero
 * point 0; calib/methods/fixed-point.ts).
 *
 * - sfp: one f for all activations and one for all weights, each covering the network's extreme;
 * - dfp: weights first, f_l = argmin Σ|W − W(bw, f)| per layer; then activations greedily in
 *   production order: for each tensor, every candidate f is tried with the tensors before it
 *   already fixed, and the one whose values deviate least (Σ|x_float − x_fixed|) from the float
 *   network's wins — so each choice absorbs the errors of the choices before it.
 */
import { weightFractionalLength } from '../calib/methods/dfp.ts';
import { argminFractionalLength, fixedPointParams, fractionalLengthCandidates } from '../calib/methods/fixed-point.ts';
import { staticFractionalLength } from '../calib/methods/sfp.ts';
import { limitDataset, type Dataset } from '../data/dataset.ts';
import { feedSlice, fitInput } from '../eval/feed.ts';
import type { Model } from '../ir/graph.ts';
import type { Tensor } from '../ir/tensor.ts';
import { fakeQuantize } from '../quant/quantize.ts';
import { createExecutor } from '../runtime/executor.ts';
import { floatKernels } from '../runtime/kernels/float/register.ts';
import { simulatedKernels } from '../runtime/kernels/simulated/register.ts';
import type { Calibration } from './calibrate.ts';
import { overrideFor, type PtqConfig } from './config.ts';
import { groupMembers, mergedStatistics, planWeights, type ActivationPlan, type QuantPlan } from './plan.ts';
import { applyPlan } from './qdq.ts';
import type { QuantTargets } from './targets.ts';

export async function planFixedPoint(model: Model, targets: QuantTargets, calibration: Calibration, config: PtqConfig, dataset: Dataset): Promise<QuantPlan> {
  const groups = groupMembers(targets);
  const maxAbs = new Map<string, number>();
  for (const [group, members] of groups) {
    const { minmax } = mergedStatistics(members, calibration);
    maxAbs.set(group, Math.max(Math.abs(minmax.min), Math.abs(minmax.max), 0));
  }
  // Weights (sfp: one fractional length over every weight of the network).
  let staticWeightLength: number | undefined;
  if (config.method === 'sfp') {
    const extremes = targets.layers.map((l) => {
      const w = model.graph.initializers.get(l.weight)!.data;
      let m = 0;
      for (let i = 0; i < w.length; i++) m = Math.max(m, Math.abs(w[i]));
      return m;
    });
    staticWeightLength = staticFractionalLength(extremes, config.weightBits);
  }
  const activations = new Map<string, ActivationPlan>();
  const setGroup = (group: string, bits: number, f: number) => {
    const params = fixedPointParams(bits, f);
    const range = { min: params.qmin * params.scale[0], max: params.qmax * params.scale[0] };
    for (const m of groups.get(group)!) activations.set(m, { params, range, group, clippedFraction: 0 });
  };
  const weightsFor = (acts: ReadonlyMap<string, ActivationPlan>) =>
    planWeights(model, targets, acts, config, (_layer, data, _shape, bits) => fixedPointParams(bits, staticWeightLength ?? weightFractionalLength(data, bits).fractionalLength));

  if (config.method === 'sfp') {
    const f = staticFractionalLength(maxAbs.values(), config.activationBits);
    for (const group of groups.keys()) setGroup(group, bitsOf(model, group, config), f);
    return { config, targets, activations, ...weightsFor(activations) };
  }

  // dfp: float reference values of every group's tensor on the search samples.
  const samples = await searchFeeds(model, dataset, config.fixedPointSamples);
  const reference = await collect(createExecutor(model, floatKernels()), samples, [...groups.keys()]);
  const curves = new Map<string, { x: number[]; y: number[] }>();
  const isInput = (name: string) => model.graph.inputs.some((i) => i.name === name);
  for (const group of groups.keys()) {
    const bits = bitsOf(model, group, config);
    const candidates = fractionalLengthCandidates(maxAbs.get(group)!, bits);
    const errors: number[] = [];
    for (const f of candidates) {
      setGroup(group, bits, f);
      let values: Float32Array[];
      if (isInput(group)) {
        // A graph input's fixed-point values need no network run.
        const params = fixedPointParams(bits, f);
        values = reference.get(group)!.map((x) => fakeQuantize(x, [x.length], params));
      } else {
        // Tensors after this one stay float while it is being chosen.
        const decided = { config, targets: { ...targets, activations: targets.activations.filter((t) => activations.has(t)) }, activations, ...weightsFor(activations) };
        const executor = createExecutor(applyPlan(model, decided).model, simulatedKernels());
        values = (await collect(executor, samples, [group])).get(group)!;
      }
      errors.push(absoluteDeviation(reference.get(group)!, values));
    }
    const best = argminFractionalLength(candidates, (f) => errors[candidates.indexOf(f)]);
    setGroup(group, bits, best.fractionalLength);
    curves.set(group, { x: candidates, y: errors });
  }
  for (const [t, plan] of activations) {
    const curve = curves.get(plan.group);
    if (curve) activations.set(t, { ...plan, curve: { label: 'Σ|x_float − x_fixed| per fractional length', ...curve } });
  }
  return { config, targets, activations, ...weightsFor(activations) };
}

function bitsOf(model: Model, tensor: string, config: PtqConfig): number {
  const producer = model.graph.nodes.find((n) => n.outputs.includes(tensor));
  return (producer ? overrideFor(config, producer.name, producer.opType).activationBits : undefined) ?? config.activationBits;
}

/** The first `count` samples as model feeds. */
async function searchFeeds(model: Model, dataset: Dataset, count: number): Promise<Record<string, Tensor>[]> {
  const fit = fitInput(model.graph.inputs[0], dataset.sampleShape, 8);
  const feeds: Record<string, Tensor>[] = [];
  for await (const batch of limitDataset(dataset, count).batches(fit.batchSize)) {
    const n = batch.input.shape[0];
    for (let start = 0; start + (fit.fixedBatch ? fit.batchSize : 1) <= n; start += fit.batchSize) {
      feeds.push({ [fit.name]: feedSlice(batch.input, start, Math.min(fit.batchSize, n - start), fit) });
    }
  }
  return feeds;
}

/** The values of `names` over all feeds, concatenated. */
async function collect(executor: ReturnType<typeof createExecutor>, feeds: readonly Record<string, Tensor>[], names: readonly string[]): Promise<Map<string, Float32Array[]>> {
  const out = new Map<string, Float32Array[]>(names.map((n) => [n, []]));
  for (const feed of feeds) {
    const result = await executor.run(feed, { fetch: names.filter((n) => !(n in feed)) });
    for (const n of names) out.get(n)!.push((result[n] ?? feed[n]).data as Float32Array);
  }
  return out;
}

function absoluteDeviation(a: readonly Float32Array[], b: readonly Float32Array[]): number {
  let sum = 0;
  for (let k = 0; k < a.length; k++) for (let i = 0; i < a[k].length; i++) sum += Math.abs(a[k][i] - b[k][i]);
  return sum;
}
