import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseNpy, parseNpyHeader } from '../../src/data/npy.ts';
import { DataError } from '../../src/errors.ts';
import { npyBytes } from './npy-fixture.ts';

test('float32 little-endian .npy', () => {
  const values = new Float32Array([1.5, -2, 3.25, 0, 7, 8]);
  const { header, data } = parseNpy(npyBytes('<f4', [2, 3], new Uint8Array(values.buffer)));
  assert.deepEqual(header.shape, [2, 3]);
  assert.equal(header.type, 'float32');
  assert.equal(header.dataOffset % 64, 0);
  assert.deepEqual([...data], [1.5, -2, 3.25, 0, 7, 8]);
});

test('uint8, int64 and big-endian float64 .npy', () => {
  assert.deepEqual([...parseNpy(npyBytes('|u1', [3], new Uint8Array([0, 128, 255]))).data], [0, 128, 255]);
  const i64 = new BigInt64Array([-3n, 9n]);
  assert.deepEqual([...parseNpy(npyBytes('<i8', [2], new Uint8Array(i64.buffer))).data], [-3, 9]);
  const be = new Uint8Array(8);
  new DataView(be.buffer).setFloat64(0, -0.125, false);
  assert.deepEqual([...parseNpy(npyBytes('>f8', [1], be)).data], [-0.125]);
});

test('bad .npy input gives DataError', () => {
  assert.throws(() => parseNpyHeader(new Uint8Array(20), 'a.npy'), (e) => e instanceof DataError && /a\.npy.*magic/.test(e.message));
  assert.throws(() => parseNpy(npyBytes('<c8', [1], new Uint8Array(8))), (e) => e instanceof DataError && /dtype/.test(e.message));
  assert.throws(() => parseNpy(npyBytes('<f4', [4], new Uint8Array(8))), (e) => e instanceof DataError && /truncated/.test(e.message));
  const fortran = npyBytes('<f4', [1], new Uint8Array(4));
  const text = new TextDecoder('latin1').decode(fortran).replace("'fortran_order': False", "'fortran_order': True ");
  assert.throws(() => parseNpy(Uint8Array.from(text, (c) => c.charCodeAt(0))), (e) => e instanceof DataError && /Fortran/.test(e.message));
});

test('a header claiming more elements than the file holds is refused before anything is allocated (found by review)', () => {
  // 2^40 float64 elements would be an 8 TiB allocation (a RangeError, not a DataError) before this check.
  for (const shape of [[2 ** 40], [2 ** 20, 2 ** 20]]) {
    assert.throws(() => parseNpy(npyBytes('<f8', shape, new Uint8Array(16))), (e) => e instanceof DataError && /needs \d+ bytes of data, the file has 16/.test(e.message));
  }
});
