// The int4-weight GEMM (kernels/int4/) against the plain reference on the unpacked weights:
// nibble panels for the dot_i16x8 kernel here, and the relaxed-SIMD kernel in a child process
// started with the flags Node 20 needs (relaxed-child.ts) — where the backend's self-test must
// also refuse relaxed SIMD while the engine's baseline compiler computes it wrongly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { wasmKernels } from '../../../src/runtime/wasm/index.ts';
import { checkInt4 } from './int4-check.ts';

const backend = wasmKernels();

test('int4 weights in nibble panels (dot_i16x8 kernel) give the int8 reference results, int32 and requantized', () => {
  assert.ok(backend !== undefined);
  checkInt4('pairs', 1, 40);
});

/** Runs relaxed-child.ts with `flags`; drops the flags where this Node rejects them (relaxed SIMD on by default). */
function child(flags: readonly string[], mode: string): { status: number | null; stdout: string; stderr: string } {
  const script = fileURLToPath(new URL('./relaxed-child.ts', import.meta.url));
  let run = spawnSync(process.execPath, [...flags, '--import', 'tsx', script, mode], { encoding: 'utf8' });
  if (run.status !== 0 && /bad option/.test(run.stderr)) run = spawnSync(process.execPath, ['--import', 'tsx', script, mode], { encoding: 'utf8' });
  return run;
}

test('relaxed SIMD: the i8×i7 int4 kernel equals the reference where the engine computes it correctly (optimizing compiler only)', () => {
  const run = child(['--experimental-wasm-relaxed-simd', '--no-liftoff'], 'check');
  assert.equal(run.status, 0, `child failed: ${run.stdout}\n${run.stderr}`);
  assert.match(run.stdout, /relaxed true, \d+ cases equal/);
});

test('relaxed SIMD is used only after its self-test passes: Node 20 validates it behind the flag, but its baseline compiler doubles the dot product', () => {
  const run = child(['--experimental-wasm-relaxed-simd'], 'status');
  assert.equal(run.status, 0, `child failed: ${run.stdout}\n${run.stderr}`);
  const status = JSON.parse(run.stdout.trim().split('\n').pop()!) as { relaxed: boolean; notes: string[]; correct: boolean };
  // whatever the engine: relaxed SIMD is on only if the relaxed kernel computes correctly on first use
  assert.equal(status.relaxed, status.correct, JSON.stringify(status));
  if (process.version.startsWith('v20.')) {
    assert.equal(status.relaxed, false);
    assert.ok(status.notes.some((n) => /self-test failed/.test(n)), status.notes.join('; '));
  }
});
