import { test } from 'node:test';
import assert from 'node:assert/strict';
import { multiplyByQuantizedMultiplier } from '../../src/numeric/fixedpoint.ts';
import { outputStage, requantizeColumns, requantizeOne, requantizeRows } from '../../src/quant/output-stage.ts';
import { Rng } from '../runtime/kernels/float/kernel-test-utils.ts';
import { clamp, compareWithExact } from '../runtime/kernels/integer/integer-test-utils.ts';

/** acc·M0·2^(shift − 31) in exact rational arithmetic (BigInt), as a float64 (enough to see ties). */
function exactProduct(acc: number, m0: number, shift: number): number {
  const numerator = BigInt(acc) * BigInt(m0);
  const exponent = 31 - shift;
  const denominator = 2n ** BigInt(exponent);
  const floor = numerator >= 0n ? numerator / denominator : -((-numerator + denominator - 1n) / denominator);
  const remainder = numerator - floor * denominator;
  return Number(floor) + Number(remainder) / Number(denominator);
}

function randomMultiplier(rng: Rng): { m0: number; shift: number } {
  return { m0: rng.int(2 ** 30, 2 ** 31 - 1), shift: rng.int(-24, 4) };
}

test('the output stage rounds acc·M to nearest: equal to the exact product except within 1e-6 of a tie, within 1 always', () => {
  const rng = new Rng(0x5a9e);
  let total = 0;
  let differing = 0;
  let nearTies = 0;
  for (let trial = 0; trial < 300; trial++) {
    const { m0, shift } = randomMultiplier(rng);
    const [qmin, qmax] = rng.int(0, 1) === 0 ? [-128, 127] : [0, 255];
    const zero = rng.int(qmin, qmax);
    const stage = outputStage({ multiplier: [m0], shift: [shift] }, zero, qmin, qmax);
    const real = m0 * 2 ** (shift - 31);
    const accs: number[] = [];
    const exact: number[] = [];
    for (let i = 0; i < 40; i++) {
      // spread over the unsaturated range, plus exact ties and far beyond
      const target = i < 30 ? (rng.uniform() * 2 - 1) * 300 : i < 35 ? Math.floor(rng.uniform() * 200) + 0.5 : (rng.uniform() * 2 - 1) * 2 ** 31;
      const acc = clamp(Math.round(target / real), -(2 ** 31), 2 ** 31 - 1);
      accs.push(acc);
      exact.push(zero + exactProduct(acc, m0, shift));
    }
    const actual = accs.map((acc) => requantizeOne(stage, 0, acc));
    const c = compareWithExact(actual, exact, qmin, qmax, `M0 ${m0} shift ${shift} z ${zero}`);
    total += c.total;
    differing += c.differing;
    nearTies += c.nearTies;
  }
  // exact ties (x.5) are among the near ties; they round away from zero
  assert.ok(nearTies > 0, 'exact ties were generated');
  assert.ok(differing <= nearTies, `${differing} differing, ${nearTies} near ties`);
  assert.equal(total, 12000);
});

test('exact ties round half away from zero, whatever the multiplier size', () => {
  // M = 1/4 (M0 = 2^30, shift −1): 2 → 0.5 → 1, −2 → −0.5 → −1, 6 → 1.5 → 2, −6 → −2
  const quarter = outputStage({ multiplier: [2 ** 30], shift: [-1] }, 0, -128, 127);
  assert.deepEqual([2, -2, 6, -6, 1, -1].map((acc) => requantizeOne(quarter, 0, acc)), [1, -1, 2, -2, 0, 0]);
  // M = 2^−20
  const tiny = outputStage({ multiplier: [2 ** 30], shift: [-19] }, 3, -128, 127);
  assert.equal(requantizeOne(tiny, 0, 2 ** 19), 3 + 1);
  assert.equal(requantizeOne(tiny, 0, -(2 ** 19)), 3 - 1);
  assert.equal(requantizeOne(tiny, 0, 3 * 2 ** 19), 3 + 2);
});

test('the headroom removes the double rounding of a small right shift (8·0.3 = 2.4 rounds to 2)', () => {
  // M = 0.3 = 0.6·2^−1: plain eq. (17) rounds 8·0.6 = 4.8 to 5, then 5/2 = 2.5 away to 3.
  const m0 = Math.round(0.6 * 2 ** 31);
  assert.equal(multiplyByQuantizedMultiplier(8, m0, -1), 3);
  const stage = outputStage({ multiplier: [m0], shift: [-1] }, 0, -128, 127);
  assert.equal(requantizeOne(stage, 0, 8), 2);
});

test('large multipliers saturate instead of wrapping the int32 left shift', () => {
  // M = 3 (M0 = 0.75·2^31, shift 2): plain eq. (17) wraps 2^30·4 to 0.
  const m0 = 0.75 * 2 ** 31;
  assert.equal(multiplyByQuantizedMultiplier(2 ** 30, m0, 2), 0);
  const stage = outputStage({ multiplier: [m0], shift: [2] }, 10, 0, 255);
  assert.equal(requantizeOne(stage, 0, 2 ** 30), 255);
  assert.equal(requantizeOne(stage, 0, -(2 ** 31)), 0);
  assert.equal(requantizeOne(stage, 0, 7), 10 + 21);
  // M = 2^30 − 64 (the largest shift, 30): every nonzero accumulator saturates
  const huge = outputStage({ multiplier: [2 ** 31 - 128], shift: [30] }, 0, -128, 127);
  assert.deepEqual([1, -1, 0, 2 ** 31 - 1].map((acc) => requantizeOne(huge, 0, acc)), [127, -128, 0, 127]);
  // M = 0: the zero point everywhere
  const zero = outputStage({ multiplier: [0], shift: [0] }, -5, -128, 127);
  assert.deepEqual([2 ** 31 - 1, -(2 ** 31), 0].map((acc) => requantizeOne(zero, 0, acc)), [-5, -5, -5]);
});

test('requantizeRows and requantizeColumns equal requantizeOne element by element', () => {
  const rng = new Rng(99);
  const rows = 7;
  const cols = 13;
  const channels = Array.from({ length: 13 }, () => randomMultiplier(rng));
  const perChannel = outputStage({ multiplier: channels.map((c) => c.m0), shift: channels.map((c) => c.shift) }, 17, 0, 255);
  const acc = Int32Array.from({ length: rows * cols }, () => rng.int(-(2 ** 20), 2 ** 20));
  const byRows = new Uint8Array(rows * cols);
  requantizeRows(perChannel, acc, cols, byRows, cols, rows - 1, cols, 2);
  const byColumns = new Uint8Array(rows * cols);
  requantizeColumns(perChannel, acc, 0, byColumns, 0, rows, cols);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) {
      const i = r * cols + j;
      if (r > 0) assert.equal(byRows[i], requantizeOne(perChannel, 2 + r - 1, acc[i]), `row ${r} col ${j}`);
      assert.equal(byColumns[i], requantizeOne(perChannel, j, acc[i]), `column ${j} row ${r}`);
    }
  }
  const perTensor = outputStage({ multiplier: [channels[0].m0], shift: [channels[0].shift] }, -3, -128, 127);
  const out = new Int8Array(rows * cols);
  requantizeColumns(perTensor, acc, 0, out, 0, rows, cols);
  assert.deepEqual(Array.from(out), Array.from(acc, (a) => requantizeOne(perTensor, 0, a)));
});
