import { test } from 'node:test';
import assert from 'node:assert/strict';
import { histogramSquaredError, mseMethod } from '../../../src/calib/methods/mse.ts';
import { HistogramObserver } from '../../../src/calib/observers/histogram.ts';
import { paramsFromRange } from '../../../src/quant/params.ts';
import { seededRandom } from '../../../src/numeric/rounding.ts';

/** Midpoint-rule integral of (x − Q(x))² with Q written out from the definition. */
function numericError(l: number, h: number, scale: number, zeroPoint: number, qmin: number, qmax: number): number {
  const n = 200000;
  const dx = (h - l) / n;
  let sum = 0;
  for (let k = 0; k < n; k++) {
    const x = l + (k + 0.5) * dx;
    const q = Math.min(Math.max(Math.round(x / scale) + zeroPoint, qmin), qmax);
    sum += (x - (q - zeroPoint) * scale) ** 2 * dx;
  }
  return sum;
}

test('expected squared error of one bin equals numerical integration (rounding + clipping)', () => {
  const histogram = new HistogramObserver(4);
  histogram.observe(Float32Array.from([3.5])); // a = 4, w = 1: the value lands in bin [3, 4)
  const bin = histogram.counts.indexOf(1);
  const left = -histogram.halfRange + bin * histogram.binWidth;
  for (const [min, max, bits] of [[-3.2, 3.2, 3], [-1, 1, 2], [0, 3.7, 4], [-8, 8, 8]] as const) {
    const params = paramsFromRange(min, max, { bits, scheme: min === 0 ? 'unsigned' : 'symmetric' });
    const got = histogramSquaredError(histogram, params);
    const want = numericError(left, left + 1, params.scale[0], params.zeroPoint[0], params.qmin, params.qmax);
    assert.ok(Math.abs(got - want) < 1e-6 * Math.max(1, want), `[${min}, ${max}] ${bits} bits: ${got} vs ${want}`);
  }
});

test('MSE clipping of a Laplace distribution at 4 bits matches the analytical optimum ≈ 5.03·b (Banner et al., ACIQ)', () => {
  const random = seededRandom(11);
  const b = 1;
  const values = new Float32Array(200000);
  for (let i = 0; i < values.length; i++) {
    const u = random() - 0.5;
    values[i] = -b * Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
  }
  const histogram = new HistogramObserver();
  histogram.observe(values);
  // symmetric-full: 16 levels with step α/8 over [−α, α), the quantizer ACIQ analyses.
  const choice = mseMethod.choose({ min: histogram.min, max: histogram.max, histogram }, { bits: 4, scheme: 'symmetric-full' });
  assert.ok(Math.abs(choice.max - 5.03 * b) < 0.5, `α = ${choice.max}`);
});

test('MSE keeps (nearly) the full range of a uniform distribution at 8 bits', () => {
  const values = Float32Array.from({ length: 20001 }, (_, i) => -1 + i / 10000);
  const histogram = new HistogramObserver();
  histogram.observe(values);
  const choice = mseMethod.choose({ min: -1, max: 1, histogram }, { bits: 8, scheme: 'asymmetric' });
  assert.ok(choice.max > 0.98 && choice.min < -0.98, `[${choice.min}, ${choice.max}]`);
});
