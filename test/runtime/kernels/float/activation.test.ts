import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RangeArgumentError, UnsupportedOpError } from '../../../../src/errors.ts';
import { activationImpl, activationKernels } from '../../../../src/runtime/kernels/float/activation.ts';
import { assertClose, assertTensor, float, make, runKernel, str } from './kernel-test-utils.ts';

const X = [-5, -1.5, -0.25, 0, 0.25, 1.5, 3, 7];

function expectMap(op: string, f: (x: number) => number, attributes = {}, rtol = 1e-6): void {
  const [out] = runKernel(activationKernels, op, [make('float32', [X.length], X)], attributes);
  assertClose(out, { shape: [X.length], data: X.map(f) }, rtol, 1e-7, op);
}

test('activations match their ONNX formulas with default attributes', () => {
  expectMap('Relu', (x) => Math.max(0, x));
  expectMap('LeakyRelu', (x) => (x < 0 ? 0.01 * x : x));
  expectMap('Sigmoid', (x) => 1 / (1 + Math.exp(-x)));
  expectMap('HardSigmoid', (x) => Math.min(1, Math.max(0, 0.2 * x + 0.5)));
  expectMap('HardSwish', (x) => (x * Math.min(1, Math.max(0, x / 6 + 0.5))));
  expectMap('Elu', (x) => (x < 0 ? Math.exp(x) - 1 : x));
  expectMap('Selu', (x) => 1.0507009873554805 * (x > 0 ? x : 1.6732632423543772 * (Math.exp(x) - 1)));
  expectMap('Celu', (x) => Math.max(0, x) + Math.min(0, Math.exp(x) - 1));
  expectMap('ThresholdedRelu', (x) => (x > 1 ? x : 0));
  expectMap('Softplus', (x) => Math.log(1 + Math.exp(x)));
  expectMap('Softsign', (x) => x / (1 + Math.abs(x)));
  // Gelu(x) = x·Φ(x); Φ at these points from the normal CDF table.
  const phi: Record<number, number> = { [-5]: 2.866515718791939e-7, [-1.5]: 0.0668072012688581, [-0.25]: 0.4012936743170763, 0: 0.5, 0.25: 0.5987063256829237, 1.5: 0.9331927987311419, 3: 0.9986501019683699, 7: 0.9999999999987201 };
  expectMap('Gelu', (x) => x * phi[x]);
  expectMap('Gelu', (x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3))), { approximate: str('tanh') });
});

test('attributes override the defaults', () => {
  expectMap('LeakyRelu', (x) => (x < 0 ? 0.5 * x : x), { alpha: float(0.5) });
  expectMap('HardSigmoid', (x) => Math.min(1, Math.max(0, 0.5 * x + 0.6)), { alpha: float(0.5), beta: float(0.6) });
  expectMap('Elu', (x) => (x < 0 ? 2 * (Math.exp(x) - 1) : x), { alpha: float(2) });
  expectMap('Selu', (x) => 3 * (x > 0 ? x : 2 * (Math.exp(x) - 1)), { alpha: float(2), gamma: float(3) });
  expectMap('Celu', (x) => Math.max(0, x) + Math.min(0, 2 * (Math.exp(x / 2) - 1)), { alpha: float(2) });
  expectMap('ThresholdedRelu', (x) => (x > 0.1 ? x : 0), { alpha: float(0.1) });
});

test('numerically stable at the extremes: no overflow to NaN', () => {
  const big = make('float32', [2], [-1000, 1000]);
  assertTensor(activationImpl('Sigmoid', big), 'float32', [2], [0, 1]);
  assertTensor(activationImpl('Softplus', big), 'float32', [2], [0, 1000]);
  const [nan] = runKernel(activationKernels, 'Relu', [make('float32', [1], [NaN])]);
  assert.ok(Number.isNaN(nan.data[0]));
});

test('Relu accepts signed integers; float-only activations reject them', () => {
  assertTensor(activationImpl('Relu', make('int8', [3], [-128, 0, 127])), 'int8', [3], [0, 0, 127]);
  assertTensor(activationImpl('Relu', make('int64', [2], [-(2 ** 40), 2 ** 40])), 'int64', [2], [0, 2 ** 40]);
  assert.throws(() => activationImpl('Sigmoid', make('int32', [1], [1])), UnsupportedOpError);
  assert.throws(() => runKernel(activationKernels, 'Gelu', [make('float32', [1], [1])], { approximate: str('fast') }), RangeArgumentError);
});
