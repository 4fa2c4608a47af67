import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeOutput } from '../../src/cli/files.ts';
import { QuantkitError } from '../../src/errors.ts';

const MODEL = 'models/mnist-8.onnx';
const CALIB = 'data/mnist/calib-images-idx3-ubyte.gz';

test('writeOutput: atomic, never over an input, not over an existing file without force, no temporary left on failure', () => {
  const dir = mkdtempSync(join(tmpdir(), 'quantkit-files-'));
  try {
    const out = join(dir, 'a.bin');
    writeOutput(out, Uint8Array.of(1, 2));
    assert.throws(() => writeOutput(out, 'x'), (e: unknown) => e instanceof QuantkitError && e.code === 'E_USAGE' && /exists; pass --force/.test(e.message));
    writeOutput(out, 'new', { force: true });
    assert.equal(readFileSync(out, 'utf8'), 'new');
    assert.throws(() => writeOutput(out, 'y', { force: true, inputs: [out] }), /is the input/);
    assert.equal(readFileSync(out, 'utf8'), 'new');
    assert.throws(() => writeOutput(join(dir, 'missing', 'b.bin'), 'z'), /ENOENT/);
    assert.deepEqual(readdirSync(dir), ['a.bin']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('quantize refuses, before any work, standard output redirected to a file it writes (the model sidecar of -o x.onnx is x.json)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'quantkit-stdout-'));
  try {
    const sidecar = join(dir, 'q.json'); // models/mnist-8.json goes with the model: -o q.onnx writes q.json
    const out = openSync(sidecar, 'w');
    let result;
    try {
      result = spawnSync(process.execPath, ['bin/quantkit.js', 'quantize', MODEL, '--calib', CALIB, '-o', join(dir, 'q.onnx'), '--json'], { stdio: ['ignore', out, 'pipe'], encoding: 'utf8' });
    } finally {
      closeSync(out);
    }
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, /standard output is redirected to .*q\.json, which this command writes too/);
    assert.deepEqual(readdirSync(dir), ['q.json']);
    // redirected elsewhere, the same command runs
    const elsewhere = openSync(join(dir, 'summary.json'), 'w');
    try {
      result = spawnSync(process.execPath, ['bin/quantkit.js', 'quantize', MODEL, '--calib', CALIB, '--calib-limit', '8', '-o', join(dir, 'q.onnx'), '--force', '--json'], { stdio: ['ignore', elsewhere, 'pipe'], encoding: 'utf8' });
    } finally {
      closeSync(elsewhere);
    }
    assert.equal(result.status, 0, result.stderr);
    assert.equal((JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { output: string }).output, join(dir, 'q.onnx'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('SIGINT while quantize calibrates: exit code 130, no output or temporary file, the inputs unchanged', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'quantkit-sigint-'));
  try {
    // The calibration data arrives through a FIFO: once quantkit opens it, its signal handler is in place.
    const fifo = join(dir, 'calib-images-idx3-ubyte');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0, 'mkfifo');
    const modelBefore = readFileSync(MODEL);
    const modelTime = statSync(MODEL).mtimeMs;
    const args = ['quantize', MODEL, '--calib', fifo, '--eval', 'data/mnist/t10k-images-idx3-ubyte.gz', '--method', 'entropy', '-o', join(dir, 'q.onnx'), '--plan', join(dir, 'plan.json')];
    const child = spawn(process.execPath, ['bin/quantkit.js', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (code, signal) => resolve([code, signal])));
    const writer = await open(fifo, 'w');
    await writer.writeFile(readFileSync(CALIB));
    await writer.close();
    // Calibration (then a 10,000-image evaluation) starts now; it runs for many seconds.
    child.kill('SIGINT');
    assert.deepEqual(await exited, [130, null], stderr);
    assert.match(stderr, /quantkit: interrupted by SIGINT/);
    assert.deepEqual(readdirSync(dir), ['calib-images-idx3-ubyte']);
    assert.deepEqual(readFileSync(MODEL), modelBefore);
    assert.equal(statSync(MODEL).mtimeMs, modelTime);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
