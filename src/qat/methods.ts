/**
 * The QAT methods, in one registry keyed by name: which quantizer op each weight and activation
 * gets, and how its parameters start from the PTQ plan (the calibrated ranges).
 *
 * - ste:  weights FakeQuantMinMax (per-channel range of the current weights, as PTQ), activations
 *         FakeQuant at the calibrated range; the plain straight-through estimator.
 * - lsq:  weights and activations LsqQuant: the PTQ scales become learned step sizes
 *         (gradient scale 1/√(N·Qp)).
 * - pact: activations after a ReLU PactQuant, α starting at the calibrated range's top; weights
 *         as ste (the paper pairs PACT with a separate weight quantizer, DoReFa; here the PTQ rule).
 * The graph input (the image, 8-bit data already) keeps its fixed calibrated range in every
 * method, as do activations PACT does not apply to (not after a ReLU).
 */
import { RangeArgumentError } from '../errors.ts';
import type { AttributeInput } from '../ir/builder.ts';
import { scalar, tensor, type Tensor } from '../ir/tensor.ts';
import type { QuantParams } from '../quant/params.ts';
import { lsqGradScale } from './quantizers/lsq.ts';
import type { ParameterSpec } from './train/trainer.ts';

/** A quantizer node to insert: its op (domain quantkit.qat), inputs after x, attributes. */
export interface QuantizerSpec {
  readonly op: string;
  /** Initializers feeding inputs 1, 2, …: a name suffix, the initial value, and a spec when trained. */
  readonly inputs: readonly { readonly suffix: string; readonly value: Tensor; readonly parameter?: ParameterSpec }[];
  readonly attributes: Readonly<Record<string, AttributeInput>>;
}

export interface ActivationSite {
  /** The tensor's PTQ parameters (per tensor). */
  readonly params: QuantParams;
  /** Produced by a Relu (PACT replaces the ReLU's open top with a learned clip). */
  readonly afterRelu: boolean;
  /** A graph input (data): always fixed. */
  readonly graphInput: boolean;
  /** Values per sample (LSQ's N for activations). */
  readonly featuresPerSample: number;
}

export interface QatMethod {
  readonly name: string;
  weight(params: QuantParams, weight: Tensor): QuantizerSpec;
  activation(site: ActivationSite): QuantizerSpec;
}

export interface MethodOptions {
  /** Weight decay of PACT's α (λ_α; default 5e-4). */
  readonly pactDecay?: number;
}

/** Smallest learned step or clipping level kept (a step must stay positive). */
const MIN_STEP = 1e-8;

function rangeAttributes(p: QuantParams): Record<string, AttributeInput> {
  return { bits: p.bits, qmin: p.qmin, qmax: p.qmax, ...(p.axis === undefined ? {} : { axis: p.axis }) };
}

function zeroPoints(p: QuantParams): Tensor {
  return p.axis === undefined ? scalar('int32', p.zeroPoint[0]) : tensor('int32', [p.zeroPoint.length], Int32Array.from(p.zeroPoint));
}

function scales(p: QuantParams): Tensor {
  return p.axis === undefined ? scalar('float32', p.scale[0]) : tensor('float32', [p.scale.length], Float32Array.from(p.scale));
}

/** Fixed parameters, straight-through gradient. */
function fixed(p: QuantParams): QuantizerSpec {
  return { op: 'FakeQuant', inputs: [{ suffix: 'scale', value: scales(p) }, { suffix: 'zero_point', value: zeroPoints(p) }], attributes: rangeAttributes(p) };
}

/** Parameters from the weights' own range at every step (the PTQ rule for weights). */
function minMax(p: QuantParams): QuantizerSpec {
  return { op: 'FakeQuantMinMax', inputs: [], attributes: { bits: p.bits, scheme: 'symmetric', ...(p.axis === undefined ? {} : { axis: p.axis }) } };
}

/** A learned step per scale index, starting at the PTQ scale; z fixed. */
function lsq(p: QuantParams, valuesPerStep: number): QuantizerSpec {
  const qp = Math.max(p.qmax - p.zeroPoint[0], p.zeroPoint[0] - p.qmin);
  return {
    op: 'LsqQuant',
    inputs: [{ suffix: 'step', value: scales(p), parameter: { min: MIN_STEP } }, { suffix: 'zero_point', value: zeroPoints(p) }],
    attributes: { ...rangeAttributes(p), grad_scale: lsqGradScale(valuesPerStep, qp) },
  };
}

/** PACT: α starts at the top of the calibrated range, s·(qmax − z). */
function pact(p: QuantParams, decay: number): QuantizerSpec {
  const alpha = p.scale[0] * (p.qmax - p.zeroPoint[0]);
  return { op: 'PactQuant', inputs: [{ suffix: 'alpha', value: scalar('float32', alpha), parameter: { weightDecay: decay, min: MIN_STEP } }], attributes: { bits: p.bits } };
}

export const QAT_METHODS: ReadonlyMap<string, (options: MethodOptions) => QatMethod> = new Map<string, (options: MethodOptions) => QatMethod>([
  ['ste', () => ({ name: 'ste', weight: (p) => minMax(p), activation: (site) => fixed(site.params) })],
  [
    'lsq',
    () => ({
      name: 'lsq',
      weight: (p, w) => lsq(p, w.data.length / p.scale.length),
      activation: (site) => (site.graphInput ? fixed(site.params) : lsq(site.params, site.featuresPerSample)),
    }),
  ],
  [
    'pact',
    (options) => ({
      name: 'pact',
      weight: (p) => minMax(p),
      activation: (site) => (site.afterRelu && !site.params.signed ? pact(site.params, options.pactDecay ?? 5e-4) : fixed(site.params)),
    }),
  ],
]);

export function qatMethod(name: string, options: MethodOptions = {}): QatMethod {
  const make = QAT_METHODS.get(name);
  if (make === undefined) throw new RangeArgumentError(`QAT method ${JSON.stringify(name)} is not one of ${[...QAT_METHODS.keys()].join(', ')}`);
  return make(options);
}
