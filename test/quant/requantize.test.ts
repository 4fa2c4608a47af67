import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { requantize, requantizeValue, requantizeMultipliers, fusedActivationRange } from '../../src/quant/requantize.ts';
import { createParams } from '../../src/quant/params.ts';
import { multiplyByQuantizedMultiplier, quantizeMultiplier } from '../../src/numeric/fixedpoint.ts';
import { RangeArgumentError } from '../../src/errors.ts';

const argError = (pattern: RegExp) => (e: unknown) => e instanceof RangeArgumentError && pattern.test(e.message);

/** Nearest integer to n / d (d > 0), ties away from zero, exact in BigInt. */
function roundHalfAway(n: bigint, d: bigint): bigint {
  const magnitude = ((n < 0n ? -n : n) * 2n + d) / (2n * d);
  return n < 0n ? -magnitude : magnitude;
}

/** True when n / d is exactly k + ½. */
function isTie(n: bigint, d: bigint): boolean {
  return ((n < 0n ? -n : n) * 2n) % (2n * d) === d;
}

test('within 1 LSB of round(acc·M) + z, equal to the exact M0 result except on exact ties', () => {
  let ties = 0;
  let mismatches = 0;
  let samples = 0;
  fc.assert(
    fc.property(
      // M from 2^−24 to 2 (log-uniform), often in [1/4, 1/2) where the shift of 1 makes ties
      // common; acc chosen so that |acc·M| ≲ 300: outputs mostly unsaturated. noBias: uniform
      // draws (fast-check otherwise favours the bounds).
      fc.oneof(fc.noBias(fc.integer({ min: -24000, max: 1000 })), fc.noBias(fc.integer({ min: -2000, max: -1001 }))).map((k) => k / 1000),
      fc.noBias(fc.integer({ min: -300000, max: 300000 })).map((k) => k / 1000),
      fc.integer({ min: -20, max: 20 }),
      (log2M, target, zeroPoint) => {
        const real = 2 ** log2M;
        const acc = Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, Math.round(target / real)));
        const { multiplier, shift } = quantizeMultiplier(real);
        const q = requantizeValue(acc, multiplier, shift, zeroPoint, -128, 127);
        const sat = (v: number) => Math.min(127, Math.max(-128, v));
        // float64 reference with the real M
        assert.ok(Math.abs(q - sat(Math.round(acc * real) + zeroPoint)) <= 1, `acc=${acc} M=${real}: ${q}`);
        // exact reference with the quantized M0: acc·M0 / 2^(31 − shift)
        const numerator = BigInt(acc) * BigInt(multiplier);
        const denominator = 1n << BigInt(31 - shift);
        const exact = sat(Number(roundHalfAway(numerator, denominator)) + zeroPoint);
        // ties: v itself a half-integer, or the SRDHM intermediate a tie for the final shift
        const right = Math.max(-shift, 0);
        const intermediate = (BigInt(acc) * BigInt(multiplier) * 2n ** BigInt(Math.max(shift, 0)) * 2n + (1n << 31n)) >> 32n; // floor(x + ½): ties toward +∞
        const tie = isTie(numerator, denominator) || (right > 0 && isTie(intermediate, 1n << BigInt(right)));
        samples++;
        if (tie) ties++;
        if (q !== exact) {
          mismatches++;
          assert.ok(tie, `acc=${acc} M0=${multiplier} shift=${shift}: ${q} vs exact ${exact} without a tie`);
          assert.equal(Math.abs(q - exact), 1);
        }
      },
    ),
    { numRuns: 1000 },
  );
  assert.ok(samples === 1000 && ties > 0, `ties ${ties} of ${samples}`);
  assert.ok(mismatches <= ties);
});

test('multipliers near 1/2 (shift −1): plain eq. (17) double-rounds at SRDHM ties; the output stage with headroom (18a) never does', () => {
  let ties = 0;
  let plainMismatches = 0;
  const { multiplier, shift } = quantizeMultiplier(0.3);
  assert.equal(shift, -1);
  for (let acc = -2000; acc <= 2000; acc++) {
    const numerator = BigInt(acc) * BigInt(multiplier);
    const exact = Number(roundHalfAway(numerator, 1n << 32n));
    const intermediate = (numerator * 2n + (1n << 31n)) >> 32n;
    const tie = isTie(intermediate, 2n);
    if (tie) ties++;
    const plain = multiplyByQuantizedMultiplier(acc, multiplier, shift); // eq. (17) alone
    if (plain !== exact) {
      plainMismatches++;
      assert.ok(tie, `acc=${acc}`); // plain eq. (17) errs only where its intermediate is a tie
    }
    assert.equal(requantizeValue(acc, multiplier, shift, 0, -(2 ** 15), 2 ** 15 - 1), exact, `acc=${acc}`);
  }
  assert.ok(ties > 1000, `ties ${ties}`); // about half the intermediates are odd
  assert.ok(plainMismatches > 0 && plainMismatches < ties, `plain mismatches ${plainMismatches}, ties ${ties}`);
});

test('requantizeMultipliers: M = s_in·s_w / s_out in float64 from float32 scales', () => {
  const m = requantizeMultipliers(0.5, [0.25, 0.75], 0.125);
  assert.deepEqual([...m.multiplier], [2 ** 30, 3 * 2 ** 29]); // M = 1 and 3
  assert.deepEqual([...m.shift], [1, 2]);
  const f = Math.fround;
  const real = (f(0.02) * f(0.003)) / f(0.1);
  const q = quantizeMultiplier(real);
  const one = requantizeMultipliers(0.02, 0.003, 0.1);
  assert.deepEqual([one.multiplier[0], one.shift[0]], [q.multiplier, q.shift]);
  assert.throws(() => requantizeMultipliers(0, 1, 1), argError(/input scale 0/));
  assert.throws(() => requantizeMultipliers(1, 1, Number.NaN), argError(/output scale NaN/));
  assert.throws(() => requantizeMultipliers(1, [1, -1], 1), argError(/weight scale at index 1 -1/));
  assert.throws(() => requantizeMultipliers(1, 1, 1e-12), argError(/shift/));
});

test('requantize per tensor and per channel equals requantizeValue element by element', () => {
  const out = createParams({ scale: 0.1, zeroPoint: -3, bits: 8, signed: true });
  const acc = Int32Array.of(100, -100, 5000, -5000, 0, 77);
  const m = requantizeMultipliers(0.01, [0.05, 0.02, 0.2], 0.1);
  // shape [2, 3], channel axis 1 (−1): channel = index % 3
  const q = requantize(acc, [2, 3], { ...m, axis: -1 }, out);
  assert.ok(q instanceof Int8Array);
  for (let i = 0; i < acc.length; i++) assert.equal(q[i], requantizeValue(acc[i], m.multiplier[i % 3], m.shift[i % 3], -3, -128, 127));
  // channel axis 0 of a [3, 2] accumulator: channel = floor(i / 2)
  const q0 = requantize(acc, [3, 2], { ...m, axis: 0 }, out);
  for (let i = 0; i < acc.length; i++) assert.equal(q0[i], requantizeValue(acc[i], m.multiplier[i >> 1], m.shift[i >> 1], -3, -128, 127));
  // per tensor, uint8 output, 4-bit output
  const single = requantizeMultipliers(0.01, 0.05, 0.1);
  const u8 = requantize(acc, [6], single, createParams({ scale: 0.1, zeroPoint: 128, bits: 8, signed: false }));
  assert.ok(u8 instanceof Uint8Array);
  assert.deepEqual([...u8], [...acc].map((a) => requantizeValue(a, single.multiplier[0], single.shift[0], 128, 0, 255)));
  const i4 = requantize(acc, [6], single, createParams({ scale: 0.1, bits: 4, signed: true }));
  assert.deepEqual([...i4], [...acc].map((a) => requantizeValue(a, single.multiplier[0], single.shift[0], 0, -8, 7)));
});

test('fused ReLU / ReLU6 clamps in the quantized domain', () => {
  // s = 0.05, z = −128 (int8): ReLU from z; ReLU6 up to z + round(6 / 0.05) = −128 + 120 = −8
  assert.deepEqual(fusedActivationRange('relu', 0.05, -128, -128, 127), { qmin: -128, qmax: 127 });
  assert.deepEqual(fusedActivationRange('relu6', 0.05, -128, -128, 127), { qmin: -128, qmax: -8 });
  assert.deepEqual(fusedActivationRange('relu', 0.1, 10, -128, 127), { qmin: 10, qmax: 127 });
  assert.deepEqual(fusedActivationRange('relu6', 0.01, 0, -128, 127), { qmin: 0, qmax: 127 }); // 600 saturates
  assert.deepEqual(fusedActivationRange('none', 0.01, 0, -128, 127), { qmin: -128, qmax: 127 });
  assert.throws(() => fusedActivationRange('gelu' as 'relu', 1, 0, 0, 255), argError(/"gelu"/));
  const out = createParams({ scale: 0.05, zeroPoint: -128, bits: 8, signed: true });
  const m = requantizeMultipliers(1, 1, 0.05); // M = 20
  const acc = Int32Array.of(-1, 0, 1, 5, 100);
  // unclamped: z + 20·acc = −148 → −128, −128, −108, −28, 1872 → 127; ReLU6 caps at −8
  assert.deepEqual([...requantize(acc, [5], m, out)], [-128, -128, -108, -28, 127]);
  assert.deepEqual([...requantize(acc, [5], m, out, fusedActivationRange('relu6', 0.05, -128, -128, 127))], [-128, -128, -108, -28, -8]);
});

test('bad requantize arguments throw, naming the value', () => {
  const out = createParams({ scale: 0.1, bits: 8, signed: true });
  const m = requantizeMultipliers(0.1, 0.1, 0.1);
  assert.throws(() => requantize(Int32Array.of(1, 2), [3], m, out), argError(/2 elements but shape \[3\] has 3/));
  assert.throws(() => requantize(Int32Array.of(1), [1], { multiplier: Int32Array.of(5), shift: Int32Array.of(0) }, out), argError(/multiplier 5 at index 0/));
  assert.throws(() => requantize(Int32Array.of(1), [1], { multiplier: Int32Array.of(2 ** 30), shift: Int32Array.of(31) }, out), argError(/shift 31 at index 0/));
  assert.throws(() => requantize(Int32Array.of(1), [1], { multiplier: Int32Array.of(2 ** 30, 2 ** 30), shift: Int32Array.of(0) }, out), argError(/2 multipliers but 1 shifts/));
  assert.throws(() => requantize(new Int32Array(4), [2, 2], { multiplier: Int32Array.of(2 ** 30, 2 ** 30), shift: Int32Array.of(0, 0) }, out), argError(/need a channel axis/));
  assert.throws(() => requantize(new Int32Array(6), [2, 3], { multiplier: Int32Array.of(2 ** 30, 2 ** 30), shift: Int32Array.of(0, 0), axis: 1 }, out), argError(/2 multipliers for shape \[2, 3\] on axis 1 \(expected 3\)/));
  assert.throws(() => requantize(new Int32Array(6), [2, 3], { ...m, axis: 2 }, out), argError(/axis 2 is out of range/));
  assert.throws(() => requantize(Int32Array.of(1), [1], m, out, { qmin: -200, qmax: 0 }), argError(/clamp \[-200, 0\]/));
  assert.throws(() => requantize(Int32Array.of(1), [1], m, { ...out, zeroPoint: Int32Array.of(999) }), argError(/zero point 999/));
});
