import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { generate, OUTPUT_PATH, PROTO_PATH } from '../../scripts/gen-onnx-proto.ts';
import { decodeModelProto, decodeTensorProtoMessage, encodeTensorProto, int64Field, int64ToNumber } from '../../src/onnx/proto/codec.ts';
import { ModelFormatError } from '../../src/errors.ts';

test('onnx.generated.ts is what scripts/gen-onnx-proto.ts writes from the vendored onnx.proto', () => {
  assert.equal(readFileSync(OUTPUT_PATH, 'utf8'), generate(readFileSync(PROTO_PATH, 'utf8')));
});

test('the vendored schema is the one in shared data, with its license and source note', () => {
  const proto = readFileSync(PROTO_PATH, 'utf8');
  assert.match(proto, /package onnx;/);
  assert.match(proto, /INT2 = 26;/);
  assert.match(readFileSync(new URL('../../src/onnx/proto/LICENSE', import.meta.url), 'utf8'), /Apache License/);
  assert.match(readFileSync(new URL('../../src/onnx/proto/SOURCE.txt', import.meta.url), 'utf8'), /f7546912001bc31e92a238b17068a21b373d882e/);
});

test('int64 fields: INT64_MAX / INT64_MIN survive encoding (2^63 as a double means INT64_MAX)', () => {
  const bytes = encodeTensorProto({ name: 't', dims: [int64Field(2 ** 63), int64Field(-(2 ** 63)), int64Field(5)], data_type: 7 });
  // Wire format of field 1 (dims, proto2 unpacked): tag 0x08 then a varint per element.
  // INT64_MAX = ff×8 7f; INT64_MIN (two's complement, 10-byte varint) = 80×9 01.
  const max = [0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f];
  const min = [0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01];
  const expected = [...max, ...min, 0x08, 0x05];
  assert.deepEqual([...bytes.slice(0, expected.length)], expected);
  const decoded = decodeTensorProtoMessage(bytes);
  assert.deepEqual(decoded.dims!.map(int64ToNumber), [2 ** 63, -(2 ** 63), 5]);
});

test('malformed bytes are a ModelFormatError naming the file, not a TypeError', () => {
  assert.throws(() => decodeModelProto(new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]), 'bad.onnx'), (e: unknown) => e instanceof ModelFormatError && /bad\.onnx/.test(e.message));
});
