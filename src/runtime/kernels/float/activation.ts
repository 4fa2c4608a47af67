/**
 * Activation functions: Relu, LeakyRelu, Sigmoid, HardSigmoid, HardSwish, Elu, Selu, Celu,
 * ThresholdedRelu, Softplus, Softsign, Gelu. Formulas and attribute defaults are those of the
 * ONNX operator spec; Relu also accepts signed integers.
 */
import { attrFloat, attrString } from '../../../ir/attributes.ts';
import type { Node } from '../../../ir/graph.ts';
import type { Tensor } from '../../../ir/tensor.ts';
import type { KernelConfig } from '../../kernel.ts';
import { erf } from './erf.ts';
import { FLOAT_TYPES, nodeLabel, requireInput, requireOneOf, SIGNED_TYPES } from './node-io.ts';
import { mapUnary, type UnaryLoop } from './unary.ts';

// NaN passes through, as in max(x, 0).
const relu: UnaryLoop = (d, s) => {
  for (let i = 0; i < s.length; i++) d[i] = s[i] < 0 ? 0 : s[i];
};
const leakyRelu: UnaryLoop = (d, s, alpha) => {
  for (let i = 0; i < s.length; i++) d[i] = s[i] >= 0 ? s[i] : alpha * s[i];
};
// Two branches so exp never overflows: e^(−x) for x ≥ 0, e^x otherwise.
const sigmoid: UnaryLoop = (d, s) => {
  for (let i = 0; i < s.length; i++) {
    const x = s[i];
    if (x >= 0) d[i] = 1 / (1 + Math.exp(-x));
    else {
      const e = Math.exp(x);
      d[i] = e / (1 + e);
    }
  }
};
// max(0, min(1, αx + β))
const hardSigmoid: UnaryLoop = (d, s, alpha, beta) => {
  for (let i = 0; i < s.length; i++) d[i] = Math.max(0, Math.min(1, alpha * s[i] + beta));
};
// x · HardSigmoid(x) with α = 1/6, β = 1/2
const hardSwish: UnaryLoop = (d, s) => {
  for (let i = 0; i < s.length; i++) d[i] = s[i] * Math.max(0, Math.min(1, s[i] / 6 + 0.5));
};
// α(e^x − 1) below 0; expm1 keeps precision near 0.
const elu: UnaryLoop = (d, s, alpha) => {
  for (let i = 0; i < s.length; i++) d[i] = s[i] >= 0 ? s[i] : alpha * Math.expm1(s[i]);
};
// γ · (x > 0 ? x : α(e^x − 1)); alpha carries α, beta carries γ.
const selu: UnaryLoop = (d, s, alpha, gamma) => {
  for (let i = 0; i < s.length; i++) d[i] = gamma * (s[i] > 0 ? s[i] : alpha * Math.expm1(s[i]));
};
// max(0, x) + min(0, α(e^(x/α) − 1))
const celu: UnaryLoop = (d, s, alpha) => {
  for (let i = 0; i < s.length; i++) d[i] = Math.max(0, s[i]) + Math.min(0, alpha * Math.expm1(s[i] / alpha));
};
const thresholdedRelu: UnaryLoop = (d, s, alpha) => {
  for (let i = 0; i < s.length; i++) d[i] = s[i] > alpha ? s[i] : 0;
};
// ln(1 + e^x), written so e^x never overflows.
const softplus: UnaryLoop = (d, s) => {
  for (let i = 0; i < s.length; i++) {
    const x = s[i];
    d[i] = x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
  }
};
const softsign: UnaryLoop = (d, s) => {
  for (let i = 0; i < s.length; i++) d[i] = s[i] / (1 + Math.abs(s[i]));
};
// x/2 · (1 + erf(x/√2))
const gelu: UnaryLoop = (d, s) => {
  for (let i = 0; i < s.length; i++) d[i] = 0.5 * s[i] * (1 + erf(s[i] * Math.SQRT1_2));
};
// x/2 · (1 + tanh(√(2/π) · (x + 0.044715x³)))
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const geluTanh: UnaryLoop = (d, s) => {
  for (let i = 0; i < s.length; i++) {
    const x = s[i];
    d[i] = 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)));
  }
};

export type ActivationOp = 'Relu' | 'LeakyRelu' | 'Sigmoid' | 'HardSigmoid' | 'HardSwish' | 'Elu' | 'Selu' | 'Celu' | 'ThresholdedRelu' | 'Softplus' | 'Softsign' | 'Gelu';

/** Parameters of an activation; omitted ones take the ONNX defaults. */
export interface ActivationParams {
  readonly alpha?: number;
  readonly beta?: number;
  readonly gamma?: number;
  /** Gelu: 'none' (erf form) or 'tanh'. */
  readonly approximate?: string;
}

const SELU_ALPHA = 1.67326319217681884765625;
const SELU_GAMMA = 1.05070102214813232421875;

/** The activation `op` of x, with ONNX attribute defaults for omitted parameters. */
export function activationImpl(op: ActivationOp, x: Tensor, params: ActivationParams = {}, where: string = op): Tensor {
  const { alpha, beta, gamma } = params;
  switch (op) {
    case 'Relu':
      return mapUnary(x, SIGNED_TYPES, relu, where);
    case 'LeakyRelu':
      return mapUnary(x, FLOAT_TYPES, leakyRelu, where, alpha ?? 0.01);
    case 'Sigmoid':
      return mapUnary(x, FLOAT_TYPES, sigmoid, where);
    case 'HardSigmoid':
      return mapUnary(x, FLOAT_TYPES, hardSigmoid, where, alpha ?? 0.2, beta ?? 0.5);
    case 'HardSwish':
      return mapUnary(x, FLOAT_TYPES, hardSwish, where);
    case 'Elu':
      return mapUnary(x, FLOAT_TYPES, elu, where, alpha ?? 1);
    case 'Selu':
      return mapUnary(x, FLOAT_TYPES, selu, where, alpha ?? SELU_ALPHA, gamma ?? SELU_GAMMA);
    case 'Celu':
      return mapUnary(x, FLOAT_TYPES, celu, where, alpha ?? 1);
    case 'ThresholdedRelu':
      return mapUnary(x, FLOAT_TYPES, thresholdedRelu, where, alpha ?? 1);
    case 'Softplus':
      return mapUnary(x, FLOAT_TYPES, softplus, where);
    case 'Softsign':
      return mapUnary(x, FLOAT_TYPES, softsign, where);
    case 'Gelu': {
      const approximate = requireOneOf(params.approximate ?? 'none', ['none', 'tanh'], where, 'approximate');
      return mapUnary(x, FLOAT_TYPES, approximate === 'tanh' ? geluTanh : gelu, where);
    }
  }
}

function paramsOf(node: Node): ActivationParams {
  return { alpha: attrFloat(node, 'alpha'), beta: attrFloat(node, 'beta'), gamma: attrFloat(node, 'gamma'), approximate: attrString(node, 'approximate') };
}

const OPS: readonly ActivationOp[] = ['Relu', 'LeakyRelu', 'Sigmoid', 'HardSigmoid', 'HardSwish', 'Elu', 'Selu', 'Celu', 'ThresholdedRelu', 'Softplus', 'Softsign', 'Gelu'];

export const activationKernels: readonly KernelConfig[] = OPS.map((op) => ({
  op,
  impl: (inputs, node) => [activationImpl(op, requireInput(inputs, 0, node, 'X'), paramsOf(node), nodeLabel(node))],
}));
