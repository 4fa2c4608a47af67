// Child process of int4-gemm.test.ts, run with engine flags: `check` runs the relaxed int4 kernel
// against the reference; `status` reports whether the backend chose relaxed SIMD and whether a
// fresh instance computes the relaxed kernel correctly on its first calls.
import { loadBackend, registerSelfTests } from '../../../src/runtime/wasm/backend.ts';
import { wasmStatus } from '../../../src/runtime/wasm/index.ts';
import { relaxedSelfTest } from '../../../src/runtime/wasm/self-test.ts';
import { checkInt4 } from './int4-check.ts';

const mode = process.argv[2];
const status = wasmStatus();
if (mode === 'check') {
  if (!status.relaxed) {
    console.log(`relaxed false: ${status.notes.join('; ')}`);
    process.exit(1);
  }
  console.log(`relaxed true, ${checkInt4('quads', 5, 40)} cases equal`);
} else {
  // a fresh instance, self-tested without the backend's verdict: is relaxed SIMD right on first use?
  registerSelfTests({ baseline: () => undefined, relaxed: () => 'skip' });
  const notes: string[] = [];
  const fresh = loadBackend({ shared: false }, notes);
  let correct = false;
  if (fresh !== undefined && notes.length > 0 && /self-test failed \(skip\)/.test(notes[0])) {
    // the relaxed module validated: run its self-test on a new relaxed instance
    registerSelfTests({ baseline: () => undefined, relaxed: (backend) => (correct = relaxedSelfTest(backend) === undefined, 'done') });
    loadBackend({ shared: false }, []);
  }
  console.log(JSON.stringify({ relaxed: status.relaxed, notes: status.notes, correct }));
}
