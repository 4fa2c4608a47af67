// The backend's decisions and its memory: a failing self-test disables wasm (kernels then take
// their TypeScript paths with the same results), the arena's stack discipline and growth.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LimitError } from '../../../src/errors.ts';
import { WasmArena } from '../../../src/runtime/wasm/arena.ts';
import { loadBackend, registerSelfTests } from '../../../src/runtime/wasm/backend.ts';
import { setWasmEnabled, wasmKernels, wasmStatus } from '../../../src/runtime/wasm/index.ts';
import { baselineSelfTest, relaxedSelfTest } from '../../../src/runtime/wasm/self-test.ts';

test('a backend whose self-test fails is not used, and says why', () => {
  try {
    registerSelfTests({ baseline: () => 'int8 GEMM', relaxed: () => 'relaxed int4 GEMM, call 1' });
    const notes: string[] = [];
    assert.equal(loadBackend({ shared: false }, notes), undefined);
    assert.ok(notes.some((n) => /self-test failed \(int8 GEMM\): using the TypeScript kernels/.test(n)), notes.join('; '));
  } finally {
    registerSelfTests({ baseline: baselineSelfTest, relaxed: relaxedSelfTest });
  }
});

test('setWasmEnabled(false) turns the wasm kernels off and on again', () => {
  assert.ok(wasmKernels() !== undefined);
  setWasmEnabled(false);
  assert.equal(wasmKernels(), undefined);
  assert.equal(wasmStatus().active, false);
  setWasmEnabled(true);
  assert.equal(wasmStatus().active, true);
});

test('the arena hands out 16-byte-aligned blocks above address 0, releases to a mark, and grows the memory in pages up to its limit', () => {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 4 });
  const arena = new WasmArena(memory, 4);
  const mark = arena.mark();
  const a = arena.alloc(3);
  const b = arena.alloc(5);
  assert.ok(a > 0 && a % 16 === 0 && b % 16 === 0 && b >= a + 3);
  const c = arena.copyIn(Int32Array.of(1, -2, 3));
  assert.deepEqual([...arena.int32(c, 3)], [1, -2, 3]);
  const big = arena.alloc(100000);
  assert.equal(memory.buffer.byteLength, 2 * 65536);
  assert.ok(big + 100000 <= memory.buffer.byteLength);
  assert.deepEqual([...arena.int32(c, 3)], [1, -2, 3], 'contents survive growth');
  arena.release(mark);
  assert.equal(arena.alloc(3), a);
  assert.throws(() => arena.alloc(5 * 65536), LimitError);
});
