import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arrayDataset } from '../../src/data/dataset.ts';
import { DataError } from '../../src/errors.ts';
import { GraphBuilder } from '../../src/ir/builder.ts';
import { createExecutor } from '../../src/runtime/executor.ts';
import { floatKernels } from '../../src/runtime/kernels/float/register.ts';
import { calibrate, calibrationFromJSON, calibrationToJSON } from '../../src/ptq/calibrate.ts';
import { prepare } from '../../src/ptq/quantize-model.ts';
import { tensor } from '../../src/ir/tensor.ts';
import { mnistData, mnistModel } from './mnist.ts';

test('min/max of every activation equal the extremes of the values the float network computes', async () => {
  const { model } = prepare(mnistModel());
  const { dataset, images } = mnistData('calib', 40);
  const calibration = await calibrate(model, dataset, { histogram: true, limit: 40 });
  assert.equal(calibration.samples, 40);
  // Reference: fetch the same tensors sample by sample and reduce them here.
  const executor = createExecutor(model, floatKernels());
  const names = [...calibration.stats.keys()].filter((n) => n !== 'Input3');
  const lo = new Map(names.map((n) => [n, Infinity]));
  const hi = new Map(names.map((n) => [n, -Infinity]));
  for (let i = 0; i < 40; i++) {
    const out = executor.runSync({ Input3: tensor('float32', [1, 1, 28, 28], images.slice(i * 784, (i + 1) * 784)) }, { fetch: names });
    for (const n of names) for (const v of out[n].data) {
      lo.set(n, Math.min(lo.get(n)!, v));
      hi.set(n, Math.max(hi.get(n)!, v));
    }
  }
  for (const n of names) {
    const s = calibration.stats.get(n)!;
    assert.equal(s.minmax.min, lo.get(n), n);
    assert.equal(s.minmax.max, hi.get(n), n);
    assert.equal(s.histogram!.count, s.minmax.count, n);
  }
  assert.equal(calibration.stats.get('Input3')!.minmax.max, images.subarray(0, 40 * 784).reduce((a, b) => Math.max(a, b), 0));
  // Statistics survive a JSON round trip exactly.
  const again = calibrationFromJSON(JSON.parse(JSON.stringify(calibrationToJSON(calibration))));
  for (const n of calibration.stats.keys()) {
    assert.deepEqual(again.stats.get(n)!.minmax.toJSON(), calibration.stats.get(n)!.minmax.toJSON());
    assert.deepEqual([...again.stats.get(n)!.histogram!.counts], [...calibration.stats.get(n)!.histogram!.counts]);
  }
});

function logModel() {
  const b = new GraphBuilder('log');
  const x = b.addInput('x', 'float32', ['N', 2]);
  const [y] = b.addNode('Log', [x], {}, { name: 'log', outputs: ['y'] });
  const [z] = b.addNode('Relu', [y], {}, { name: 'relu', outputs: ['z'] });
  b.addOutput(z, 'float32');
  b.setValueInfo('y', 'float32', ['N', 2]);
  return b.buildModel();
}

test('NaN/±∞ activations: an error naming the tensor and the sample, or skipped and counted', async () => {
  // Sample 2 has a 0 → log(0) = −∞; sample 3 a negative → NaN.
  const data = arrayDataset(Float32Array.from([1, 2, 3, 4, 0, 5, -1, 6, 7, 8]), [2]);
  await assert.rejects(calibrate(logModel(), data, { histogram: false, limit: 10 }), (e) => e instanceof DataError && /sample 2: tensor y holds -Infinity/.test(e.message) && /--skip-nonfinite/.test(e.message));
  const c = await calibrate(logModel(), data, { histogram: false, limit: 10, skipNonFinite: true });
  assert.equal(c.samples, 3);
  assert.equal(c.skipped, 2);
  assert.equal(c.stats.get('y')!.minmax.max, Math.fround(Math.log(8)));
});

test('with skipNonFinite, a dropped sample leaves no trace in any histogram (nor in tensors observed before the bad one)', async () => {
  // Samples 2 (log(0) = −∞ in y) and 4, the last (NaN), are dropped; x, observed before y, must not keep them either.
  const data = arrayDataset(Float32Array.from([1, 2, 3, 4, 0, 50, 7, 8, -1, 5]), [2]);
  const clean = arrayDataset(Float32Array.from([1, 2, 3, 4, 7, 8]), [2]);
  const c = await calibrate(logModel(), data, { histogram: true, limit: 10, skipNonFinite: true });
  // One sample per run, as with skipNonFinite: the range grows at the same points (a value equal
  // to the range end ±a is binned by the range at the time).
  const reference = await calibrate(logModel(), clean, { histogram: true, limit: 10, batchSize: 1 });
  assert.equal(c.skipped, 2);
  assert.deepEqual(calibrationToJSON({ ...c, skipped: 0 }), calibrationToJSON(reference));
});

test('an empty calibration set is a DataError', async () => {
  await assert.rejects(calibrate(logModel(), arrayDataset(new Float32Array(0), [2]), { histogram: false, limit: 10 }), (e) => e instanceof DataError && /empty/.test(e.message));
});
