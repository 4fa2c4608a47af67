import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importModel } from '../../src/onnx/import.ts';

const CALIB = 'data/mnist/calib-images-idx3-ubyte.gz';
const T10K = 'data/mnist/t10k-images-idx3-ubyte.gz';

function quantkit(...args: string[]) {
  return spawnSync(process.execPath, ['bin/quantkit.js', ...args], { encoding: 'utf8' });
}

test('quantize --json: output, eval {float, simulated}, layers with range/SQNR/clipping; the model and plan are written', () => {
  const dir = mkdtempSync(join(tmpdir(), 'quantkit-cli-'));
  try {
    const out = join(dir, 'q.onnx');
    const plan = join(dir, 'plan.json');
    const r = quantkit('quantize', 'models/mnist-8.onnx', '--calib', CALIB, '--calib-limit', '100', '--method', 'percentile', '--percentile', '99.9', '--wbits', '6', '-o', out, '--plan', plan, '--eval', T10K, '--eval-limit', '100', '--json');
    assert.equal(r.status, 0, r.stderr);
    const json = JSON.parse(r.stdout);
    assert.equal(json.output, out);
    assert.equal(json.eval.samples, 100);
    assert.ok(json.eval.float > 0.9 && json.eval.simulated > 0.9 && json.eval.integer > 0.9);
    assert.deepEqual(json.integer.float_nodes, []);
    assert.equal(json.format, 'qdq');
    // The quantized model keeps the original's preprocessing sidecar.
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'q.json'), 'utf8')), JSON.parse(readFileSync('models/mnist-8.json', 'utf8')));
    assert.ok(json.layers.length > 0);
    for (const l of json.layers) {
      assert.equal(typeof l.tensor, 'string');
      assert.equal(l.range.length, 2);
      // JSON has no Infinity: null means the quantized values equal the float ones (the uint8 input pixels).
      assert.ok(typeof l.sqnr_db === 'number' || (l.sqnr_db === null && l.tensor === 'Input3'), `${l.tensor}: ${l.sqnr_db}`);
      assert.ok(l.clipped_fraction >= 0 && l.clipped_fraction <= 1);
    }
    assert.equal(json.config.weightBits, 6);
    assert.equal(json.calibration.samples, 100);
    const model = importModel(readFileSync(out));
    assert.ok(model.graph.nodes.some((n) => n.opType === 'QuantizeLinear'));
    assert.deepEqual(Object.keys(JSON.parse(readFileSync(plan, 'utf8')).weights).sort(), ['Parameter193_reshape1', 'Parameter5', 'Parameter87']);
    // An existing output is not overwritten without --force (exit 2, one line).
    const again = quantkit('quantize', 'models/mnist-8.onnx', '--calib', CALIB, '--calib-limit', '10', '-o', out);
    assert.equal(again.status, 2);
    assert.match(again.stderr, /exists; pass --force/);
    assert.equal(again.stderr.trim().split('\n').length, 1);
    // QOperator form, then evaluated by each engine.
    const qop = join(dir, 'qop.onnx');
    const q = quantkit('quantize', 'models/mnist-8.onnx', '--calib', CALIB, '--calib-limit', '50', '--format', 'qoperator', '-o', qop);
    assert.equal(q.status, 0, q.stderr);
    assert.ok(importModel(readFileSync(qop)).graph.nodes.some((n) => n.opType === 'QLinearConv'));
    const run = quantkit('eval', qop, '--data', T10K, '--limit', '50', '--json');
    assert.equal(run.status, 0, run.stderr);
    const integer = JSON.parse(run.stdout);
    assert.equal(integer.engine, 'integer');
    assert.equal(integer.samples, 50);
    // The QDQ model of the first run: simulated (fake-quant) and integer engines agree.
    const simulated = JSON.parse(quantkit('eval', out, '--data', T10K, '--limit', '50', '--engine', 'simulated', '--json').stdout);
    const integerQdq = JSON.parse(quantkit('eval', out, '--data', T10K, '--limit', '50', '--engine', 'integer', '--json').stdout);
    assert.ok(Math.abs(simulated.top1 - integerQdq.top1) <= 0.02);
    const float = quantkit('eval', qop, '--data', T10K, '--limit', '5', '--engine', 'float');
    assert.equal(float.status, 2);
    assert.match(float.stderr, /no kernel for .*QLinearConv/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('usage errors exit with code 2 and say what is wrong', () => {
  const dir = mkdtempSync(join(tmpdir(), 'quantkit-cli-'));
  try {
    const out = join(dir, 'q.onnx');
    for (const [args, message] of [
      [['--method', 'kl'], /--method must be one of max, percentile, mse, entropy, dfp, sfp/],
      [['--wbits', '1'], /--wbits must be an integer from 2 to 16/],
      [['--calib', 'nowhere.gz'], /dataset nowhere.gz does not exist/],
    ] as const) {
      const r = quantkit('quantize', 'models/mnist-8.onnx', '--calib', CALIB, '-o', out, ...args);
      assert.equal(r.status, 2, args.join(' '));
      assert.match(r.stderr, message);
      assert.ok(!existsSync(out));
    }
    // The model never changes: quantizing into the model's own path is refused.
    const copy = join(dir, 'm.onnx');
    writeFileSync(copy, readFileSync('models/mnist-8.onnx'));
    const r = quantkit('quantize', copy, '--calib', CALIB, '--calib-limit', '10', '-o', copy, '--force');
    assert.equal(r.status, 2);
    assert.deepEqual(readFileSync(copy), readFileSync('models/mnist-8.onnx'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
