import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quantkitBatch } from './batch.ts';

const MODEL = 'models/mnist-8.onnx';
const CALIB = 'data/mnist/calib-images-idx3-ubyte.gz';
const FAST = ['--runs', '3', '--warmup', '1', '--json'];

interface Timing {
  median_ms: number;
  p90_ms: number;
  samples_per_s: number;
}

function assertTiming(t: Timing, what: string): void {
  assert.ok(Number.isFinite(t.median_ms) && t.median_ms > 0, `${what}: median_ms ${t.median_ms}`);
  assert.ok(t.p90_ms >= t.median_ms, `${what}: p90 ${t.p90_ms} < median ${t.median_ms}`);
  assert.ok(Number.isFinite(t.samples_per_s) && t.samples_per_s > 0, `${what}: samples_per_s ${t.samples_per_s}`);
}

test('bench --json: shape and timings on float and quantized models, threads, onnxruntime; bad input exits 2 with one line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'quantkit-bench-'));
  try {
    const quantized = join(dir, 'q.onnx');
    const [quantize, float, integer, auto, threads, ort, missing, badRuns, badThreads, badBatch] = quantkitBatch([
      ['quantize', MODEL, '--calib', CALIB, '--calib-limit', '8', '--method', 'max', '-o', quantized, '--json'],
      ['bench', MODEL, ...FAST],
      ['bench', quantized, '--engine', 'integer', ...FAST],
      ['bench', quantized, ...FAST],
      ['bench', MODEL, '--threads', '2', ...FAST],
      ['bench', MODEL, '--ort', ...FAST],
      ['bench', join(dir, 'missing.onnx'), ...FAST],
      ['bench', MODEL, '--runs', '0'],
      ['bench', MODEL, '--threads', 'many'],
      ['bench', MODEL, '--batch', '4'],
    ]);
    assert.equal(quantize.status, 0, quantize.stderr);

    assert.equal(float.status, 0, float.stderr);
    const f = JSON.parse(float.stdout);
    assert.deepEqual(Object.keys(f).sort(), ['batch', 'engine', 'model', 'quantkit', 'runs', 'threads', 'warmup', 'wasm']);
    assert.equal(f.model, MODEL);
    assert.equal(f.engine, 'float');
    assert.equal(f.batch, 1);
    assert.equal(f.runs, 3);
    assert.equal(f.threads, 1);
    assert.equal(typeof f.wasm.active, 'boolean');
    assert.equal(typeof f.wasm.relaxed, 'boolean');
    assert.equal(f.wasm.threads, 1);
    assertTiming(f.quantkit, 'float');

    for (const [result, what] of [[integer, '--engine integer'], [auto, '--engine auto']] as const) {
      assert.equal(result.status, 0, `${what}: ${result.stderr}`);
      const q = JSON.parse(result.stdout);
      assert.equal(q.engine, 'integer', what);
      assert.equal(q.model, quantized);
      assert.equal(q.float_nodes, undefined, `${what}: every node lowered`);
      assertTiming(q.quantkit, what);
    }

    assert.equal(threads.status, 0, threads.stderr);
    const t = JSON.parse(threads.stdout);
    assert.equal(t.threads, 2);
    if (t.wasm.active) assert.equal(t.wasm.threads, 2);
    assertTiming(t.quantkit, '--threads 2');

    // onnxruntime-node is a devDependency: timed when it loads, reported unavailable otherwise.
    assert.equal(ort.status, 0, ort.stderr);
    const o = JSON.parse(ort.stdout);
    if (o.ort.available) {
      assertTiming(o.ort, 'ort');
      assert.ok(o.ratio > 0);
    } else {
      assert.equal(typeof o.ort.reason, 'string');
      assert.equal(o.ratio, undefined);
    }

    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /^quantkit: E_USAGE: model .*missing\.onnx does not exist\n$/);
    assert.equal(missing.stdout, '');
    for (const [result, pattern] of [[badRuns, /--runs must be a positive integer/], [badThreads, /--threads must be/], [badBatch, /fixed first dimension of 1; --batch 4/]] as const) {
      assert.equal(result.status, 2, result.stderr);
      assert.match(result.stderr, pattern);
      assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
