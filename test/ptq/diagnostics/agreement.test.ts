// The integer-vs-simulated comparison counts LSB differences exactly: checked on two plans whose
// input codes differ by a closed form (8-bit scale 1 vs 7-bit scale 255/127 on raw pixels).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { integerAgreement } from '../../../src/ptq/diagnostics/agreement.ts';
import { quantizeModel } from '../../../src/ptq/quantize-model.ts';
import { createIntegerExecutor } from '../../../src/runtime/integer/executor.ts';
import { createExecutor } from '../../../src/runtime/executor.ts';
import { simulatedKernels } from '../../../src/runtime/kernels/simulated/register.ts';
import { mnistData, mnistModel } from '../mnist.ts';

const SAMPLES = 6;

function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v - Math.trunc(v)) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

test('codes of two plans differ exactly where the closed form says', async () => {
  const { dataset, images } = mnistData('calib', 10);
  const eight = await quantizeModel(mnistModel(), dataset, { method: 'max', calibrationLimit: 10 });
  const seven = await quantizeModel(mnistModel(), dataset, { method: 'max', calibrationLimit: 10, activationBits: 7 });
  const simulated = createExecutor(eight.quantized, simulatedKernels());
  const integer = createIntegerExecutor(seven.quantized);
  const result = await integerAgreement(simulated, integer, eight.dequantized, dataset, SAMPLES);

  // Input3: scale 1, zero point 0 at 8 bits (q = x); scale s at 7 bits (q = round(x / s)).
  const s = seven.plan.activations.get('Input3')!.params.scale[0];
  assert.equal(eight.plan.activations.get('Input3')!.params.scale[0], 1);
  const expected = [0, 0, 0];
  let maxLsb = 0;
  for (const x of images.subarray(0, SAMPLES * 784)) {
    const d = Math.abs(x - roundHalfEven(Math.fround(x / s)));
    expected[Math.min(d, 2)]++;
    maxLsb = Math.max(maxLsb, d);
  }
  const input = result.find((r) => r.tensor === 'Input3')!;
  assert.equal(input.value, 'Input3_quantized');
  assert.deepEqual(input.counts, expected);
  assert.equal(input.maxLsb, maxLsb);
  assert.ok(maxLsb > 100);
  for (const r of result) {
    assert.equal(r.samples, SAMPLES);
    assert.equal(r.counts[0] + r.counts[1] + r.counts[2], r.elements);
  }
  // A model compared with itself agrees everywhere.
  for (const r of await integerAgreement(simulated, simulated, eight.dequantized, dataset, 2)) assert.deepEqual(r.counts, [r.elements, 0, 0]);
});
