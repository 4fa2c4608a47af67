import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { LimitError, ModelFormatError } from '../../src/errors.ts';
import { DTYPES, type DType } from '../../src/ir/dtype.ts';
import { tensor, type Tensor } from '../../src/ir/tensor.ts';
import { decodeMinifloatArray } from '../../src/numeric/minifloat.ts';
import { decodeTensorProtoBytes, encodeTensorProtoBytes, tensorFromProto, tensorToProto } from '../../src/onnx/tensor.ts';
import type { TensorProto } from '../../src/onnx/proto/onnx.generated.ts';

/** Expected raw_data bytes per the TensorProto spec (little-endian, IEEE 754, bit patterns, packed sub-byte). */
const RAW_VECTORS: { dtype: DType; values: number[]; bytes: number[] }[] = [
  { dtype: 'float32', values: [1, -2.5], bytes: [0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x20, 0xc0] },
  { dtype: 'float64', values: [1], bytes: [0, 0, 0, 0, 0, 0, 0xf0, 0x3f] },
  { dtype: 'int8', values: [-128, 127], bytes: [0x80, 0x7f] },
  { dtype: 'uint8', values: [255, 1], bytes: [0xff, 0x01] },
  { dtype: 'int16', values: [-2, 258], bytes: [0xfe, 0xff, 0x02, 0x01] },
  { dtype: 'uint16', values: [65535], bytes: [0xff, 0xff] },
  { dtype: 'int32', values: [-1, 16909060], bytes: [0xff, 0xff, 0xff, 0xff, 0x04, 0x03, 0x02, 0x01] },
  { dtype: 'uint32', values: [2147483648], bytes: [0, 0, 0, 0x80] },
  { dtype: 'int64', values: [-2, 2 ** 40], bytes: [0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0x01, 0, 0] },
  { dtype: 'uint64', values: [2 ** 63], bytes: [0, 0, 0, 0, 0, 0, 0, 0x80] },
  { dtype: 'bool', values: [1, 0], bytes: [0x01, 0x00] },
  { dtype: 'float16', values: [1, -2, 65504], bytes: [0x00, 0x3c, 0x00, 0xc0, 0xff, 0x7b] },
  { dtype: 'bfloat16', values: [1, -2], bytes: [0x80, 0x3f, 0x00, 0xc0] },
  { dtype: 'float8e4m3fn', values: [1, 448, -2], bytes: [0x38, 0x7e, 0xc0] },
  { dtype: 'float8e4m3fnuz', values: [1], bytes: [0x40] },
  { dtype: 'float8e5m2', values: [1, 57344], bytes: [0x3c, 0x7b] },
  { dtype: 'float8e5m2fnuz', values: [1], bytes: [0x40] },
  // Sub-byte: element 0 in the lowest bits.
  { dtype: 'int4', values: [1, -1, 7], bytes: [0xf1, 0x07] },
  { dtype: 'uint4', values: [15, 0, 3], bytes: [0x0f, 0x03] },
  { dtype: 'int2', values: [1, -2, -1, 0, 1], bytes: [0b00_11_10_01, 0x01] },
  { dtype: 'uint2', values: [3, 0, 1, 2], bytes: [0b10_01_00_11] },
];

function typed(dtype: DType, values: number[]): Tensor {
  const t = tensor(dtype, [values.length]);
  values.forEach((v, i) => (t.data[i] = v));
  return t;
}

for (const { dtype, values, bytes } of RAW_VECTORS) {
  test(`raw_data ${dtype}: decodes the spec's bytes and encodes back to them`, () => {
    const proto: TensorProto = { name: 'x', dims: [values.length], data_type: DTYPES[dtype].onnx, raw_data: Uint8Array.from(bytes) };
    const decoded = tensorFromProto(proto);
    assert.equal(decoded.dtype, dtype);
    assert.deepEqual(decoded.shape, [values.length]);
    assert.deepEqual(Array.from(decoded.data), values);
    assert.deepEqual([...tensorToProto(typed(dtype, values)).raw_data!], bytes);
  });
}

test('raw_data is read little-endian from any byte offset (a view into a larger buffer)', () => {
  const buffer = new Uint8Array([0xaa, 0x00, 0x00, 0x80, 0x3f]);
  const t = tensorFromProto({ dims: [1], data_type: 1, raw_data: buffer.subarray(1) });
  assert.deepEqual(Array.from(t.data), [1]);
});

test('typed fields: float_data, int32_data (with bit patterns and packed bytes), int64/uint64/double_data', () => {
  const cases: [TensorProto, number[]][] = [
    [{ dims: [2], data_type: 1, float_data: [1.5, -3] }, [1.5, -3]],
    [{ dims: [2], data_type: 11, double_data: [0.1, 2] }, [0.1, 2]],
    [{ dims: [2], data_type: 3, int32_data: [-5, 100] }, [-5, 100]],
    [{ dims: [2], data_type: 9, int32_data: [1, 0] }, [1, 0]],
    [{ dims: [2], data_type: 10, int32_data: [0x3c00, 0xc000] }, [1, -2]],
    [{ dims: [1], data_type: 16, int32_data: [0x3f80] }, [1]],
    [{ dims: [1], data_type: 17, int32_data: [0x38] }, [1]],
    [{ dims: [3], data_type: 22, int32_data: [0xf1, 0x07] }, [1, -1, 7]],
    [{ dims: [5], data_type: 26, int32_data: [0b00_11_10_01, 0x01] }, [1, -2, -1, 0, 1]],
    [{ dims: [2], data_type: 7, int64_data: [-7, 2 ** 50] }, [-7, 2 ** 50]],
    [{ dims: [1], data_type: 12, uint64_data: [4294967295] }, [4294967295]],
    [{ dims: [1], data_type: 13, uint64_data: [2 ** 52] }, [2 ** 52]],
    [{ dims: [0], data_type: 1 }, []],
  ];
  for (const [proto, expected] of cases) assert.deepEqual(Array.from(tensorFromProto(proto).data), expected, `data_type ${proto.data_type}`);
});

test('INT64_MAX in raw_data reads as 2^63 and is written back as INT64_MAX', () => {
  const max = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f];
  const t = tensorFromProto({ dims: [1], data_type: 7, raw_data: Uint8Array.from(max) });
  assert.equal(t.data[0], 2 ** 63);
  assert.deepEqual([...tensorToProto(t).raw_data!], max);
});

test('round trip through serialized TensorProto bytes for every dtype (random values)', () => {
  const dtypes = Object.keys(DTYPES) as DType[];
  fc.assert(
    fc.property(fc.constantFrom(...dtypes), fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 17 }), (dtype, seeds) => {
      const info = DTYPES[dtype];
      let values: number[];
      if (info.kind === 'float' && info.bits <= 16) {
        // Representable values: decoded from random bit patterns of the format (NaN excluded).
        const codes = info.bits === 8 ? Uint8Array.from(seeds, (s) => s & 0xff) : Uint16Array.from(seeds);
        values = Array.from(decodeMinifloatArray(dtype as 'float16', codes)).filter((v) => !Number.isNaN(v));
      } else if (info.kind === 'float') {
        values = seeds.map((s) => (s - 30000) / 7);
        if (dtype === 'float32') values = Array.from(Float32Array.from(values));
      } else {
        const span = Math.min(info.max! - info.min! + 1, 2 ** 32);
        values = seeds.map((s) => info.min! + ((s * 2654435761) % span));
      }
      const t = typed(dtype, values);
      const { name, tensor: back } = decodeTensorProtoBytes(encodeTensorProtoBytes(t, 'w'));
      assert.equal(name, 'w');
      assert.equal(back.dtype, dtype);
      assert.deepEqual(Array.from(back.data), Array.from(t.data));
    }),
    { numRuns: 300 },
  );
});

test('external data comes through the resolver with location, offset and length', () => {
  const calls: unknown[] = [];
  const proto: TensorProto = {
    name: 'w', dims: [2], data_type: 1, data_location: 1,
    external_data: [{ key: 'location', value: 'weights.bin' }, { key: 'offset', value: '4096' }, { key: 'length', value: '8' }],
  };
  const t = tensorFromProto(proto, {
    externalData: (location, offset, length) => {
      calls.push([location, offset, length]);
      return Uint8Array.from([0, 0, 0x80, 0x3f, 0, 0, 0, 0x40]);
    },
  });
  assert.deepEqual(calls, [['weights.bin', 4096, 8]]);
  assert.deepEqual(Array.from(t.data), [1, 2]);
  assert.throws(() => tensorFromProto(proto, { what: 'init "w"' }), (e: unknown) => e instanceof ModelFormatError && /init "w".*resolver/.test(e.message));
});

test('element counts are checked against the limit before allocating', () => {
  const huge: TensorProto = { name: 'big', dims: [2 ** 20, 2 ** 20, 2 ** 20], data_type: 1 };
  assert.throws(() => tensorFromProto(huge), (e: unknown) => e instanceof LimitError && /big/.test(e.message));
  const small: TensorProto = { name: 's', dims: [100], data_type: 1, raw_data: new Uint8Array(400) };
  assert.throws(() => tensorFromProto(small, { limits: { maxTensorElements: 99 } }), LimitError);
  assert.throws(() => tensorFromProto(small, { limits: { maxTotalBytes: 399 } }), LimitError);
});

test('bad tensors are ModelFormatErrors naming the tensor', () => {
  const bad: [TensorProto, RegExp][] = [
    [{ name: 'u', dims: [1], data_type: 99, raw_data: new Uint8Array(4) }, /"u".*99 \(unknown\)/],
    [{ name: 's', dims: [1], data_type: 8 }, /"s".*STRING/],
    [{ name: 'f4', dims: [2], data_type: 23, raw_data: new Uint8Array(1) }, /FLOAT4E2M1/],
    [{ name: 'short', dims: [3], data_type: 1, raw_data: new Uint8Array(8) }, /"short".*8 bytes.*12/],
    [{ name: 'few', dims: [3], data_type: 1, float_data: [1] }, /"few".*float_data has 1/],
    [{ name: 'neg', dims: [-1], data_type: 1 }, /"neg".*dimension -1/],
  ];
  for (const [proto, pattern] of bad) assert.throws(() => tensorFromProto(proto), (e: unknown) => e instanceof ModelFormatError && pattern.test(e.message), proto.name);
  assert.throws(() => decodeTensorProtoBytes(Uint8Array.from([0x0a, 0x05, 0x01])), ModelFormatError);
});

interface IndexValue {
  name: string;
  type: string;
  shape: number[] | null;
}

test('ONNX backend test data (input_*.pb, output_*.pb) decode to the names, types and shapes INDEX.json states', () => {
  const root = new URL('../fixtures/onnx-node/', import.meta.url);
  const index = JSON.parse(readFileSync(new URL('INDEX.json', root), 'utf8')) as { test: string; inputs: IndexValue[]; outputs: IndexValue[] }[];
  let decoded = 0;
  for (const entry of index) {
    const sets = readdirSync(new URL(`${entry.test}/`, root)).filter((name) => name.startsWith('test_data_set_'));
    for (const set of sets) {
      const files: [string, IndexValue[]][] = [['input', entry.inputs], ['output', entry.outputs]];
      for (const [kind, values] of files) {
        values.forEach((expected, k) => {
          if (expected.type === 'undef') return; // sequence/optional data files are not TensorProtos
          const bytes = readFileSync(new URL(`${entry.test}/${set}/${kind}_${k}.pb`, root));
          if (expected.type === 'string' || expected.type === 'float4e2m1') {
            assert.throws(() => decodeTensorProtoBytes(bytes), ModelFormatError);
            return;
          }
          const { name, tensor: t } = decodeTensorProtoBytes(bytes, { what: `${entry.test}/${set}/${kind}_${k}.pb` });
          assert.deepEqual([name, t.dtype, t.shape], [expected.name, expected.type, expected.shape], `${entry.test} ${kind} ${k}`);
          decoded++;
        });
      }
    }
  }
  assert.ok(decoded > 1000, `decoded ${decoded} files`);
});
