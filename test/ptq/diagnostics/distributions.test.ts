import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { HistogramObserver } from '../../../src/calib/observers/histogram.ts';
import { decimateCurve, downsampleHistogram } from '../../../src/ptq/diagnostics/distributions.ts';

test('downsampling keeps every count and covers the values', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: -1e6, max: 1e6 }).map((i) => i / 1024), { minLength: 1, maxLength: 300 }), fc.integer({ min: 1, max: 300 }), (values, maxBins) => {
      const h = new HistogramObserver(256);
      h.observe(Float32Array.from(values));
      const d = downsampleHistogram(h, maxBins);
      assert.ok(d.counts.length <= maxBins);
      assert.equal(d.counts.reduce((a, b) => a + b, 0), values.length);
      assert.equal(d.count, values.length);
      // Each value lies in the bin that counts it: recount from the values themselves (dyadic
      // values and power-of-two bin widths: the arithmetic is exact).
      const recount = new Array<number>(d.counts.length).fill(0);
      for (const v of Float32Array.from(values)) recount[Math.min(Math.floor((v - d.start) / d.binWidth), d.counts.length - 1)]++;
      assert.deepEqual(recount, d.counts);
    }),
    { numRuns: 100 },
  );
});

test('an empty histogram downsamples to no bins', () => {
  assert.deepEqual(downsampleHistogram(new HistogramObserver(), 256).counts, []);
});

test("decimating a curve keeps its minimum and at most the points asked for", () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.double({ min: 0, max: 10, noNaN: true }), fc.constant(Infinity)), { minLength: 1, maxLength: 2000 }), fc.integer({ min: 1, max: 300 }), (y, maxPoints) => {
      const x = y.map((_, i) => i * 0.5);
      const d = decimateCurve(x, y, maxPoints);
      assert.ok(d.x.length <= maxPoints && d.x.length === d.y.length);
      const lowest = Math.min(...y);
      assert.equal(Math.min(...d.y), lowest);
      // The first lowest point keeps its x (ties keep the earlier point).
      if (Number.isFinite(lowest)) assert.equal(d.x[d.y.indexOf(lowest)], x[y.indexOf(lowest)]);
      // Points stay in order.
      for (let i = 1; i < d.x.length; i++) assert.ok(d.x[i] > d.x[i - 1]);
    }),
    { numRuns: 100 },
  );
});
