// `quantkit calibrate` saves statistics; `quantize --ranges` plans from them exactly as quantize
// calibrating itself on the same data, and refuses statistics that do not fit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quantkitBatch } from './batch.ts';

const CALIB = 'data/mnist/calib-images-idx3-ubyte.gz';

test('calibrate → quantize --ranges gives the plan of quantize calibrating itself; statistics that do not fit exit 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'quantkit-calibrate-'));
  try {
    const stats = join(dir, 'stats.json');
    // Statistics of another model: none for mnist-8's first conv output.
    const other = join(dir, 'other.json');
    const minmax = { kind: 'minmax', min: 0, max: 1, count: 1 };
    writeFileSync(other, JSON.stringify({ kind: 'quantkit-calibration', version: 1, model: 'other.onnx', samples: 1, skipped: 0, tensors: { Input3: { minmax } } }));
    // Min/max only (no histograms): enough for max, not for entropy.
    const bare = join(dir, 'bare.json');
    const names = ['Input3', 'ReLU32_Output_0', 'Pooling66_Output_0', 'ReLU114_Output_0', 'Pooling160_Output_0', 'Pooling160_Output_0_reshape0', 'Plus214_Output_0'];
    writeFileSync(bare, JSON.stringify({ kind: 'quantkit-calibration', version: 1, model: 'mnist-8.onnx', samples: 1, skipped: 0, tensors: Object.fromEntries(names.map((n) => [n, { minmax }])) }));
    const common = ['--method', 'percentile', '--percentile', '99.9', '--calib', CALIB, '--calib-limit', '30', '--json'];
    const [c, loaded, calibrated, mismatch, noHistogram, dfp, notJson, help, noCalib] = quantkitBatch([
      ['calibrate', 'models/mnist-8.onnx', '--calib', CALIB, '--calib-limit', '30', '-o', stats, '--json'],
      ['quantize', 'models/mnist-8.onnx', '--ranges', stats, '-o', join(dir, 'a.onnx'), ...common],
      ['quantize', 'models/mnist-8.onnx', '-o', join(dir, 'b.onnx'), ...common],
      ['quantize', 'models/mnist-8.onnx', '--ranges', other, '--method', 'max', '--calib', CALIB, '-o', join(dir, 'c.onnx')],
      ['quantize', 'models/mnist-8.onnx', '--ranges', bare, '--method', 'entropy', '--calib', CALIB, '-o', join(dir, 'c.onnx')],
      ['quantize', 'models/mnist-8.onnx', '--ranges', stats, '--method', 'dfp', '--calib', CALIB, '-o', join(dir, 'c.onnx')],
      ['quantize', 'models/mnist-8.onnx', '--ranges', join(dir, 'a.onnx'), '--calib', CALIB, '-o', join(dir, 'c.onnx')],
      ['calibrate', '--help'],
      ['calibrate', 'models/mnist-8.onnx', '-o', join(dir, 'never.json')],
    ]);
    assert.equal(c.status, 0, c.stderr);
    const printed = JSON.parse(c.stdout);
    assert.equal(printed.samples, 30);
    const input = printed.tensors.find((t: { tensor: string }) => t.tensor === 'Input3');
    // Raw MNIST pixels: 784 per image, 0 to 255.
    assert.deepEqual([input.min, input.max, input.count], [0, 255, 30 * 784]);
    const file = JSON.parse(readFileSync(stats, 'utf8'));
    assert.equal(file.kind, 'quantkit-calibration');
    assert.equal(file.tensors.Input3.histogram.counts.length, 4096);

    assert.equal(loaded.status, 0, loaded.stderr);
    assert.equal(calibrated.status, 0, calibrated.stderr);
    const a = JSON.parse(loaded.stdout);
    const b = JSON.parse(calibrated.stdout);
    assert.deepEqual(a.plan, b.plan);
    assert.deepEqual(a.layers, b.layers);
    assert.equal(a.calibration.samples, 30);
    assert.deepEqual(readFileSync(join(dir, 'a.onnx')), readFileSync(join(dir, 'b.onnx')));

    assert.equal(help.status, 0);
    assert.match(help.stdout, /Examples:\n {2}quantkit calibrate models\/mnist-8\.onnx --calib /);
    for (const [r, message] of [
      [mismatch, /E_DATA: the calibration statistics do not match this model: none for tensor ReLU32_Output_0, Pooling66_Output_0, ReLU114_Output_0, … \(6 in all\) of its 7 quantized tensors; calibrate this model again$/m],
      [noHistogram, /E_DATA: range method entropy needs histograms; the calibration statistics have none for Input3, ReLU32_Output_0, Pooling66_Output_0, … \(7 in all\)$/m],
      [dfp, /E_USAGE: --ranges serves the methods that pick a range per tensor .*; dfp runs the network/],
      [notJson, /E_DATA: statistics .*a\.onnx is not JSON/],
      [noCalib, /required option '--calib <path>' not specified/],
    ] as const) {
      assert.equal(r.status, 2, String(message));
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
