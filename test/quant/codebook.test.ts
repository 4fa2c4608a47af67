import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fitCodebook, encodeCodebook, decodeCodebook } from '../../src/quant/codebook.ts';
import { RangeArgumentError } from '../../src/errors.ts';

const argError = (pattern: RegExp) => (e: unknown) => e instanceof RangeArgumentError && pattern.test(e.message);

// n evenly spaced points filling [0, 1): the continuous uniform density in the limit.
const uniform = (n: number) => Float32Array.from({ length: n }, (_, i) => (i + 0.5) / n);

test('Lloyd-Max on uniform data: equally spaced centroids (2j + 1)/2K, MSE Δ²/12', () => {
  for (const init of ['quantile', 'kmeans++'] as const) {
    const fit = fitCodebook(uniform(4000), { size: 4, init, seed: 3, maxIterations: 500, tolerance: 0 });
    const expected = [1 / 8, 3 / 8, 5 / 8, 7 / 8];
    fit.centroids.forEach((c, j) => assert.ok(Math.abs(c - expected[j]) < 2e-3, `${init}: centroid ${j} = ${c}`));
    const distortion = 1 / (12 * 16); // step Δ = 1/4
    assert.ok(Math.abs(fit.mse[fit.mse.length - 1] - distortion) / distortion < 0.01, `${init}: mse ${fit.mse.at(-1)}`);
  }
});

test('two well-separated clusters: the centroids are their means', () => {
  const a = Array.from({ length: 500 }, (_, i) => -5 + Math.sin(i) * 0.3);
  const b = Array.from({ length: 300 }, (_, i) => 3 + Math.cos(i * 1.7) * 0.2);
  const data = Float32Array.from([...b, ...a]);
  const meanOf = (xs: number[]) => xs.map(Math.fround).reduce((s, v) => s + v, 0) / xs.length;
  for (const init of ['quantile', 'kmeans++'] as const) {
    const fit = fitCodebook(data, { size: 2, init, seed: 11 });
    assert.ok(Math.abs(fit.centroids[0] - meanOf(a)) < 1e-6, `${init}: ${fit.centroids[0]} vs ${meanOf(a)}`);
    assert.ok(Math.abs(fit.centroids[1] - meanOf(b)) < 1e-6);
    const codes = encodeCodebook(data, fit.centroids);
    assert.deepEqual([...codes], [...new Array<number>(300).fill(1), ...new Array<number>(500).fill(0)]);
  }
});

test('MSE never increases over the iterations; the same seed gives the same codebook', () => {
  fc.assert(
    fc.property(fc.array(fc.float({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 300 }), fc.integer({ min: 2, max: 16 }), fc.integer(), fc.boolean(), (values, size, seed, pp) => {
      const data = Float32Array.from(values);
      const init = pp ? 'kmeans++' : 'quantile';
      const fit = fitCodebook(data, { size, init, seed, maxIterations: 50 });
      for (let t = 1; t < fit.mse.length; t++) assert.ok(fit.mse[t] <= fit.mse[t - 1] * (1 + 1e-12) + 1e-300, `mse ${fit.mse[t - 1]} → ${fit.mse[t]}`);
      for (let j = 1; j < fit.centroids.length; j++) assert.ok(fit.centroids[j - 1] <= fit.centroids[j]);
      assert.deepEqual(fitCodebook(data, { size, init, seed, maxIterations: 50 }).centroids, fit.centroids);
    }),
    { numRuns: 200 },
  );
});

test('encode picks the nearest centroid; decode looks it up', () => {
  fc.assert(
    fc.property(fc.array(fc.float({ min: -10, max: 10, noNaN: true }), { minLength: 1, maxLength: 20 }), fc.array(fc.float({ min: -20, max: 20, noNaN: true }), { minLength: 1, maxLength: 50 }), (table, values) => {
      const centroids = Float32Array.from(table).sort();
      const x = Float32Array.from(values);
      const y = decodeCodebook(encodeCodebook(x, centroids), centroids);
      for (let i = 0; i < x.length; i++) {
        const best = Math.min(...[...centroids].map((c) => Math.abs(x[i] - c)));
        assert.ok(Math.abs(x[i] - y[i]) <= best, `${x[i]} → ${y[i]}`);
      }
    }),
    { numRuns: 300 },
  );
  // exactly on a midpoint: the lower cell
  assert.deepEqual([...encodeCodebook(Float32Array.of(0.5, 0.51), Float32Array.of(0, 1))], [0, 1]);
});

test('bad input throws', () => {
  const d = Float32Array.of(1, 2, 3);
  assert.throws(() => fitCodebook(d, { size: 1 }), argError(/size 1/));
  assert.throws(() => fitCodebook(d, { size: 257 }), argError(/size 257/));
  assert.throws(() => fitCodebook(new Float32Array(0), { size: 2 }), argError(/no data/));
  assert.throws(() => fitCodebook(Float32Array.of(1, Number.NaN), { size: 2 }), /NaN/);
  assert.throws(() => fitCodebook(d, { size: 2, init: 'random' as 'quantile' }), argError(/"random"/));
  assert.throws(() => fitCodebook(d, { size: 2, maxIterations: -1 }), argError(/maxIterations -1/));
  assert.throws(() => encodeCodebook(Float32Array.of(Number.NaN), Float32Array.of(0, 1)), argError(/element 0 is NaN/));
  assert.throws(() => encodeCodebook(d, Float32Array.of(1, 0)), argError(/ascending/));
  assert.throws(() => decodeCodebook(Uint8Array.of(2), Float32Array.of(0, 1)), argError(/index 2 at position 0/));
});
