import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RangeArgumentError, UnsupportedOpError } from '../../../../src/errors.ts';
import { Rng, make, size } from '../float/kernel-test-utils.ts';
import { assertNodeError, clampTo, rint, run, runInOrt } from './quant-test-utils.ts';

/** The spec's formulas, step by step in float32. */
function expected(x: readonly number[]): { y: number[]; scale: number; zeroPoint: number } {
  const rmax = Math.max(0, ...x);
  const rmin = Math.min(0, ...x);
  const scale = rmax === rmin ? 1 : Math.fround(Math.fround(rmax - rmin) / 255);
  const zeroPoint = rint(Math.min(255, Math.max(0, Math.fround(-Math.fround(rmin / scale)))));
  return { y: x.map((v) => clampTo('uint8', rint(Math.fround(v / scale)) + zeroPoint)), scale, zeroPoint };
}

test('DynamicQuantizeLinear follows the spec formulas on random tensors, ranges widened to contain 0', () => {
  const rng = new Rng(0xdd);
  for (let trial = 0; trial < 30; trial++) {
    const shape = rng.shape(rng.int(1, 3), 1, 6);
    // shifted ranges: all positive, all negative or straddling 0
    const shift = [0, 5, -5][rng.int(0, 2)];
    const x = Array.from({ length: size(shape) }, () => Math.fround(shift + (rng.uniform() * 2 - 1) * 4));
    const [y, scale, zeroPoint] = run('DynamicQuantizeLinear', [make('float32', shape, x)], {}, 3);
    const e = expected(x);
    assert.equal(y.dtype, 'uint8');
    assert.deepEqual([...y.shape], shape);
    assert.deepEqual(Array.from(y.data), e.y, `trial ${trial}`);
    assert.equal(scale.dtype, 'float32');
    assert.deepEqual([...scale.shape], []);
    assert.equal(scale.data[0], e.scale);
    assert.equal(zeroPoint.dtype, 'uint8');
    assert.equal(zeroPoint.data[0], e.zeroPoint);
  }
});

test('all-zero input: scale 1, zero point 0 (the reference; the function body would divide 0 by 0)', () => {
  const [y, scale, zeroPoint] = run('DynamicQuantizeLinear', [make('float32', [3], [0, 0, 0])], {}, 3);
  assert.deepEqual(Array.from(y.data), [0, 0, 0]);
  assert.equal(scale.data[0], 1);
  assert.equal(zeroPoint.data[0], 0);
});

test('DynamicQuantizeLinear agrees with onnxruntime-node on random inputs', async () => {
  const rng = new Rng(0xde);
  for (let trial = 0; trial < 5; trial++) {
    const x = make('float32', [3, 7], Array.from({ length: 21 }, () => (rng.uniform() * 2 - 0.7) * 10));
    const [y, scale, zeroPoint] = run('DynamicQuantizeLinear', [x], {}, 3);
    const [oy, oscale, ozero] = await runInOrt('DynamicQuantizeLinear', [x], {}, ['uint8', 'float32', 'uint8']);
    assert.deepEqual(Array.from(y.data), oy.data, `trial ${trial} y`);
    assert.equal(scale.data[0], oscale.data[0]);
    assert.equal(zeroPoint.data[0], ozero.data[0]);
  }
});

test('bad inputs are typed errors naming the node', () => {
  assertNodeError(() => run('DynamicQuantizeLinear', [make('float32', [2], [1, Infinity])], {}, 3), RangeArgumentError, /element 1 is Infinity/);
  assertNodeError(() => run('DynamicQuantizeLinear', [make('float16', [1], [1])], {}, 3), UnsupportedOpError, /x of type float16/);
});
