// Golden tests: the worked numbers of the seed lecture (/work/shared/seed/quantization-lecture.txt,
// "EXAMPLE OF QUANTIZATION BIAS", "MATRIX MULTIPLY EXAMPLE", "REQUANTIZE"), each computed by the
// library. The lecture's "scale" is the multiplier r → q, i.e. 1/s in ONNX terms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { paramsFromRange, paramsForBias, createParams } from '../../src/quant/params.ts';
import type { QuantParams } from '../../src/quant/params.ts';
import { quantize, dequantize } from '../../src/quant/quantize.ts';
import { requantize, requantizeMultipliers } from '../../src/quant/requantize.ts';

/** Integer matrix product (M×K)·(K×N) with an int32 accumulator, as the integer runtime does. */
function matmulInt32(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number): Int32Array {
  const out = new Int32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let t = 0; t < k; t++) acc = (acc + a[i * k + t] * b[t * n + j]) | 0;
      out[i * n + j] = acc;
    }
  }
  return out;
}

function sameParams(a: QuantParams, b: QuantParams): void {
  assert.deepEqual([a.scale, a.zeroPoint, a.qmin, a.qmax], [b.scale, b.zeroPoint, b.qmin, b.qmax]);
}

const A = Float32Array.of(-2.2, -1.1, 1.1, 2.2);
const B = Float32Array.of(0.5, 0.3, 0.3, 0.5);

test('bias example, full range [−128, 127]: A·B = 0 becomes −127, dequantized −0.00853', () => {
  const pA = paramsFromRange(-2.2, 2.2, { bits: 8, scheme: 'symmetric-full' });
  const pB = paramsFromRange(0.3, 0.5, { bits: 8, scheme: 'symmetric-full' });
  // the lecture's s_A = 128/2.2, s_B = 128/0.5 (multipliers r → q)
  sameParams(pA, createParams({ scale: 1 / (128 / 2.2), bits: 8, signed: true, scheme: 'symmetric-full' }));
  sameParams(pB, createParams({ scale: 1 / (128 / 0.5), bits: 8, signed: true, scheme: 'symmetric-full' }));
  const qA = quantize(A, [1, 4], pA);
  const qB = quantize(B, [4, 1], pB);
  assert.deepEqual([...qA], [-128, -64, 64, 127]);
  assert.deepEqual([...qB], [127, 77, 77, 127]); // 0.5 lands on 128 and saturates
  const acc = matmulInt32(qA, qB, 1, 4, 1);
  assert.deepEqual([...acc], [-127]);
  const r = dequantize(acc, [1], paramsForBias(pA.scale[0], pB.scale[0]));
  assert.equal(Math.round(r[0] * 1e5) / 1e5, -0.00853);
});

test('bias example, restricted range [−127, 127]: exactly 0', () => {
  const pA = paramsFromRange(-2.2, 2.2, { bits: 8, scheme: 'symmetric' });
  const pB = paramsFromRange(0.3, 0.5, { bits: 8, scheme: 'symmetric' });
  sameParams(pA, createParams({ scale: 1 / (127 / 2.2), bits: 8, signed: true, scheme: 'symmetric' }));
  sameParams(pB, createParams({ scale: 1 / (127 / 0.5), bits: 8, signed: true, scheme: 'symmetric' }));
  const qA = quantize(A, [1, 4], pA);
  const qB = quantize(B, [4, 1], pB);
  assert.deepEqual([...qA], [-127, -64, 64, 127]);
  assert.deepEqual([...qB], [127, 76, 76, 127]);
  const acc = matmulInt32(qA, qB, 1, 4, 1);
  assert.deepEqual([...acc], [0]);
  assert.deepEqual([...dequantize(acc, [1], paramsForBias(pA.scale[0], pB.scale[0]))], [0]);
});

const MA = Float32Array.of(-1.54, 0.22, -0.26, 0.65); // 2×2
const MB = Float32Array.of(0.35, -0.51); // 2×1

test('matrix example: quantized with scales 63.5 and 127, int32 product, dequantized', () => {
  const pA = paramsFromRange(-2, 2, { bits: 8, scheme: 'symmetric' });
  const pB = paramsFromRange(-1, 1, { bits: 8, scheme: 'symmetric' });
  sameParams(pA, createParams({ scale: 1 / 63.5, bits: 8, signed: true, scheme: 'symmetric' }));
  sameParams(pB, createParams({ scale: 1 / 127, bits: 8, signed: true, scheme: 'symmetric' }));
  const qA = quantize(MA, [2, 2], pA);
  const qB = quantize(MB, [2, 1], pB);
  assert.deepEqual([...qA], [-98, 14, -17, 41]);
  assert.deepEqual([...qB], [44, -65]);
  const acc = matmulInt32(qA, qB, 2, 2, 1);
  assert.deepEqual([...acc], [-5222, -3413]);
  // overall scale 63.5·127 (the accumulator's s = s_A·s_B, the bias scale of eq. (13))
  const r = dequantize(acc, [2], paramsForBias(pA.scale[0], pB.scale[0]));
  assert.deepEqual([...r].map((v) => Math.round(v * 1000) / 1000), [-0.648, -0.423]);
  // the float product, for comparison
  const exact = [MA[0] * MB[0] + MA[1] * MB[1], MA[2] * MB[0] + MA[3] * MB[1]];
  assert.deepEqual(exact.map((v) => Math.round(v * 1e4) / 1e4), [-0.6512, -0.4225]);
});

test('requantize to the range [−3, 3] (scale 127/3) through the fixed-point path: [−27, −18]', () => {
  const pA = paramsFromRange(-2, 2, { bits: 8, scheme: 'symmetric' });
  const pB = paramsFromRange(-1, 1, { bits: 8, scheme: 'symmetric' });
  const pOut = paramsFromRange(-3, 3, { bits: 8, scheme: 'symmetric' });
  sameParams(pOut, createParams({ scale: 3 / 127, bits: 8, signed: true, scheme: 'symmetric' }));
  const acc = matmulInt32(quantize(MA, [2, 2], pA), quantize(MB, [2, 1], pB), 2, 2, 1);
  const m = requantizeMultipliers(pA.scale[0], pB.scale[0], pOut.scale[0]);
  // M = (2/127)(1/127)/(3/127) = 2/381 ≈ 0.00525 = M0·2^(shift − 31)
  assert.equal(m.shift[0], -7);
  assert.ok(Math.abs(m.multiplier[0] * 2 ** (m.shift[0] - 31) - 2 / 381) < 1e-9);
  assert.deepEqual([...requantize(acc, [2], m, pOut)], [-27, -18]);
  // quantizing the float product instead would give −28: −0.6512·127/3 = −27.57
  assert.deepEqual([...quantize(Float32Array.of(-0.6512, -0.4225), [2], pOut)], [-28, -18]);
});
