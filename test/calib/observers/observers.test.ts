import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { HistogramObserver } from '../../../src/calib/observers/histogram.ts';
import { MinMaxObserver } from '../../../src/calib/observers/minmax.ts';
import { MovingAverageMinMaxObserver } from '../../../src/calib/observers/moving-average.ts';
import { PerChannelMinMaxObserver } from '../../../src/calib/observers/per-channel.ts';
import { assertFinite, firstNonFinite } from '../../../src/calib/observers/observer.ts';
import { DataError } from '../../../src/errors.ts';

const values = fc.array(fc.float({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), { minLength: 1, maxLength: 200 });

test('min/max: equals the extremes of all batches; merging shards equals one observer', () => {
  fc.assert(
    fc.property(fc.array(values, { minLength: 1, maxLength: 5 }), (batches) => {
      const one = new MinMaxObserver();
      const shards = [new MinMaxObserver(), new MinMaxObserver()];
      batches.forEach((b, i) => {
        one.observe(Float32Array.from(b));
        shards[i % 2].observe(Float32Array.from(b));
      });
      shards[0].merge(shards[1]);
      const all = batches.flat().map(Math.fround);
      assert.equal(one.min, all.reduce((a, b) => (b < a ? b : a)));
      assert.equal(one.max, all.reduce((a, b) => (b > a ? b : a)));
      assert.deepEqual(shards[0].toJSON(), one.toJSON());
    }),
    { numRuns: 200 },
  );
});

test('moving average follows the EMA recurrence of batch extremes', () => {
  const o = new MovingAverageMinMaxObserver(0.5);
  o.observe(Float32Array.from([-4, 8])); // first batch: min −4, max 8
  o.observe(Float32Array.from([0, 0])); // min: −4 + 0.5·(0 − (−4)) = −2, max: 8 + 0.5·(0 − 8) = 4
  o.observe(Float32Array.from([-10, 2])); // min: −2 + 0.5·(−10 + 2) = −6, max: 4 + 0.5·(2 − 4) = 3
  assert.equal(o.min, -6);
  assert.equal(o.max, 3);
  assert.throws(() => new MovingAverageMinMaxObserver(0), DataError);
});

test('per-channel min/max along any axis equals a direct loop over the index', () => {
  const shape = [3, 4, 5];
  const data = Float32Array.from({ length: 60 }, (_, i) => Math.sin(i * 1.7) * (i % 7));
  for (const axis of [0, 1, 2, -1]) {
    const o = new PerChannelMinMaxObserver(shape, axis);
    o.observe(data);
    const a = axis < 0 ? axis + 3 : axis;
    const mins = new Array(shape[a]).fill(Infinity);
    const maxs = new Array(shape[a]).fill(-Infinity);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 4; j++) for (let k = 0; k < 5; k++) {
      const c = [i, j, k][a];
      const v = data[i * 20 + j * 5 + k];
      mins[c] = Math.min(mins[c], v);
      maxs[c] = Math.max(maxs[c], v);
    }
    assert.deepEqual([...o.mins], mins);
    assert.deepEqual([...o.maxs], maxs);
  }
  assert.throws(() => new PerChannelMinMaxObserver(shape, 3), (e) => e instanceof DataError && /axis 3/.test(e.message));
});

/** Direct binning at half-range a = 2^e, computed independently of the observer. */
function directCounts(all: number[], bins: number, exponent: number): number[] {
  const a = 2 ** exponent;
  const w = a / bins;
  const counts = new Array(2 * bins).fill(0);
  for (const x of all) {
    let j = 0;
    while (j < 2 * bins - 1 && -a + (j + 1) * w <= x) j++; // linear scan of bin edges
    counts[j]++;
  }
  return counts;
}

test('histogram: growing the range by re-binning equals binning everything at the final range', () => {
  fc.assert(
    fc.property(fc.array(fc.array(fc.float({ noNaN: true, noDefaultInfinity: true, min: -300, max: 300 }), { minLength: 1, maxLength: 30 }), { minLength: 1, maxLength: 4 }), (batches) => {
      const bins = 16;
      const o = new HistogramObserver(bins);
      for (const b of batches) o.observe(Float32Array.from(b));
      const all = batches.flat().map(Math.fround);
      const maxAbs = all.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
      if (maxAbs === 0) return;
      let e = Math.ceil(Math.log2(maxAbs));
      if (2 ** e < maxAbs) e++;
      e = Math.max(e, -64) + 0; // (+ 0 turns −0 into 0); the observer's smallest range is ±2^−64 (values below that share the bins around 0)
      assert.equal(o.exponent, e);
      assert.deepEqual([...o.counts], directCounts(all, bins, e));
      assert.equal(o.count, all.length);
    }),
    { numRuns: 200 },
  );
});

test('histogram: merging shards is exact (equals one observer over all values)', () => {
  fc.assert(
    fc.property(values, values, (a, b) => {
      const one = new HistogramObserver(64);
      one.observe(Float32Array.from(a));
      one.observe(Float32Array.from(b));
      const x = new HistogramObserver(64);
      const y = new HistogramObserver(64);
      x.observe(Float32Array.from(a));
      y.observe(Float32Array.from(b));
      x.merge(HistogramObserver.fromJSON(JSON.parse(JSON.stringify(y.toJSON()))));
      assert.deepEqual([...x.counts], [...one.counts]);
      assert.equal(x.exponent, one.exponent);
      assert.ok(x.min === one.min && x.max === one.max); // === : −0 and 0 are the same extreme
    }),
    { numRuns: 150 },
  );
});

test('histogram: |x| folding and the 2048-bin default', () => {
  const o = new HistogramObserver();
  o.observe(Float32Array.from([-3, -0.5, 0.5, 3, 4]));
  assert.equal(o.bins, 2048);
  assert.equal(o.halfRange, 4);
  const abs = o.absoluteCounts();
  assert.equal(abs.length, 2048);
  // w = 4/2048: 0.5 → bin 256 (both signs), 3 → bin 1536 (−3 folds to bin 1535: it lies in [−3 − w, −3)... no:
  // −3 is the left edge of its bin [−3, −3 + w), which folds to |x| ∈ (3 − w, 3], bin 1535).
  assert.equal(abs[256] + abs[255], 2);
  assert.equal(abs[1536] + abs[1535], 2);
  assert.equal(abs[2047], 1); // x = 4 = a lands in the last bin
  assert.equal(abs.reduce((s, c) => s + c, 0), 5);
});

test('all-zero tensors and non-finite values', () => {
  const o = new HistogramObserver(8);
  o.observe(new Float32Array(10));
  assert.equal(o.counts[8], 10); // the bin [0, w)
  o.observe(Float32Array.from([5]));
  assert.equal(o.halfRange, 8);
  assert.equal(o.counts[8], 10);
  assert.equal(firstNonFinite([1, 2, NaN]), 2);
  assert.equal(firstNonFinite([1, -Infinity]), 1);
  assert.throws(() => assertFinite([0, Infinity], 'conv1 output, sample 3'), (e) => e instanceof DataError && /conv1 output, sample 3/.test(e.message));
});

test('observers refuse NaN/±∞ with a DataError instead of recording garbage', () => {
  for (const o of [new MinMaxObserver(), new HistogramObserver(8), new MovingAverageMinMaxObserver()]) {
    assert.throws(() => o.observe(Float32Array.from([1, NaN])), (e) => e instanceof DataError && /non-finite value NaN at element 1/.test(e.message));
    assert.throws(() => o.observe(Float32Array.from([-Infinity])), DataError);
  }
});

/** A plain snapshot of a histogram observer: counts, range, extremes and count. */
const snapshot = (o: HistogramObserver) => ({ exponent: o.exponent, counts: [...o.counts], min: o.min, max: o.max, count: o.count });

test('histogram: stage + commit (one pass) leaves exactly what observe does, through growth, ±a, zeros and negatives', () => {
  // Powers of two are the range ends ±a exactly (a = 2^e); 2^12 and up make the range grow mid-stream.
  const special = fc.constantFrom(0, -0, 1, -1, 0.5, -0.5, 2 ** 12, -(2 ** 12), 2 ** -70, -(2 ** -70), 3.999999761581421);
  const value = fc.oneof(fc.float({ noNaN: true, noDefaultInfinity: true, min: -300, max: 300 }), fc.float({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), special);
  fc.assert(
    fc.property(fc.array(fc.array(value, { maxLength: 40 }), { minLength: 1, maxLength: 6 }), fc.constantFrom(2, 16, 2048), (batches, bins) => {
      const direct = new HistogramObserver(bins);
      const staged = new HistogramObserver(bins);
      for (const b of batches) {
        const values = Float32Array.from(b);
        direct.observe(values);
        const scan = staged.stage(values);
        assert.equal(scan.nonFinite, -1);
        assert.ok(values.length === 0 || (scan.min === Math.min(...values) && scan.max === Math.max(...values)));
        staged.commit();
        assert.deepEqual(snapshot(staged), snapshot(direct));
      }
    }),
    { numRuns: 300 },
  );
});

test('histogram: a staged batch with NaN/±∞, or a discarded one, leaves the observer unchanged', () => {
  fc.assert(
    fc.property(
      fc.array(fc.float({ noNaN: true, noDefaultInfinity: true, min: -50, max: 50 }), { minLength: 1, maxLength: 30 }),
      fc.array(fc.float({ noNaN: true, noDefaultInfinity: true, min: -1e4, max: 1e4 }), { minLength: 1, maxLength: 30 }),
      fc.nat(),
      fc.constantFrom(NaN, Infinity, -Infinity),
      (first, second, at, bad) => {
        const o = new HistogramObserver(16);
        assert.ok(o.stage(Float32Array.from([...first, bad])).nonFinite === first.length);
        assert.deepEqual(snapshot(o), snapshot(new HistogramObserver(16)));
        o.stage(Float32Array.from(first));
        o.commit();
        const before = snapshot(o);
        // A bad batch (which, being larger, would also have grown the range): no trace.
        const values = Float32Array.from(second);
        const index = at % (values.length + 1);
        const withBad = Float32Array.from([...values.subarray(0, index), bad, ...values.subarray(index)]);
        assert.equal(o.stage(withBad).nonFinite, index);
        assert.deepEqual(snapshot(o), before);
        // A clean batch dropped because another tensor of its run was bad: no trace either.
        o.stage(values);
        o.discard();
        assert.deepEqual(snapshot(o), before);
        // Nor does staging over a staged batch (the previous one is discarded).
        o.stage(values);
        o.stage(Float32Array.from(first));
        o.commit();
        const reference = new HistogramObserver(16);
        reference.observe(Float32Array.from(first));
        reference.observe(Float32Array.from(first));
        assert.deepEqual(snapshot(o), snapshot(reference));
      },
    ),
    { numRuns: 200 },
  );
});
