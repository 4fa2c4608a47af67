// The report model of a real quantization of mnist-8: its numbers are the job's, and the
// calibration pictures agree with references computed here from the raw statistics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runQuantizationJob, summaryToJSON } from '../../src/ptq/job.ts';
import { buildReport } from '../../src/report/model.ts';
import { mnistData, mnistModel } from '../ptq/mnist.ts';

const CALIBRATION = 40;
const DIAGNOSTIC = 10;
// Elements per sample of each activation of mnist-8 (the ONNX Model Zoo architecture: 28×28
// input, Conv 8@5×5 'same', MaxPool 2, Conv 16@5×5 'same', MaxPool 3, Gemm 256 → 10).
const ELEMENTS: Record<string, number> = {
  Input3: 784,
  ReLU32_Output_0: 8 * 28 * 28,
  Pooling66_Output_0: 8 * 14 * 14,
  ReLU114_Output_0: 16 * 14 * 14,
  Pooling160_Output_0: 256,
  Pooling160_Output_0_reshape0: 256,
  Plus214_Output_0: 10,
};

const job = await runQuantizationJob({
  model: mnistModel(),
  modelBytes: 26454,
  calibration: mnistData('calib', CALIBRATION).dataset,
  evaluation: mnistData('t10k', 60).dataset,
  config: { calibrationLimit: CALIBRATION },
  diagnosticSamples: DIAGNOSTIC,
});
const summary = job.summary;
const report = buildReport(summaryToJSON(summary), { model: 'mnist-8.onnx' });

test('accuracy, SQNR and ranges are the job summary\'s', () => {
  assert.ok(summary.eval);
  assert.deepEqual(
    report.accuracy?.rows.map((r) => [r.engine, r.top1, r.delta]),
    [
      ['float', summary.eval.float, 0],
      ['simulated', summary.eval.simulated, summary.eval.simulated - summary.eval.float],
      ['integer', summary.eval.integer, summary.eval.integer - summary.eval.float],
    ],
  );
  assert.equal(report.accuracy?.samples, 60);
  assert.equal(report.layers.length, summary.layers.length);
  summary.layers.forEach((l, i) => {
    const row = report.layers[i];
    assert.equal(row.tensor, l.tensor);
    assert.deepEqual(row.range, l.range);
    // JSON has no +∞: a tensor quantized without error (the integer pixels of Input3) reads null.
    assert.equal(row.sqnrDb, Number.isFinite(l.sqnrDb) ? l.sqnrDb : null);
    assert.equal(row.clippedFraction, l.clippedFraction);
  });
  assert.equal(report.layers.find((l) => l.tensor === 'Input3')?.sqnrDb, null);
});

test('histograms hold every observed value, and the chosen range is the plan\'s', () => {
  assert.deepEqual(report.distributions.map((d) => d.tensor), ['Input3', 'ReLU32_Output_0', 'ReLU114_Output_0', 'Plus214_Output_0']);
  for (const d of report.distributions) {
    const h = d.histogram;
    assert.ok(h, d.tensor);
    const observed = d.members.reduce((sum, m) => sum + CALIBRATION * ELEMENTS[m], 0);
    assert.equal(h.count, observed, d.tensor);
    assert.equal(h.counts.reduce((a, b) => a + b, 0), observed, d.tensor);
    assert.ok(h.counts.length <= 256);
    // The bins cover the observed extremes.
    assert.ok(h.start <= h.min && h.start + h.counts.length * h.binWidth >= h.max, d.tensor);
    const plan = summary.plan.activations[d.tensor];
    assert.deepEqual([d.chosen.min, d.chosen.max], plan.range);
    assert.deepEqual(d.picks.map((p) => p.method), ['max', 'percentile', 'mse', 'entropy']);
    // The default method is entropy: its pick is the plan's range.
    const entropy = d.picks.find((p) => p.method === 'entropy')!;
    assert.deepEqual([entropy.min, entropy.max], plan.range);
    // max: the observed extremes (asymmetric scheme, so [min, max] as observed).
    const max = d.picks.find((p) => p.method === 'max')!;
    assert.deepEqual([max.min, max.max], [h.min, h.max]);
  }
});

/**
 * TensorRT's KL search, written out plainly: P = the first i bins of |x| with the tail added to
 * the last; Q = P's first i bins merged into `levels` groups and spread back over their non-empty
 * bins; D = Σ p·ln(p/q). The bin at zero takes its neighbour's count first (entropy.ts's ReLU fix).
 */
function referenceThreshold(signedCounts: Float64Array, halfBins: number, binWidth: number, levels: number): { threshold: number; divergences: number[] } {
  const abs: number[] = [];
  for (let k = 0; k < halfBins; k++) abs.push(signedCounts[halfBins + k] + signedCounts[halfBins - 1 - k]);
  abs[0] = abs[1];
  const divergences: number[] = [];
  for (let i = levels; i <= halfBins; i++) {
    const p = abs.slice(0, i);
    p[i - 1] += abs.slice(i).reduce((a, b) => a + b, 0);
    const q = new Array<number>(i).fill(0);
    for (let g = 0; g < levels; g++) {
      const lo = Math.floor((g * i) / levels);
      const hi = Math.floor(((g + 1) * i) / levels);
      const part = abs.slice(lo, hi);
      const used = part.filter((c) => c > 0).length;
      const mass = part.reduce((a, b) => a + b, 0);
      for (let j = lo; j < hi; j++) q[j] = abs[j] > 0 ? mass / used : 0;
    }
    const pSum = p.reduce((a, b) => a + b, 0);
    const qSum = q.reduce((a, b) => a + b, 0);
    let d = 0;
    for (let j = 0; j < i; j++) {
      if (p[j] === 0) continue;
      d = q[j] === 0 ? Infinity : d + (p[j] / pSum) * Math.log(p[j] / pSum / (q[j] / qSum));
      if (d === Infinity) break;
    }
    divergences.push(d);
  }
  let best = 0;
  divergences.forEach((d, k) => {
    if (d < divergences[best]) best = k;
  });
  return { threshold: (levels + best + 0.5) * binWidth, divergences };
}

test("the KL curve's minimum is the entropy threshold, recomputed from the raw histogram", () => {
  for (const tensor of ['ReLU32_Output_0', 'Plus214_Output_0']) {
    const d = report.distributions.find((x) => x.tensor === tensor)!;
    // Merge the members' raw 2048-bin histograms (same exponent: they share their maximum).
    const members = d.members.map((m) => job.result.calibration.stats.get(m)!.histogram!);
    assert.ok(members.every((h) => h.exponent === members[0].exponent));
    const counts = new Float64Array(members[0].counts.length);
    for (const h of members) h.counts.forEach((c, j) => (counts[j] += c));
    // Non-negative with an asymmetric 8-bit scheme: all 256 levels serve |x|; signed: 128.
    const levels = d.histogram!.min >= 0 ? 256 : 128;
    const { threshold } = referenceThreshold(counts, members[0].bins, members[0].binWidth, levels);
    const curve = d.curves.find((c) => c.method === 'entropy')!;
    let argmin = 0;
    curve.y.forEach((y, k) => {
      if (y !== null && (curve.y[argmin] === null || y < curve.y[argmin]!)) argmin = k;
    });
    assert.ok(Math.abs(curve.x[argmin] - threshold) < 1e-9 * threshold, `${tensor}: curve minimum at ${curve.x[argmin]}, reference ${threshold}`);
    assert.ok(curve.x.length <= 256);
    const entropy = d.picks.find((p) => p.method === 'entropy')!;
    assert.equal(entropy.max, Math.min(threshold, d.histogram!.max), tensor);
    if (d.histogram!.min < 0) assert.equal(entropy.min, Math.max(-threshold, d.histogram!.min), tensor);
  }
});

test('per-channel weight ranges match the folded float weights, channel by channel', () => {
  assert.deepEqual(report.weights.map((w) => [w.node, w.weight, w.axis, w.mins.length]), [
    ['Convolution28', 'Parameter5', 0, 8],
    ['Convolution110', 'Parameter87', 0, 16],
    ['Times212', 'Parameter193_reshape1', 1, 10],
  ]);
  for (const w of report.weights) {
    const t = job.result.prepared.graph.initializers.get(w.weight)!;
    const inner = t.shape.slice(w.axis + 1).reduce((a, b) => a * b, 1);
    const channels = t.shape[w.axis];
    for (let c = 0; c < channels; c++) {
      const values = Array.from(t.data as Float32Array).filter((_, i) => Math.floor(i / inner) % channels === c);
      assert.equal(w.mins[c], Math.min(...values), `${w.node} channel ${c}`);
      assert.equal(w.maxs[c], Math.max(...values), `${w.node} channel ${c}`);
    }
    assert.deepEqual(w.scales, summary.plan.weights[w.weight].scale);
  }
  assert.deepEqual(report.bits.map((b) => [b.node, b.weightBits, b.inputBits, b.outputBits, b.biasBits]), [
    ['Convolution28', 8, 8, 8, 32],
    ['Convolution110', 8, 8, 8, 32],
    ['Times212', 8, 8, 8, 32],
  ]);
});

test('the LSB comparison covers every element of every quantized activation on the diagnostic samples', () => {
  assert.deepEqual(report.agreement.map((a) => a.tensor), Object.keys(ELEMENTS));
  for (const a of report.agreement) {
    assert.equal(a.samples, DIAGNOSTIC);
    assert.equal(a.elements, DIAGNOSTIC * ELEMENTS[a.tensor]);
    assert.equal(a.counts[0] + a.counts[1] + a.counts[2], a.elements);
    assert.ok(a.maxLsb >= 0 && (a.maxLsb === 0) === (a.counts[0] === a.elements));
  }
  assert.deepEqual(report.floatNodes, []);
  assert.deepEqual(report.sizes, summary.sizes);
});

test('the report model is plain JSON', () => {
  assert.deepEqual(JSON.parse(JSON.stringify(report)), report);
});

test('with saved statistics, the pictures are computed from them: the same calibration gives the same pictures', () => {
  const json = summaryToJSON(summary);
  const fromStatistics = buildReport({ ...json, distributions: [] }, { model: 'mnist-8.onnx', statistics: job.result.calibration });
  assert.deepEqual(fromStatistics.distributions, report.distributions);
  assert.deepEqual(buildReport({ ...json, distributions: [] }).distributions, []);
});
