import { test } from 'node:test';
import assert from 'node:assert/strict';
import { col2im, im2col, im2colRows } from '../../../../src/runtime/kernels/float/im2col.ts';
import type { Window } from '../../../../src/runtime/kernels/float/window.ts';
import { randomArray, randomInt, rng } from '../../helpers.ts';

function randomWindow(random: () => number): Window {
  const kernel = [randomInt(random, 1, 2), randomInt(random, 1, 3), randomInt(random, 1, 3)];
  const strides = [randomInt(random, 1, 2), randomInt(random, 1, 3), randomInt(random, 1, 3)];
  const dilations = [randomInt(random, 1, 2), randomInt(random, 1, 2), randomInt(random, 1, 2)];
  const padBegin = [randomInt(random, 0, 2), randomInt(random, 0, 2), randomInt(random, 0, 2)];
  const padEnd = [randomInt(random, 0, 2), randomInt(random, 0, 2), randomInt(random, 0, 2)];
  const input = kernel.map((k, a) => dilations[a] * (k - 1) + 1 + randomInt(random, 0, 4));
  const output = input.map((n, a) => Math.floor((n + padBegin[a] + padEnd[a] - dilations[a] * (kernel[a] - 1) - 1) / strides[a]) + 1);
  return { spatialRank: 3, input, output, kernel, strides, dilations, padBegin, padEnd };
}

test('im2col puts input[c, o·s + k·d − p] (or 0 in the padding) at row (c, k), column o', () => {
  const random = rng(17);
  for (let t = 0; t < 30; t++) {
    const w = randomWindow(random);
    const channels = randomInt(random, 1, 3);
    const [iD, iH, iW] = w.input;
    const [oD, oH, oW] = w.output;
    const [kD, kH, kW] = w.kernel;
    const image = Float32Array.from(randomArray(channels * iD * iH * iW + 3, random));
    const offset = 3;
    const col = new Float32Array(im2colRows(channels, w) * oD * oH * oW).fill(NaN);
    im2col(image, offset, channels, w, col);
    let i = 0;
    for (let c = 0; c < channels; c++)
      for (let kd = 0; kd < kD; kd++)
        for (let kh = 0; kh < kH; kh++)
          for (let kw = 0; kw < kW; kw++)
            for (let od = 0; od < oD; od++)
              for (let oh = 0; oh < oH; oh++)
                for (let ow = 0; ow < oW; ow++) {
                  const d = od * w.strides[0] + kd * w.dilations[0] - w.padBegin[0];
                  const h = oh * w.strides[1] + kh * w.dilations[1] - w.padBegin[1];
                  const x = ow * w.strides[2] + kw * w.dilations[2] - w.padBegin[2];
                  const inside = d >= 0 && h >= 0 && x >= 0 && d < iD && h < iH && x < iW;
                  assert.equal(col[i++], inside ? image[offset + ((c * iD + d) * iH + h) * iW + x] : 0, `window ${JSON.stringify(w)}, element ${i - 1}`);
                }
  }
});

test('col2im is the adjoint of im2col: <im2col(x), y> = <x, col2im(y)>', () => {
  const random = rng(23);
  for (let t = 0; t < 30; t++) {
    const w = randomWindow(random);
    const channels = randomInt(random, 1, 3);
    const imageSize = channels * w.input.reduce((p, q) => p * q, 1);
    const colSize = im2colRows(channels, w) * w.output.reduce((p, q) => p * q, 1);
    const x = randomArray(imageSize, random);
    const y = randomArray(colSize, random);
    const cols = new Float64Array(colSize);
    im2col(x, 0, channels, w, cols);
    // col2im maps columns over window.input onto an image of window.output: swap the roles.
    const swapped: Window = { ...w, input: w.output, output: w.input };
    const back = new Float64Array(imageSize);
    col2im(y, channels, swapped, back, 0);
    const left = cols.reduce((s, v, i) => s + v * y[i], 0);
    const right = back.reduce((s, v, i) => s + v * x[i], 0);
    assert.ok(Math.abs(left - right) <= 1e-9 * (1 + Math.abs(left)), `window ${JSON.stringify(w)}: ${left} vs ${right}`);
  }
});
