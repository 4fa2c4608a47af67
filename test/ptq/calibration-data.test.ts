// Calibration data from disk, as `quantkit quantize --calib` reads it: non-finite values, shapes
// that do not fit, empty sets and mixed element types or image kinds end in a DataError naming
// the problem, or in the documented behaviour (integers converted, channels unified, --skip-nonfinite).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode as encodePng } from 'fast-png';
import { openDataset } from '../../src/data/node/open-dataset.ts';
import { DataError } from '../../src/errors.ts';
import { loadModelFile } from '../../src/node/load-model.ts';
import { quantizeModel } from '../../src/ptq/quantize-model.ts';
import { npyBytes } from '../data/npy-fixture.ts';

const model = loadModelFile('models/mnist-8.onnx');
const dir = mkdtempSync(join(tmpdir(), 'quantkit-calib-data-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

/** `count` mnist-sized samples of `descr` ('<f4', '<i8', ...) as a .npy file; `poke` edits the values first. */
function npyFile(name: string, descr: '<f4' | '<i8', shape: number[], poke: (values: number[]) => void = () => {}): string {
  const values = Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => (i * 37) % 256);
  poke(values);
  const payload = descr === '<f4' ? new Uint8Array(Float32Array.from(values).buffer) : new Uint8Array(BigInt64Array.from(values, (v) => BigInt(v)).buffer);
  const path = join(dir, name);
  writeFileSync(path, npyBytes(descr, shape, payload));
  return path;
}

const calibrate = async (path: string, options: { skipNonFinite?: boolean; preprocess?: { channels: 1 | 3 } } = {}) =>
  quantizeModel(model, await openDataset(path, options.preprocess ? { preprocess: options.preprocess } : {}), { method: 'max', skipNonFinite: options.skipNonFinite === true });
const dataError = (pattern: RegExp) => (e: unknown) => e instanceof DataError && pattern.test(e.message);

test('NaN or ±∞ samples: a DataError naming the sample and tensor, or skipped and counted', async () => {
  const path = npyFile('inf.npy', '<f4', [4, 1, 28, 28], (v) => ((v[784 * 2 + 5] = Infinity), (v[784 * 3] = NaN)));
  await assert.rejects(calibrate(path), dataError(/calibration sample 2: tensor Input3 holds Infinity \(use --skip-nonfinite/));
  const { calibration } = await calibrate(path, { skipNonFinite: true });
  assert.deepEqual([calibration.samples, calibration.skipped], [2, 2]);
  await assert.rejects(calibrate(npyFile('all-nan.npy', '<f4', [2, 784], (v) => v.fill(NaN)), { skipNonFinite: true }), dataError(/all 2 samples held NaN/));
});

test('samples of the wrong shape and empty sets are DataErrors', async () => {
  await assert.rejects(calibrate(npyFile('small.npy', '<f4', [3, 27, 27])), dataError(/expects samples of shape \[1, 28, 28\] \(784 values\), the data has \[27, 27\] \(729 values\)/));
  await assert.rejects(calibrate(npyFile('empty.npy', '<f4', [0, 1, 28, 28])), dataError(/the dataset is empty/));
  mkdirSync(join(dir, 'no-images'));
  await assert.rejects(calibrate(join(dir, 'no-images')), dataError(/no \.png\/\.jpg\/\.jpeg images found/));
});

test('integer .npy data feeds a float model as its values; gray and RGB images are unified to the preprocessing channels', async () => {
  const asInt = await calibrate(npyFile('int.npy', '<i8', [3, 1, 28, 28]));
  const asFloat = await calibrate(npyFile('float.npy', '<f4', [3, 1, 28, 28]));
  assert.deepEqual(asInt.plan, asFloat.plan);
  const folder = join(dir, 'mixed');
  mkdirSync(folder);
  const pixels = (channels: number) => Uint8Array.from({ length: 28 * 28 * channels }, (_, i) => (i * 13) % 256);
  writeFileSync(join(folder, 'a-gray.png'), encodePng({ width: 28, height: 28, data: pixels(1), channels: 1, depth: 8 }));
  writeFileSync(join(folder, 'b-rgb.png'), encodePng({ width: 28, height: 28, data: pixels(3), channels: 3, depth: 8 }));
  assert.equal((await calibrate(folder, { preprocess: { channels: 1 } })).calibration.samples, 2);
  // Without a size, an image of another size is named.
  writeFileSync(join(folder, 'c-big.png'), encodePng({ width: 30, height: 28, data: Uint8Array.from({ length: 30 * 28 }), channels: 1, depth: 8 }));
  await assert.rejects(calibrate(folder, { preprocess: { channels: 1 } }), dataError(/c-big\.png: preprocessed to \[1, 28, 30\]/));
});
