import { test } from 'node:test';
import assert from 'node:assert/strict';
import { correctZeroPoints, igemm, igemmPacked, KC, packA, packB, packedSums, type IntegerArray, type MatrixView } from '../../../../src/runtime/kernels/integer/igemm.ts';
import { igemmReference } from '../../../../src/runtime/kernels/integer/igemm-reference.ts';
import { Rng } from '../float/kernel-test-utils.ts';

type Kind = 'int8' | 'uint8';

function values(rng: Rng, kind: Kind, length: number, extreme: 'random' | 'low' | 'high'): IntegerArray {
  const out = kind === 'int8' ? new Int8Array(length) : new Uint8Array(length);
  const [lo, hi] = kind === 'int8' ? [-128, 127] : [0, 255];
  for (let i = 0; i < length; i++) out[i] = extreme === 'low' ? lo : extreme === 'high' ? hi : rng.int(lo, hi);
  return out;
}

/** m × k (or k × m stored transposed) as a view. */
function view(data: IntegerArray, rows: number, cols: number, transposed: boolean): MatrixView {
  return transposed ? { data, offset: 0, rowStride: 1, colStride: rows } : { data, offset: 0, rowStride: cols, colStride: 1 };
}

function zeros(rng: Rng, kind: Kind, count: number, mode: 'zero' | 'random' | 'low' | 'high'): Int32Array {
  const [lo, hi] = kind === 'int8' ? [-128, 127] : [0, 255];
  return Int32Array.from({ length: count }, () => (mode === 'zero' ? 0 : mode === 'low' ? lo : mode === 'high' ? hi : rng.int(lo, hi)));
}

/** Σ (a − za)(b − zb) with ordinary numbers (exact: far below 2^53), then the int32 a wrapping accumulator keeps. */
function plainProduct(m: number, n: number, k: number, a: MatrixView, za: ArrayLike<number>, b: MatrixView, zb: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) {
        const av = a.data[a.offset + i * a.rowStride + p * a.colStride] - za[za.length === 1 ? 0 : i];
        const bv = b.data[b.offset + p * b.rowStride + j * b.colStride] - zb[zb.length === 1 ? 0 : j];
        s += av * bv;
      }
      out.push(Number(BigInt.asIntN(32, BigInt(s))));
    }
  }
  return out;
}

const SIZES = [1, 3, 17, 63];

test('igemm equals the plain reference exactly on odd shapes, both types, transposes and per-row/column zero points', () => {
  const rng = new Rng(0x16e);
  let cases = 0;
  for (const m of SIZES) {
    for (const n of SIZES) {
      for (const k of [1, 3, 17, 63, KC + 45]) {
        if (m * n * k > 63 * 17 * 301) continue;
        const aKind: Kind = rng.int(0, 1) === 0 ? 'int8' : 'uint8';
        const bKind: Kind = rng.int(0, 1) === 0 ? 'int8' : 'uint8';
        const a = view(values(rng, aKind, m * k, 'random'), m, k, rng.int(0, 1) === 1);
        const b = view(values(rng, bKind, k * n, 'random'), k, n, rng.int(0, 1) === 1);
        const za = zeros(rng, aKind, rng.int(0, 1) === 0 ? 1 : m, 'random');
        const zb = zeros(rng, bKind, rng.int(0, 1) === 0 ? 1 : n, rng.int(0, 2) === 0 ? 'zero' : 'random');
        const fast = new Int32Array(m * n);
        const reference = new Int32Array(m * n);
        igemm(m, n, k, a, za, b, zb, fast);
        igemmReference(m, n, k, a, za, b, zb, reference);
        assert.deepEqual(fast, reference, `m ${m} n ${n} k ${k}`);
        assert.deepEqual(Array.from(reference), plainProduct(m, n, k, a, za, b, zb), `reference m ${m} n ${n} k ${k}`);
        cases++;
      }
    }
  }
  assert.ok(cases >= 60, `${cases} cases`);
});

test('igemm is exact at the extremes: −128/127/255 operands with zero points at the other end of the range', () => {
  const rng = new Rng(7);
  for (const [aKind, bKind] of [['uint8', 'int8'], ['int8', 'int8'], ['uint8', 'uint8'], ['int8', 'uint8']] as const) {
    for (const aExtreme of ['low', 'high'] as const) {
      for (const bExtreme of ['low', 'high'] as const) {
        const [m, n, k] = [17, 3, 63];
        const a = view(values(rng, aKind, m * k, aExtreme), m, k, false);
        const b = view(values(rng, bKind, k * n, bExtreme), k, n, true);
        // zero points at the opposite end: |q − z| is the largest the type allows
        const za = zeros(rng, aKind, 1, aExtreme === 'low' ? 'high' : 'low');
        const zb = zeros(rng, bKind, n, bExtreme === 'low' ? 'high' : 'low');
        const fast = new Int32Array(m * n);
        igemm(m, n, k, a, za, b, zb, fast);
        const expected = plainProduct(m, n, k, a, za, b, zb);
        assert.deepEqual(Array.from(fast), expected, `${aKind} ${aExtreme} × ${bKind} ${bExtreme}`);
        // the largest magnitude: every product is (±255)·(±255 or ±128)
        assert.equal(Math.abs(expected[0]), k * Math.abs(a.data[0] - za[0]) * Math.abs(b.data[0] - zb[0]));
      }
    }
  }
});

test('raw products wrap modulo 2^32 and the zero-point corrections still give the exact accumulator (eq. (12) bound)', () => {
  // 255·255 raw products over k = 40 000 exceed 2^31, but (255 − 255)·... centred sums stay small.
  const k = 40000;
  const a = view(new Uint8Array(k).fill(255), 1, k, false);
  const b = view(new Uint8Array(k).fill(255), k, 1, false);
  const out = new Int32Array(1);
  igemm(1, 1, k, a, [250], b, [255], out);
  assert.equal(out[0], 0);
  igemm(1, 1, k, a, [0], b, [254], out);
  assert.equal(out[0], 255 * k);
});

test('packed line sums and a k = 0 product', () => {
  const data = Int8Array.from([1, -2, 3, 4, 5, -6]);
  const packed = packB({ data, offset: 0, rowStride: 3, colStride: 1 }, 2, 3);
  assert.deepEqual(Array.from(packed.sums), [5, 3, -3]);
  assert.deepEqual(packedSums(packed.data, 3, 2, 4), packed.sums);
  const rows = packA({ data, offset: 0, rowStride: 3, colStride: 1 }, 2, 3);
  assert.deepEqual(Array.from(rows.sums), [2, 3]);
  const c = new Int32Array(4).fill(9);
  igemmPacked(packA({ data, offset: 0, rowStride: 0, colStride: 1 }, 2, 0), packB({ data, offset: 0, rowStride: 2, colStride: 1 }, 0, 2), c, 0, 2);
  assert.deepEqual(Array.from(c), [0, 0, 0, 0]);
  correctZeroPoints(c, 0, 2, 2, 2, 0, new Int32Array(2), [3], new Int32Array(2), [4]);
  assert.deepEqual(Array.from(c), [0, 0, 0, 0]);
});
