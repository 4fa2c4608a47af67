// mnist-8 in integer arithmetic on the official t10k set: quantized in the test with quantkit's
// PTQ (W8A8: int8 per-channel symmetric weights, uint8 asymmetric activations, entropy ranges)
// calibrated on the first 200 images of data/mnist/calib-*; then all 10,000 t10k images run
// through the integer executor, the simulated executor (the same QDQ model in float) and
// onnxruntime on the QOperator export. Every layer's integer output is compared with the
// simulated QuantizeLinear output of the same tensor and with onnxruntime's.
//
// The model's batch dimension is opened ([1, 1, 28, 28] → [N, 1, 28, 28], its Reshape to [1, 256]
// → [−1, 256]) so all three run batches of 500: per image the graph is unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DType } from '../../../src/ir/dtype.ts';
import { exportQOperator } from '../../../src/onnx/qoperator/export.ts';
import { quantizeModel } from '../../../src/ptq/quantize-model.ts';
import { createExecutor } from '../../../src/runtime/executor.ts';
import { createIntegerExecutor } from '../../../src/runtime/integer/executor.ts';
import { simulatedKernels } from '../../../src/runtime/kernels/simulated/register.ts';
import { mnistData } from '../../ptq/mnist.ts';
import { argmaxRows, batch, batchedMnist, compareLsb, fraction, integerActivations, ortRun, ortSession, withOutputs, type LsbAgreement } from './helpers.ts';

const CALIBRATION = 200;
const IMAGES = 10_000;
const BATCH = 500;

test('mnist-8 W8A8 on all 10,000 t10k images: integer vs simulated vs onnxruntime (QOperator)', async () => {
  const result = await quantizeModel(batchedMnist(), mnistData('calib', CALIBRATION).dataset, { calibrationLimit: CALIBRATION });
  const { images, labels } = mnistData('t10k', IMAGES);
  const integer = createIntegerExecutor(result.quantized);
  const simulated = createExecutor(result.quantized, simulatedKernels());
  assert.deepEqual(integer.lowering.floatNodes, []);
  assert.deepEqual(integer.lowering.overflowRisks, []);
  const layers = integerActivations(result.quantized);
  const output = result.quantized.graph.outputs[0].name;

  const vsSim = new Map<string, LsbAgreement>();
  const vsOrt = new Map<string, LsbAgreement>();
  const predictions = { integer: [] as number[], simulated: [] as number[], ort: [] as number[] };
  const seconds = { integer: 0, simulated: 0, ort: 0 };
  let session: Awaited<ReturnType<typeof ortSession>> | undefined;
  for (let start = 0; start < IMAGES; start += BATCH) {
    const feeds = { Input3: batch(images, [1, 28, 28], start, Math.min(BATCH, IMAGES - start)) };
    let t = performance.now();
    const ours = integer.runSync(feeds, { fetch: layers });
    seconds.integer += (performance.now() - t) / 1000;
    t = performance.now();
    const sim = simulated.runSync(feeds, { fetch: layers });
    seconds.simulated += (performance.now() - t) / 1000;
    if (session === undefined) {
      const dtypes = new Map<string, DType>(layers.map((n) => [n, ours[n].dtype]));
      session = await ortSession(exportQOperator(withOutputs(integer.lowering.model, layers, dtypes)));
    }
    t = performance.now();
    const theirs = await ortRun(session, feeds);
    seconds.ort += (performance.now() - t) / 1000;
    for (const name of layers) {
      vsSim.set(name, compareLsb(ours[name].data, sim[name].data, vsSim.get(name)));
      vsOrt.set(name, compareLsb(ours[name].data, theirs[name], vsOrt.get(name)));
    }
    predictions.integer.push(...argmaxRows(ours[output].data, 10));
    predictions.simulated.push(...argmaxRows(sim[output].data, 10));
    predictions.ort.push(...argmaxRows(theirs[output], 10));
  }
  await session?.release();

  const top1 = (p: number[]) => p.filter((c, i) => c === labels[i]).length / IMAGES;
  const same = predictions.integer.filter((c, i) => c === predictions.simulated[i]).length / IMAGES;
  console.log(`top-1 on ${IMAGES}: integer ${top1(predictions.integer)}, simulated ${top1(predictions.simulated)}, onnxruntime QOperator ${top1(predictions.ort)}; same class as simulated ${same}`);
  console.log(`seconds: integer ${seconds.integer.toFixed(2)} (${((seconds.integer / IMAGES) * 1000).toFixed(3)} ms/image), simulated ${seconds.simulated.toFixed(2)}, onnxruntime ${seconds.ort.toFixed(2)}`);
  for (const name of layers) {
    const s = vsSim.get(name)!;
    const o = vsOrt.get(name)!;
    console.log(`  ${name}: vs simulated exact ${fraction(s, 'exact').toFixed(5)} within 1 ${fraction(s, 'within1').toFixed(5)} (max ${s.maxDiff}); vs onnxruntime exact ${fraction(o, 'exact').toFixed(5)} within 1 ${fraction(o, 'within1').toFixed(5)}`);
  }
  assert.ok(Math.abs(top1(predictions.integer) - top1(predictions.simulated)) <= 0.0005);
  assert.ok(same >= 0.999, `same class on ${same}`);
  assert.ok(Math.abs(top1(predictions.ort) - top1(predictions.integer)) <= 0.0005);
  for (const name of layers) {
    assert.ok(fraction(vsSim.get(name)!, 'within1') >= 0.99, `${name} vs simulated`);
    assert.ok(fraction(vsOrt.get(name)!, 'within1') >= 0.99, `${name} vs onnxruntime`);
  }
});
