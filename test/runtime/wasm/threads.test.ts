// Kernel threads (worker_threads on shared wasm memory, src/node/threads/pool.ts): every kernel
// gives the same results — bit for bit, float included — on 1, 2 and 3 threads, since each
// output is computed by the same code whatever the split.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { quantizeMultiplier } from '../../../src/numeric/fixedpoint.ts';
import { outputStage } from '../../../src/quant/output-stage.ts';
import { startKernelThreads, stopKernelThreads } from '../../../src/node/threads/pool.ts';
import { convImpl } from '../../../src/runtime/kernels/float/conv.ts';
import { sgemm } from '../../../src/runtime/kernels/float/sgemm.ts';
import type { Window } from '../../../src/runtime/kernels/float/window.ts';
import { qlinearConvImpl } from '../../../src/runtime/kernels/integer/qlinear-conv.ts';
import { wasmKernels, wasmStatus } from '../../../src/runtime/wasm/index.ts';
import { int8Gemm } from '../../../src/runtime/wasm/int8-gemm.ts';
import { matrix, Random, values } from './helpers.ts';

function window2d(size: number, kernel: number, stride: number): Window {
  const out = Math.floor((size + 2 * (kernel >> 1) - kernel) / stride) + 1;
  const pad = kernel >> 1;
  return { spatialRank: 2, input: [1, size, size], output: [1, out, out], kernel: [1, kernel, kernel], strides: [1, stride, stride], dilations: [1, 1, 1], padBegin: [0, pad, pad], padEnd: [0, pad, pad] };
}

/** Runs the kernels on fixed operands; returns every output. Sizes are large enough to split. */
function runAll(): { name: string; data: ArrayLike<number> }[] {
  const random = new Random(31);
  const out: { name: string; data: ArrayLike<number> }[] = [];
  const [m, n, k] = [200, 190, 170];
  const a = matrix(values(random, 'uint8', m * k), m, k, false);
  const b = matrix(values(random, 'int8', k * n), k, n, false);
  const c = new Int32Array(m * n);
  int8Gemm(wasmKernels()!, { m, n, k, a: { view: a }, b: { view: b }, aZero: [7], bZero: [0], target: { kind: 'int32', c, offset: 0, ld: n } });
  out.push({ name: 'int8 GEMM', data: c });
  // a nonzero zB: the epilogue needs A's row sums before the tiles, so packing is a job of its own
  const cz = new Int32Array(m * n);
  int8Gemm(wasmKernels()!, { m, n, k, a: { view: a }, b: { view: b }, aZero: [7], bZero: [-3], target: { kind: 'int32', c: cz, offset: 0, ld: n } });
  out.push({ name: 'int8 GEMM, zB ≠ 0', data: cz });
  // operands large enough for packing to split too (lineTasks), through each packer: rows of A and
  // columns of a row-major B (a ragged last panel), columns of a transposed B, rows of a transposed A
  const [pm, pn, pk] = [523, 515, 521];
  const pa = values(random, 'uint8', pm * pk);
  const pb = values(random, 'int8', pk * pn);
  for (const transposed of [false, true]) {
    const pc = new Int32Array(pm * pn);
    int8Gemm(wasmKernels()!, { m: pm, n: pn, k: pk, a: { view: matrix(pa, pm, pk, transposed) }, b: { view: matrix(pb, pk, pn, transposed) }, aZero: [3], bZero: [0], target: { kind: 'int32', c: pc, offset: 0, ld: pn } });
    out.push({ name: `int8 GEMM, packing split${transposed ? ', transposed operands' : ''}`, data: pc });
  }
  // many small split calls in a row, of varying task counts: jobs follow each other quickly
  // while a worker may still be looking at the previous one (threads/claim.ts)
  const many: number[] = [];
  const [sn, sk] = [64, 2048];
  const sb = matrix(values(random, 'int8', sk * sn), sk, sn, false);
  for (let i = 0; i < 40; i++) {
    const sm = 32 + (i % 5) * 12;
    const sc = new Int32Array(sm * sn);
    int8Gemm(wasmKernels()!, { m: sm, n: sn, k: sk, a: { view: matrix(values(random, 'uint8', sm * sk), sm, sk, false) }, b: { view: sb }, aZero: [i % 7], bZero: [0], target: { kind: 'int32', c: sc, offset: 0, ld: sn } });
    many.push(...sc);
  }
  out.push({ name: '40 small int8 GEMMs', data: many });
  const fa = Float32Array.from({ length: m * k }, () => random.uniform() - 0.5);
  const fb = Float32Array.from({ length: k * n }, () => random.uniform() - 0.5);
  const fc = new Float32Array(m * n);
  sgemm(false, false, m, n, k, 1, fa, k, fb, n, 0, fc, n);
  out.push({ name: 'fp32 GEMM', data: fc });
  // large enough for the packing of both operands to split (a ragged last panel of each), and transposed
  for (const trans of [false, true]) {
    const [qm, qn, qk] = [523, 515, 521];
    const qa = Float32Array.from({ length: qm * qk }, () => random.uniform() - 0.5);
    const qb = Float32Array.from({ length: qk * qn }, () => random.uniform() - 0.5);
    const qc = new Float32Array(qm * qn);
    sgemm(trans, trans, qm, qn, qk, 1, qa, trans ? qm : qk, qb, trans ? qk : qn, 0, qc, qn);
    out.push({ name: `fp32 GEMM, packing split${trans ? ', transposed operands' : ''}`, data: qc });
  }
  for (const [group, channels, maps, kernel, stride, size] of [[1, 16, 64, 3, 1, 44], [1, 64, 64, 3, 2, 48], [128, 128, 128, 3, 1, 96], [64, 64, 64, 3, 2, 40], [1, 32, 48, 1, 1, 40]] as const) {
    const window = window2d(size, kernel, stride);
    const dims = { batch: 1, channels, featureMaps: maps, group };
    const taps = (channels / group) * kernel * kernel;
    const x = values(random, 'uint8', channels * size * size) as Uint8Array;
    const w = values(random, 'int8', maps * taps) as Int8Array;
    const q = quantizeMultiplier(0.0004);
    const stage = outputStage({ multiplier: [q.multiplier], shift: [q.shift] }, 3, 0, 255);
    const outSize = window.output[1] * window.output[2];
    const y = new Uint8Array(maps * outSize);
    qlinearConvImpl({ x, xZero: 128, w, wZero: new Int32Array(1), bias: undefined, dims, window, stage }, y);
    out.push({ name: `int8 conv group ${group} k${kernel} s${stride}`, data: y });
    const fy = new Float32Array(maps * outSize);
    convImpl(Float32Array.from(x, (v) => v / 255), Float32Array.from(w, (v) => v / 127), undefined, dims, window, fy);
    out.push({ name: `fp32 conv group ${group} k${kernel} s${stride}`, data: fy });
  }
  return out;
}

test('1, 2 and 3 threads give identical results for int8 and fp32 GEMM, convolution and depthwise convolution', async () => {
  const single = runAll();
  try {
    for (const threads of [2, 3]) {
      const status = await startKernelThreads(threads);
      assert.equal(status.threads, threads);
      const pool = wasmKernels()!.pool!;
      const [before, byWorkers] = [pool.splitCalls, pool.workerTasks];
      const split = runAll();
      // split: the GEMMs (packing and tiles in one job), the 16→64 and strided 64→64 convolutions
      // and the 128-channel depthwise one, int8 and fp32 (the small ones stay on one thread:
      // MIN_WORK_PER_THREAD)
      assert.ok(pool.splitCalls - before >= 10, `only ${pool.splitCalls - before} calls were split`);
      // tasks are claimed, not dealt: the workers must have taken some of them
      assert.ok(pool.workerTasks > byWorkers, 'the workers ran no task');
      for (let i = 0; i < single.length; i++) {
        assert.deepEqual(Array.from(split[i].data, (v) => (Object.is(v, -0) ? 'neg0' : v)), Array.from(single[i].data, (v) => (Object.is(v, -0) ? 'neg0' : v)), `${split[i].name} on ${threads} threads`);
      }
    }
  } finally {
    await stopKernelThreads();
  }
  assert.equal(wasmStatus().threads, 1);
});

test('a kernel that traps in a worker fails the call with E_KERNEL, and the pool goes on working', async () => {
  const [m, n, k] = [96, 200, 300];
  const random = new Random(5);
  const a = matrix(values(random, 'uint8', m * k), m, k, false);
  const b = matrix(values(random, 'int8', k * n), k, n, false);
  const gemm = (): Int32Array => {
    const c = new Int32Array(m * n);
    int8Gemm(wasmKernels()!, { m, n, k, a: { view: a }, b: { view: b }, aZero: [1], bZero: [0], target: { kind: 'int32', c, offset: 0, ld: n } });
    return c;
  };
  const expected = gemm();
  try {
    await startKernelThreads(2);
    const backend = wasmKernels()!;
    const pool = backend.pool!;
    const mark = backend.arena.mark();
    try {
      // task 0 keeps the calling thread busy (milliseconds) while the worker claims the rest,
      // which read far past the end of the memory and trap
      const count = 1 << 22;
      const src = backend.arena.zeros(count * 4);
      const out = backend.arena.alloc(count);
      const outside = backend.memory.buffer.byteLength + (1 << 20);
      const trap = { kernel: 'int8PackLines', args: [outside, 64, 4, 64, 4, 1, outside, outside] };
      // which thread claims which task depends on timing (a loaded machine may wake the worker
      // only after the caller took every task): both failures must be errors, and a worker's
      // must be reported as E_KERNEL naming the kernel — seen within a few attempts
      let fromWorker = 0;
      for (let attempt = 0; attempt < 20 && fromWorker === 0; attempt++) {
        assert.throws(
          () => pool.run([{ kernel: 'quantizeF32', args: [src, count, 0.5, 0, -128, 127, 0, out] }, trap, trap, trap]),
          (error: Error & { code?: string }) => {
            if (error.code === 'E_KERNEL' && /int8PackLines failed in a worker/.test(error.message)) fromWorker++;
            // the calling thread's own trap comes first when it claimed a trapping task too
            else assert.ok(error instanceof WebAssembly.RuntimeError, `unexpected ${error.name}: ${error.message}`);
            return true;
          },
        );
      }
      assert.ok(fromWorker > 0, 'no trap happened in a worker');
    } finally {
      backend.arena.release(mark);
    }
    assert.deepEqual(gemm(), expected);
  } finally {
    await stopKernelThreads();
  }
});
