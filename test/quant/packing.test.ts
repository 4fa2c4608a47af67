import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { packSubByte, unpackSubByte, packedByteLength } from '../../src/quant/packing.ts';
import { RangeArgumentError } from '../../src/errors.ts';
import { readFixtureTensor, packedBytes, elementCount } from './onnx-fixture.ts';

// Bytes derived by hand from the ONNX IR spec: element 0 in the lowest bits, two's complement
// fields, the unused bits of the last byte zero.
test('int4 [1, -2, 3] packs to 0xE1 0x03 (low nibble first, tail padded)', () => {
  assert.deepEqual([...packSubByte(Int8Array.from([1, -2, 3]), 4)], [0xe1, 0x03]);
  assert.deepEqual([...unpackSubByte(Uint8Array.from([0xe1, 0x03]), 3, 4, true)], [1, -2, 3]);
});

test('uint4 [15, 0, 9, 6] packs to 0x0F 0x69', () => {
  assert.deepEqual([...packSubByte(Uint8Array.from([15, 0, 9, 6]), 4)], [0x0f, 0x69]);
  assert.deepEqual([...unpackSubByte(Uint8Array.from([0x0f, 0x69]), 4, 4, false)], [15, 0, 9, 6]);
});

test('int2 [1, -2, 0, -1, 1] packs to 0xC9 0x01 (lowest 2 bits first)', () => {
  // 0b11_00_10_01 = 0xC9, then 0b01
  assert.deepEqual([...packSubByte(Int8Array.from([1, -2, 0, -1, 1]), 2)], [0xc9, 0x01]);
  assert.deepEqual([...unpackSubByte(Uint8Array.from([0xc9, 0x01]), 5, 2, true)], [1, -2, 0, -1, 1]);
});

test('the same byte reads differently signed and unsigned', () => {
  assert.deepEqual([...unpackSubByte(Uint8Array.from([0x8f]), 2, 4, true)], [-1, -8]);
  assert.deepEqual([...unpackSubByte(Uint8Array.from([0x8f]), 2, 4, false)], [15, 8]);
  assert.deepEqual([...unpackSubByte(Uint8Array.from([0xe4]), 4, 2, true)], [0, 1, -2, -1]);
  assert.deepEqual([...unpackSubByte(Uint8Array.from([0xe4]), 4, 2, false)], [0, 1, 2, 3]);
});

// Expected element values worked by hand from each test's inputs (x, per-row scales [2, 3, 4] on
// axis 0, the given zero point) with y = saturate(round_half_even(x / s) + z).
const FIXTURES: { test: string; bits: 2 | 4; signed: boolean; values: number[] }[] = [
  { test: 'test_quantizelinear_int4', bits: 4, signed: true, values: [1, 2, 3, 5, -8, -6, 3, 4, 4, 5, 5, 7] },
  { test: 'test_quantizelinear_uint4', bits: 4, signed: false, values: [1, 2, 3, 5, 0, 0, 3, 4, 4, 5, 5, 11] },
  { test: 'test_quantizelinear_int2', bits: 2, signed: true, values: [0, 1, 1, 1, -1, -1, 0, 1, 0, -1, -1, -2] },
  { test: 'test_quantizelinear_uint2', bits: 2, signed: false, values: [0, 1, 2, 3, 0, 0, 0, 1, 1, 1, 2, 2] },
  // DequantizeLinear input: x = [0, 1, 7, -4, -8] (its expected output is [-2, 0, 12, -10, -18] with z = 1, s = 2).
  { test: 'test_dequantizelinear_int4', bits: 4, signed: true, values: [0, 1, 7, -4, -8] },
];

for (const f of FIXTURES) {
  test(`${f.test}: bytes of the ONNX conformance data`, () => {
    const tensor = readFixtureTensor(f.test, f.test.startsWith('test_quantize') ? 'output_0' : 'input_0');
    const bytes = packedBytes(tensor);
    const count = elementCount(tensor);
    assert.equal(count, f.values.length);
    const values = f.signed ? Int8Array.from(f.values) : Uint8Array.from(f.values);
    assert.deepEqual([...packSubByte(values, f.bits)], [...bytes]);
    assert.deepEqual([...unpackSubByte(bytes, count, f.bits, f.signed)], f.values);
  });
}

test('round trip for random values of any length, both widths and signednesses', () => {
  fc.assert(
    fc.property(
      fc.constantFrom<2 | 4>(2, 4),
      fc.boolean(),
      fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 41 }),
      (bits, signed, raw) => {
        const span = 1 << bits;
        const lo = signed ? -(span >> 1) : 0;
        const ints = raw.map((r) => lo + (r % span));
        const values = signed ? Int8Array.from(ints) : Uint8Array.from(ints);
        const packed = packSubByte(values, bits);
        assert.equal(packed.length, Math.ceil((ints.length * bits) / 8));
        assert.equal(packedByteLength(ints.length, bits), packed.length);
        assert.deepEqual([...unpackSubByte(packed, ints.length, bits, signed)], ints);
        // padding bits of a partial last byte are zero
        const used = (ints.length * bits) % 8;
        if (used !== 0) assert.equal(packed[packed.length - 1] >> used, 0);
      },
    ),
    { numRuns: 500 },
  );
});

test('values out of range name the index and the value', () => {
  assert.throws(() => packSubByte(Int8Array.from([0, 7, 8]), 4), (e: unknown) => e instanceof RangeArgumentError && /index 2/.test(e.message) && /value 8/.test(e.message));
  assert.throws(() => packSubByte(Int8Array.from([-9]), 4), (e: unknown) => e instanceof RangeArgumentError && /value -9/.test(e.message));
  assert.throws(() => packSubByte(Uint8Array.from([3, 4]), 2), (e: unknown) => e instanceof RangeArgumentError && /index 1/.test(e.message) && /value 4/.test(e.message));
  assert.throws(() => packSubByte(Int8Array.from([-3]), 2), RangeArgumentError);
  assert.throws(() => packSubByte(Uint8Array.from([16]), 4), RangeArgumentError);
});

test('bad widths, counts and short buffers throw', () => {
  assert.throws(() => packSubByte(Uint8Array.from([1]), 3 as 4), /bits 3/);
  assert.throws(() => unpackSubByte(Uint8Array.from([1]), 1, 8 as 4, false), RangeArgumentError);
  assert.throws(() => unpackSubByte(Uint8Array.from([1]), 3, 4, false), /need 2 bytes, got 1/);
  assert.throws(() => unpackSubByte(Uint8Array.from([1]), -1, 4, false), RangeArgumentError);
  assert.throws(() => unpackSubByte(Uint8Array.from([1]), 1.5, 4, false), RangeArgumentError);
});
