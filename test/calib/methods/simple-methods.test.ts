import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coveringFractionalLength, fractionalLengthCandidates } from '../../../src/calib/methods/fixed-point.ts';
import { weightFractionalLength } from '../../../src/calib/methods/dfp.ts';
import { maxMethod } from '../../../src/calib/methods/max.ts';
import { percentileMethod, quantile } from '../../../src/calib/methods/percentile.ts';
import { rangeMethod, RANGE_METHODS } from '../../../src/calib/methods/registry.ts';
import { staticFractionalLength } from '../../../src/calib/methods/sfp.ts';
import { HistogramObserver } from '../../../src/calib/observers/histogram.ts';
import { RangeArgumentError } from '../../../src/errors.ts';

test('max: the observed range, ±max|x| when symmetric, [0, max] when unsigned', () => {
  const stats = { min: -3, max: 5 };
  assert.deepEqual(maxMethod.choose(stats, { bits: 8, scheme: 'asymmetric' }), { min: -3, max: 5 });
  assert.deepEqual(maxMethod.choose(stats, { bits: 8, scheme: 'symmetric' }), { min: -5, max: 5 });
  assert.deepEqual(maxMethod.choose({ min: 0, max: 6 }, { bits: 8, scheme: 'unsigned' }), { min: 0, max: 6 });
});

test('percentile of a uniform grid is where the fraction of values lies below (within one bin)', () => {
  const values = Float32Array.from({ length: 100000 }, (_, i) => i / 100000); // uniform on [0, 1)
  const histogram = new HistogramObserver();
  histogram.observe(values);
  const stats = { min: histogram.min, max: histogram.max, histogram };
  const w = histogram.binWidth;
  const choice = percentileMethod.choose(stats, { bits: 8, scheme: 'asymmetric', percentile: 99 });
  assert.ok(Math.abs(choice.max - 0.99) <= w, `${choice.max}`);
  assert.ok(Math.abs(choice.min - 0.01) <= w, `${choice.min}`);
  const symmetric = percentileMethod.choose(stats, { bits: 8, scheme: 'symmetric', percentile: 90 });
  assert.ok(Math.abs(symmetric.max - 0.9) <= w);
  assert.throws(() => percentileMethod.choose(stats, { bits: 8, scheme: 'symmetric', percentile: 0 }), RangeArgumentError);
  // quantile interpolates linearly inside a bin: counts [0, 10] over [0, 2] → median at 1.5.
  assert.equal(quantile([0, 10], 0, 2, 0.5), 1.5);
});

test('fixed point: covering fractional length and candidates', () => {
  // 127·2^−6 = 1.98 ≥ 1 but 127·2^−7 < 1 → f = 6 for 8 bits.
  assert.equal(coveringFractionalLength(1, 8), 6);
  // 32767·2^−2 = 8191.75 ≥ 5000 > 32767·2^−3 → the lecture's 16-bit data precision 2^−2.
  assert.equal(coveringFractionalLength(5000, 16), 2);
  assert.equal(coveringFractionalLength(0.01, 8), 13);
  assert.deepEqual(fractionalLengthCandidates(1, 8, 2), [6, 7, 8]);
  assert.equal(staticFractionalLength([0.5, 3, 1], 8), coveringFractionalLength(3, 8));
});

test('dfp weights: argmin_f Σ|W − W(bw, f)| equals a brute-force search written from the definition', () => {
  const weights = Float32Array.from([0.75, -0.5, 0.3, 0.01, -0.26, 0.9]);
  for (const bits of [3, 4, 8]) {
    const { fractionalLength } = weightFractionalLength(weights, bits);
    let best = Infinity;
    let bestF = 0;
    for (let f = -4; f <= 20; f++) {
      let sum = 0;
      for (const w of weights) {
        const n = Math.min(Math.max(Math.round(w * 2 ** f), -(2 ** (bits - 1))), 2 ** (bits - 1) - 1); // no exact ties in these weights
        sum += Math.abs(w - n / 2 ** f);
      }
      if (sum < best - 1e-12) {
        best = sum;
        bestF = f;
      }
    }
    assert.equal(fractionalLength, bestF, `${bits} bits`);
  }
});

test('registry: the six methods by name; unknown names are rejected with the list', () => {
  assert.deepEqual([...RANGE_METHODS.keys()], ['max', 'percentile', 'mse', 'entropy', 'dfp', 'sfp']);
  assert.throws(() => rangeMethod('kl'), (e) => e instanceof RangeArgumentError && /entropy/.test(e.message));
});
