import { test } from 'node:test';
import assert from 'node:assert/strict';
import { erf } from '../../../../src/runtime/kernels/float/erf.ts';

// erf to 17 significant digits (Python's math.erf, which is correctly rounded for these inputs).
const TABLE: [number, number][] = [
  [1e-10, 1.1283791670955126e-10],
  [0.1, 0.1124629160182849],
  [0.5, 0.5204998778130465],
  [1, 0.8427007929497149],
  [1.5, 0.9661051464753108],
  [2, 0.9953222650189527],
  [2.4999, 0.9995928300996666],
  [2.5, 0.999593047982555],
  [3, 0.9999779095030014],
  [4, 0.9999999845827421],
  [5.5, 0.9999999999999927],
];

test('erf matches reference values to ~1e-15 across both expansions', () => {
  for (const [x, want] of TABLE) {
    assert.ok(Math.abs(erf(x) - want) <= 2e-16 + 1e-15 * Math.abs(want), `erf(${x}) = ${erf(x)}, want ${want}`);
    assert.ok(Math.abs(erf(-x) + want) <= 2e-16 + 1e-15 * Math.abs(want), `erf(${-x})`);
  }
});

test('erf special values', () => {
  assert.ok(Object.is(erf(0), 0));
  assert.ok(Object.is(erf(-0), -0));
  assert.equal(erf(6), 1);
  assert.equal(erf(-40), -1);
  assert.equal(erf(Infinity), 1);
  assert.equal(erf(-Infinity), -1);
  assert.ok(Number.isNaN(erf(NaN)));
});
