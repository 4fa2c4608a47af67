// The committed kernels (src/runtime/wasm/kernels.generated.ts) equal a fresh build of kernels/
// with the assemblyscript devDependency (scripts/build-wasm.mjs --check, in a plain node process:
// no network, no other tool); and the shared-memory form of each module validates and runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { decodeBase64 } from '../../../src/runtime/wasm/base64.ts';
import { KERNEL_BINARIES } from '../../../src/runtime/wasm/kernels.generated.ts';
import { memoryImportFlag, withSharedMemory } from '../../../src/runtime/wasm/shared-memory.ts';
import { MAX_PAGES } from '../../../src/runtime/wasm/backend.ts';

test('the committed wasm artifact equals a fresh build of its AssemblyScript sources', () => {
  const run = spawnSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], { encoding: 'utf8' });
  assert.equal(run.status, 0, `${run.stdout}${run.stderr}`);
  assert.match(run.stdout, /equals a fresh build/);
});

test('each module imports a memory with a maximum; its shared form validates and instantiates on a shared memory', () => {
  for (const [name, text] of Object.entries(KERNEL_BINARIES)) {
    const bytes = decodeBase64(text);
    const flag = memoryImportFlag(bytes);
    assert.ok(flag > 0, `${name}: a memory import`);
    assert.equal(bytes[flag], 0x01, `${name}: limits with a maximum, not shared`);
    const shared = withSharedMemory(bytes);
    assert.equal(shared[flag], 0x03);
    assert.equal(shared.length, bytes.length);
    assert.deepEqual(shared.subarray(0, flag), bytes.subarray(0, flag));
    assert.deepEqual(shared.subarray(flag + 1), bytes.subarray(flag + 1));
    if (!WebAssembly.validate(bytes)) continue; // relaxed SIMD off in this engine
    const memory = new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
    assert.ok(new WebAssembly.Instance(new WebAssembly.Module(shared), { env: { memory } }).exports.int8Gemm instanceof Function);
    assert.throws(() => new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }), WebAssembly.LinkError);
  }
});
