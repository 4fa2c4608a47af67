import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError, UnsupportedOpError } from '../../../../src/errors.ts';
import type { DType } from '../../../../src/ir/dtype.ts';
import type { Attribute } from '../../../../src/ir/graph.ts';
import type { Tensor } from '../../../../src/ir/tensor.ts';
import { poolWindow } from '../../../../src/runtime/kernels/float/window.ts';
import { averageScale } from '../../../../src/runtime/kernels/integer/average.ts';
import { qlinearAveragePoolImpl, windowCounts } from '../../../../src/runtime/kernels/integer/qlinear-pool.ts';
import { qlinearAveragePoolReference } from '../../../../src/runtime/kernels/integer/qlinear-pool-reference.ts';
import { int, ints, make, Rng, size, str } from '../float/kernel-test-utils.ts';
import { randomInts } from '../quant/conv-test-utils.ts';
import { assertMostlyIdentical, assertNodeError, clamp, compareWithExact, compareWithOrt, integerNode, rint, runInOrt, runInteger, runNode, type OrtComparison } from './integer-test-utils.ts';

const RANGE: Record<string, [number, number]> = { int8: [-128, 127], uint8: [0, 255] };
const DOMAIN = 'com.microsoft';

interface PoolCase {
  readonly shape: number[];
  readonly kernel: number[];
  readonly strides: number[];
  readonly pads: number[];
  readonly ceil: boolean;
  readonly includePad: boolean;
}

function randomPool(rng: Rng, rank = rng.int(1, 3)): PoolCase {
  const kernel = Array.from({ length: rank }, () => rng.int(1, 3));
  const pads = [...kernel, ...kernel].map((k) => rng.int(0, k - 1));
  const spatial = kernel.map((k) => k + rng.int(0, rank === 3 ? 3 : 6));
  return {
    shape: [rng.int(1, 2), rng.int(1, 3), ...spatial],
    kernel,
    strides: Array.from({ length: rank }, () => rng.int(1, 3)),
    pads,
    ceil: rng.int(0, 2) === 0,
    includePad: rng.int(0, 1) === 1,
  };
}

function attributes(p: PoolCase): Record<string, Attribute> {
  return { kernel_shape: ints(p.kernel), strides: ints(p.strides), pads: ints(p.pads), ceil_mode: int(p.ceil ? 1 : 0), count_include_pad: int(p.includePad ? 1 : 0) };
}

/** Output size per axis from the AveragePool operator doc: floor or ceil, a last window must start inside input + begin pad. */
function outputShape(p: PoolCase): number[] {
  const rank = p.kernel.length;
  return p.shape.slice(2).map((d, a) => {
    const span = d + p.pads[a] + p.pads[a + rank] - p.kernel[a];
    let out = (p.ceil ? Math.ceil(span / p.strides[a]) : Math.floor(span / p.strides[a])) + 1;
    if (p.ceil && (out - 1) * p.strides[a] >= d + p.pads[a]) out--;
    return out;
  });
}

/** Σ (x − z_x) and the count of each window, by multi-indices. */
function plainPool(p: PoolCase, x: readonly number[], xZero: number): { sums: number[]; counts: number[] } {
  const rank = p.kernel.length;
  const spatial = p.shape.slice(2);
  const out = outputShape(p);
  const sums: number[] = [];
  const counts: number[] = [];
  for (let plane = 0; plane < p.shape[0] * p.shape[1]; plane++) {
    for (let flat = 0; flat < size(out); flat++) {
      const o = out.map((_, a) => Math.floor(flat / size(out.slice(a + 1))) % out[a]);
      let sum = 0;
      let inside = 0;
      let padded = 0;
      for (let tap = 0; tap < size(p.kernel); tap++) {
        const k = p.kernel.map((_, a) => Math.floor(tap / size(p.kernel.slice(a + 1))) % p.kernel[a]);
        const pos = o.map((oi, a) => oi * p.strides[a] + k[a] - p.pads[a]);
        if (pos.every((v, a) => v < spatial[a] + p.pads[a + rank])) padded++;
        if (!pos.every((v, a) => v >= 0 && v < spatial[a])) continue;
        inside++;
        sum += x[plane * size(spatial) + pos.reduce((f, v, a) => f * spatial[a] + v, 0)] - xZero;
      }
      sums.push(sum);
      counts.push(p.includePad ? padded : inside);
    }
  }
  return { sums, counts };
}

/** Inputs of a random pooling, the exact outputs (float64) and the plain quotients sum / count. */
function poolInputs(rng: Rng, p: PoolCase, dtype: DType, sameScale: boolean): { inputs: Tensor[]; exact: number[]; quotients: number[] } {
  const x = randomInts(rng, dtype, size(p.shape));
  const [xZero, yZero] = randomInts(rng, dtype, 2);
  const xScale = Math.fround(0.01 + 0.1 * rng.uniform());
  const yScale = sameScale ? xScale : Math.fround(xScale * (0.5 + rng.uniform()));
  const { sums, counts } = plainPool(p, x, xZero);
  const exact = sums.map((s, i) => (xScale * (s / counts[i])) / yScale + yZero);
  const quotients = sums.map((s, i) => s / counts[i]);
  return { inputs: [make(dtype, p.shape, x), make('float32', [], [xScale]), make(dtype, [], [xZero]), make('float32', [], [yScale]), make(dtype, [], [yZero])], exact, quotients };
}

test('QLinearAveragePool: tap-range loops equal the tap-by-tap reference exactly (1-D to 3-D, pads, strides, ceil_mode, count_include_pad)', () => {
  const rng = new Rng(0xd1);
  for (let trial = 0; trial < 60; trial++) {
    const p = randomPool(rng);
    const dtype: DType = trial % 2 === 0 ? 'int8' : 'uint8';
    const { inputs } = poolInputs(rng, p, dtype, trial % 3 === 0);
    const node = integerNode('QLinearAveragePool', DOMAIN, attributes(p));
    const window = poolWindow(node, p.shape.slice(2));
    const [x, xScale, xZero, yScale, yZero] = inputs;
    const scale = averageScale(xScale.data[0], yScale.data[0], yZero.data[0], ...RANGE[dtype], windowCounts(window, p.includePad));
    const planes = p.shape[0] * p.shape[1];
    const length = planes * size(outputShape(p));
    const fast = dtype === 'int8' ? new Int8Array(length) : new Uint8Array(length);
    const reference = fast.slice();
    qlinearAveragePoolImpl(x.data as Int8Array, xZero.data[0], planes, window, p.includePad, scale, fast);
    qlinearAveragePoolReference(x.data as Int8Array, xZero.data[0], planes, window, p.includePad, scale, reference);
    assert.deepEqual(fast, reference, `trial ${trial}: ${JSON.stringify(p)}`);
    const y = runNode(node, inputs);
    assert.deepEqual([...y.shape], [...p.shape.slice(0, 2), ...outputShape(p)], `trial ${trial} shape`);
    assert.deepEqual(y.data, reference, `trial ${trial} through the kernel`);
  }
});

test('QLinearAveragePool is float64 math rounded; equal scales divide exactly with ties to even', (t: TestContext) => {
  const rng = new Rng(0xd2);
  let total = 0;
  let differing = 0;
  let ties = 0;
  for (let trial = 0; trial < 40; trial++) {
    const p = randomPool(rng);
    const dtype: DType = trial % 2 === 0 ? 'int8' : 'uint8';
    const sameScale = trial % 2 === 1;
    const { inputs, exact, quotients } = poolInputs(rng, p, dtype, sameScale);
    const y = runInteger('QLinearAveragePool', inputs, attributes(p), DOMAIN);
    if (sameScale) {
      // z_y + sum / count exactly, ties to even: equal everywhere, ties included
      const [qmin, qmax] = RANGE[dtype];
      const yZero = inputs[4].data[0];
      Array.from(y.data).forEach((v, i) => assert.equal(v, clamp(rint(quotients[i]) + yZero, qmin, qmax), `trial ${trial} element ${i}`));
      ties += quotients.filter((e) => e - Math.floor(e) === 0.5).length;
    } else {
      const c = compareWithExact(y.data, exact, ...RANGE[dtype], `trial ${trial}`);
      differing += c.differing;
    }
    total += exact.length;
  }
  t.diagnostic(`QLinearAveragePool vs float64: ${total} outputs, ${differing} differ from the rounded exact value; ${ties} exact ties (equal scales) rounded to even`);
  assert.ok(ties > 0, 'the equal-scale cases contain exact ties');
});

test('QLinearGlobalAveragePool, channels first and channels last, equals the rounded float64 mean', (t: TestContext) => {
  const rng = new Rng(0xd3);
  let total = 0;
  let differing = 0;
  let nearTies = 0;
  for (let trial = 0; trial < 12; trial++) {
    const channelsLast = trial % 2 === 1;
    const dtype: DType = trial % 3 === 0 ? 'int8' : 'uint8';
    const spatial = Array.from({ length: rng.int(1, 3) }, () => rng.int(1, 6));
    const [batch, channels] = [rng.int(1, 2), rng.int(1, 30)];
    const shape = channelsLast ? [batch, ...spatial, channels] : [batch, channels, ...spatial];
    const x = randomInts(rng, dtype, size(shape));
    const [xZero, yZero] = randomInts(rng, dtype, 2);
    const xScale = Math.fround(0.02 + 0.1 * rng.uniform());
    const yScale = trial % 4 < 2 ? xScale : Math.fround(xScale * (0.3 + rng.uniform()));
    const y = runInteger('QLinearGlobalAveragePool', [make(dtype, shape, x), make('float32', [], [xScale]), make(dtype, [], [xZero]), make('float32', [], [yScale]), make(dtype, [], [yZero])], { channels_last: int(channelsLast ? 1 : 0) }, DOMAIN);
    const plane = size(spatial);
    const exact: number[] = [];
    for (let n = 0; n < batch; n++) {
      for (let c = 0; c < channels; c++) {
        let sum = 0;
        for (let e = 0; e < plane; e++) sum += x[channelsLast ? (n * plane + e) * channels + c : (n * channels + c) * plane + e] - xZero;
        // equal scales: the quotient itself (its ties are exact), else through the scales
        exact.push(yScale === xScale ? sum / plane + yZero : (xScale * (sum / plane)) / yScale + yZero);
      }
    }
    assert.deepEqual([...y.shape], channelsLast ? [batch, ...spatial.map(() => 1), channels] : [batch, channels, ...spatial.map(() => 1)]);
    const c = compareWithExact(y.data, exact, ...RANGE[dtype], `trial ${trial}`);
    // round half to even, then the zero point (eq. (2))
    if (yScale === xScale) Array.from(y.data).forEach((v, i) => assert.equal(v, clamp(rint(exact[i] - yZero) + yZero, ...RANGE[dtype]), `trial ${trial} element ${i}: ties to even`));
    total += c.total;
    differing += c.differing;
    nearTies += c.nearTies;
  }
  t.diagnostic(`QLinearGlobalAveragePool vs float64: ${total} outputs, ${differing} differ from the exact value rounded after the zero point, all of them among the ${nearTies} exact ties`);
});

test('QLinearAveragePool / QLinearGlobalAveragePool agree with onnxruntime-node: within 1 LSB, identical on ≥ 99%', async (t: TestContext) => {
  const rng = new Rng(0xd4);
  const counts: OrtComparison[] = [];
  let sameScaleTotal = 0;
  let tieDifferences = 0;
  for (let trial = 0; trial < 12; trial++) {
    const dtype: DType = trial % 2 === 0 ? 'uint8' : 'int8';
    const global = trial >= 8;
    const sameScale = trial % 4 === 0;
    // Not ceil_mode with count_include_pad together: there onnxruntime's QLinearAveragePool divides by
    // the whole kernel, also for taps beyond the end padding, unlike its own (and ONNX's) AveragePool,
    // which this kernel follows.
    const p: PoolCase = global
      ? { shape: [3, 40, 7, 9], kernel: [7, 9], strides: [1, 1], pads: [0, 0, 0, 0], ceil: false, includePad: false }
      : { shape: [2, 6, 14, 13], kernel: [2 + (trial % 2), 3], strides: [1 + (trial % 2), 2], pads: trial % 4 < 2 ? [0, 0, 0, 0] : [1, 1, 1, 0], ceil: [1, 4, 6].includes(trial), includePad: [3, 7].includes(trial) };
    const { inputs, quotients } = poolInputs(rng, p, dtype, sameScale);
    const y = global ? runInteger('QLinearGlobalAveragePool', inputs, {}, DOMAIN) : runInteger('QLinearAveragePool', inputs, attributes(p), DOMAIN);
    const attrs: Record<string, number | number[]> = global ? {} : { kernel_shape: p.kernel, strides: p.strides, pads: p.pads, ceil_mode: p.ceil ? 1 : 0, count_include_pad: p.includePad ? 1 : 0 };
    const ort = await runInOrt(global ? 'QLinearGlobalAveragePool' : 'QLinearAveragePool', DOMAIN, inputs, attrs, dtype);
    const c = compareWithOrt(y, ort, `trial ${trial}`);
    if (!sameScale) {
      counts.push(c);
      continue;
    }
    // Equal scales: sum / count may be an exact tie k + ½, which this kernel rounds to even and
    // onnxruntime's float32 arithmetic either way. Every difference must be such a tie.
    sameScaleTotal += c.total;
    Array.from(y.data).forEach((v, i) => {
      if (v === ort.data[i]) return;
      tieDifferences++;
      assert.equal(quotients[i] - Math.floor(quotients[i]), 0.5, `trial ${trial} element ${i}: ${v} vs onnxruntime ${ort.data[i]} is not at a tie`);
    });
  }
  const { total, identical } = assertMostlyIdentical(counts, 'QLinear pools');
  t.diagnostic(`QLinear pools vs onnxruntime, different scales: ${identical} of ${total} identical; equal scales: ${sameScaleTotal - tieDifferences} of ${sameScaleTotal} identical, the ${tieDifferences} others exact ties`);
});

test('QLinear pools reject bad inputs with typed errors naming the node', () => {
  const x = make('uint8', [1, 2, 4, 4], new Array(32).fill(7));
  const inputs = [x, make('float32', [], [0.1]), make('uint8', [], [3]), make('float32', [], [0.2]), make('uint8', [], [1])];
  const pool = { kernel_shape: ints([2, 2]) };
  const withInput = (i: number, value: Tensor): Tensor[] => inputs.map((t, j) => (j === i ? value : t));
  assertNodeError(() => runInteger('QLinearAveragePool', withInput(2, make('int8', [], [3])), pool, DOMAIN), ShapeError, /x_zero_point is int8 but X is uint8/);
  assertNodeError(() => runInteger('QLinearAveragePool', withInput(3, make('float32', [2], [0.2, 0.2])), pool, DOMAIN), ShapeError, /y_scale has shape \[2\].*per tensor/);
  assertNodeError(() => runInteger('QLinearAveragePool', inputs.slice(0, 3), pool, DOMAIN), ShapeError, /expects 4 to 5 inputs, got 3/);
  assertNodeError(() => runInteger('QLinearAveragePool', inputs, { ...pool, channels_last: int(1) }, DOMAIN), UnsupportedOpError, /channels_last/);
  assertNodeError(() => runInteger('QLinearAveragePool', inputs, { ...pool, auto_pad: str('NOPE') }, DOMAIN), ShapeError, /auto_pad/);
  assertNodeError(() => runInteger('QLinearGlobalAveragePool', inputs.slice(0, 4), {}, DOMAIN), ShapeError, /expects 5 inputs, got 4/);
  assertNodeError(() => runInteger('QLinearGlobalAveragePool', withInput(0, make('uint8', [2, 3], [1, 2, 3, 4, 5, 6])), {}, DOMAIN), ShapeError, /pooling needs N × C × spatial/);
});
