import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { entropyMethod, entropyThreshold } from '../../../src/calib/methods/entropy.ts';
import { entropyThresholdReference } from '../../../src/calib/methods/entropy-reference.ts';
import { HistogramObserver } from '../../../src/calib/observers/histogram.ts';
import { seededRandom } from '../../../src/numeric/rounding.ts';

test('KL divergence of a hand-worked 8-bin histogram with 2 levels', () => {
  const counts = [4, 2, 0, 1, 0, 0, 0, 1];
  const r = entropyThreshold(counts, 1, 2);
  assert.equal(r.startBin, 2);
  // i = 2: P = [4, 2 + 2 outliers] / 8 = [.5, .5]; Q = [4, 2] / 6 → D = .5·ln(.5/(4/6)) + .5·ln(.5/(2/6)).
  const d2 = 0.5 * Math.log(0.5 / (4 / 6)) + 0.5 * Math.log(0.5 / (2 / 6));
  assert.ok(Math.abs(r.divergences[0] - d2) < 1e-12);
  // i = 4: P = [4, 2, 0, 1 + 1] / 8; groups {0,1} and {2,3}: Q = [3, 3, 0, 1] / 7.
  const d4 = 0.5 * Math.log(0.5 / (3 / 7)) + 0.25 * Math.log(0.25 / (3 / 7)) + 0.25 * Math.log(0.25 / (1 / 7));
  assert.ok(Math.abs(r.divergences[2] - d4) < 1e-12);
  // i = 8: no outliers; groups {0..3}: 3 non-empty bins share 7, {4..7}: 1 bin holds 1.
  const d8 = 0.5 * Math.log(0.5 / (7 / 3 / 8)) + 0.25 * Math.log(0.25 / (7 / 3 / 8)) + 0.125 * Math.log(0.125 / (7 / 3 / 8)) + 0.125 * Math.log(0.125 / (1 / 8));
  assert.ok(Math.abs(r.divergences[6] - d8) < 1e-12);
  const min = Math.min(...r.divergences);
  assert.equal(r.bins, 2 + r.divergences.indexOf(min));
  assert.equal(r.threshold, r.bins + 0.5);
});

test('a flat distribution over the first N bins is encoded losslessly at i = N: threshold (N + ½)·w', () => {
  const counts = new Float64Array(2048);
  for (let j = 0; j < 1000; j++) counts[j] = 5;
  const r = entropyThreshold(counts, 0.01, 128);
  assert.equal(r.startBin, 128);
  assert.equal(r.bins, 1000);
  assert.equal(r.divergences[1000 - 128], 0);
  assert.ok(Math.abs(r.threshold - 1000.5 * 0.01) < 1e-12);
  // Every candidate below N saturates mass into its last bin, which Q cannot represent exactly.
  for (let i = 128; i < 1000; i++) assert.ok(r.divergences[i - 128] > 0);
});

test('entropy saturates rare outliers of a Gaussian activation (range well inside max|x|)', () => {
  const random = seededRandom(7);
  const values = new Float32Array(50000);
  for (let i = 0; i < values.length; i++) {
    const u = Math.max(random(), 1e-12);
    values[i] = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random()); // N(0, 1)
  }
  values[0] = 40; // one outlier
  const histogram = new HistogramObserver();
  histogram.observe(values);
  const choice = entropyMethod.choose({ min: histogram.min, max: histogram.max, histogram }, { bits: 8, scheme: 'symmetric' });
  assert.ok(choice.max > 2 && choice.max < 10, `threshold ${choice.max}`);
  assert.equal(choice.min, -choice.max);
  assert.ok(choice.curve !== undefined && choice.curve.x.length === 2048 - 128 + 1);
});

test('a ReLU output (80% exact zeros) keeps nearly its whole range: the zero spike does not drive the threshold', () => {
  const random = seededRandom(3);
  const values = new Float32Array(100000);
  for (let i = 0; i < values.length; i++) values[i] = random() < 0.8 ? 0 : random() * 900; // uniform on [0, 900) otherwise
  const histogram = new HistogramObserver();
  histogram.observe(values);
  const choice = entropyMethod.choose({ min: histogram.min, max: histogram.max, histogram }, { bits: 8, scheme: 'asymmetric' });
  // A flat tail loses nothing to 256 levels: the lossless threshold is the end of the data.
  assert.ok(choice.max > 850, `threshold ${choice.max}`);
  assert.equal(choice.min, 0);
});

test('the fast KL search equals the direct form (entropy-reference.ts) on random histograms: same argmin, divergences within 1e-9', () => {
  const random = seededRandom(12);
  const shapes: ((j: number) => number)[] = [
    (j) => Math.round(1e5 * Math.exp(-j / 40) * random()), // a decaying tail with gaps
    () => (random() < 0.3 ? 0 : Math.floor(random() * 50)), // sparse
    (j) => (j < 300 ? 1000 : j === 1500 ? 3 : 0), // flat, then one far outlier bin
    (j) => (j === 0 ? 1e6 : Math.floor(2000 / (1 + j))), // a spike and a long tail
  ];
  for (const [k, shape] of shapes.entries()) {
    for (const [n, levels] of [[2048, 128], [2048, 256], [512, 8], [64, 16]] as const) {
      const counts = Float64Array.from({ length: n }, (_, j) => shape(j));
      const fast = entropyThreshold(counts, 0.5, levels);
      const direct = entropyThresholdReference(counts, 0.5, levels);
      assert.equal(fast.bins, direct.bins, `shape ${k}, ${n} bins, ${levels} levels`);
      assert.equal(fast.threshold, direct.threshold);
      assert.equal(fast.divergences.length, direct.divergences.length);
      for (let i = 0; i < fast.divergences.length; i++) {
        const a = fast.divergences[i];
        const b = direct.divergences[i];
        assert.ok(a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `shape ${k}, candidate ${i}: ${a} vs ${b}`);
      }
    }
  }
});

test('property: the fast KL search agrees with the direct form on random histograms (sparse, zeros, huge outliers, 2–256 levels, up to 2048 bins)', () => {
  // Relative 1e-9, with an absolute floor for divergences near 0: there both forms are differences
  // of O(1) terms, and their rounding (~1e-14 here) is all that is left.
  const close = (a: number, b: number) => a === b || Math.abs(a - b) <= 1e-9 * Math.abs(b) + 1e-12;
  const cell = (zeroWeight: number) =>
    fc.oneof({ arbitrary: fc.constant(0), weight: zeroWeight }, { arbitrary: fc.nat(20), weight: 2 }, { arbitrary: fc.nat(1e6), weight: 1 });
  const histogram = fc
    .integer({ min: 1, max: 2048 })
    .chain((n) => fc.oneof(fc.array(cell(1), { minLength: n, maxLength: n }), fc.array(cell(40), { minLength: n, maxLength: n })));
  fc.assert(
    fc.property(histogram, fc.integer({ min: 2, max: 256 }), fc.option(fc.tuple(fc.nat(), fc.constantFrom(1e9, 1e12))), (values, levels, outlier) => {
      const counts = Float64Array.from(values);
      if (outlier !== null) counts[outlier[0] % counts.length] += outlier[1];
      const fast = entropyThreshold(counts, 1, levels);
      const direct = entropyThresholdReference(counts, 1, levels);
      assert.equal(fast.divergences.length, direct.divergences.length);
      for (let k = 0; k < direct.divergences.length; k++) {
        assert.ok(close(fast.divergences[k], direct.divergences[k]), `candidate ${direct.startBin + k}: ${fast.divergences[k]} vs ${direct.divergences[k]}`);
      }
      // The same threshold unless the direct form's best two candidates are within the tolerance.
      const best = direct.divergences[direct.bins - direct.startBin];
      const secondBest = Math.min(...direct.divergences.filter((_, k) => k !== direct.bins - direct.startBin));
      if (!close(secondBest, best)) assert.equal(fast.bins, direct.bins);
    }),
    { numRuns: 80 },
  );
});
