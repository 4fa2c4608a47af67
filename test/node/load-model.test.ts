import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelFormatError } from '../../src/errors.ts';
import { loadModelFile } from '../../src/node/load-model.ts';
import { importModel } from '../../src/onnx/import.ts';
import { DT, modelBytes, node, value } from '../onnx/helpers/proto-builder.ts';

const root = mkdtempSync(join(tmpdir(), 'quantkit-load-'));
const folder = join(root, 'model');
mkdirSync(join(folder, 'sub'), { recursive: true });
after(() => rmSync(root, { recursive: true, force: true }));

// 1.0, 2.0, 3.0 as little-endian float32, after 4 bytes of padding.
const weights = Uint8Array.from([9, 9, 9, 9, 0, 0, 0x80, 0x3f, 0, 0, 0, 0x40, 0, 0, 0x40, 0x40]);
writeFileSync(join(folder, 'sub', 'weights.bin'), weights);
writeFileSync(join(root, 'outside.bin'), weights);
symlinkSync(join(root, 'outside.bin'), join(folder, 'link.bin'));

function writeModel(name: string, location: string, offset = '4', length = '12'): string {
  const bytes = modelBytes({
    opset: 13,
    nodes: [node('Add', ['x', 'w'], ['y'])],
    inputs: [value('x', DT.FLOAT, [3])],
    outputs: [value('y', DT.FLOAT)],
    initializers: [{ name: 'w', dims: [3], data_type: DT.FLOAT, data_location: 1, external_data: [{ key: 'location', value: location }, { key: 'offset', value: offset }, { key: 'length', value: length }] }],
  });
  const path = join(folder, name);
  writeFileSync(path, bytes);
  return path;
}

test('external data inside the model folder is read at the given offset and length', () => {
  const model = loadModelFile(writeModel('ok.onnx', 'sub/weights.bin'));
  assert.deepEqual(Array.from(model.graph.initializers.get('w')!.data), [1, 2, 3]);
  assert.deepEqual(Array.from(loadModelFile(writeModel('ok2.onnx', './sub/../sub/weights.bin')).graph.initializers.get('w')!.data), [1, 2, 3]);
});

test('locations that leave the folder, and bad offsets, are refused with typed errors', () => {
  const refused: [string, string, string?, string?][] = [
    ['up.onnx', '../outside.bin'],
    ['abs.onnx', join(root, 'outside.bin')],
    ['link.onnx', 'link.bin'],
    ['missing.onnx', 'sub/none.bin'],
    ['dir.onnx', 'sub'],
    ['past.onnx', 'sub/weights.bin', '8', '12'],
    ['offset.onnx', 'sub/weights.bin', '17', undefined],
  ];
  for (const [name, location, offset, length] of refused) {
    const path = writeModel(name, location, offset ?? '4', length ?? '12');
    assert.throws(() => loadModelFile(path), (e: unknown) => e instanceof ModelFormatError && e.message.includes(name) && e.message.includes('initializer "w"'), name);
  }
  assert.throws(() => loadModelFile(join(folder, 'no-such-model.onnx')), (e: unknown) => e instanceof ModelFormatError && /no-such-model/.test(e.message));
});

test('Windows-absolute and NUL-carrying locations, links to folders outside and malformed offsets are refused; links inside are followed', () => {
  mkdirSync(join(root, 'elsewhere'), { recursive: true });
  writeFileSync(join(root, 'elsewhere', 'w.bin'), weights);
  symlinkSync(join(root, 'elsewhere'), join(folder, 'linked-dir'));
  symlinkSync(join(folder, 'sub', 'weights.bin'), join(folder, 'inner-link.bin'));
  const refused: [string, string, string, RegExp][] = [
    ['win.onnx', 'C:\\weights.bin', '4', /is absolute/],
    ['unc.onnx', '\\\\server\\share\\weights.bin', '4', /is absolute/],
    ['nul.onnx', 'sub/weights.bin\0.txt', '4', /is absolute/],
    ['dirlink.onnx', 'linked-dir/w.bin', '4', /through a link/],
    ['negative.onnx', 'sub/weights.bin', '-4', /offset "-4" is not a non-negative integer/],
    ['text.onnx', 'sub/weights.bin', '4 ', /offset "4 " is not a non-negative integer/],
  ];
  for (const [name, location, offset, pattern] of refused) {
    const path = writeModel(name, location, offset);
    assert.throws(() => loadModelFile(path), (e: unknown) => e instanceof ModelFormatError && pattern.test(e.message), name);
  }
  assert.deepEqual(Array.from(loadModelFile(writeModel('inner.onnx', 'inner-link.bin')).graph.initializers.get('w')!.data), [1, 2, 3]);
});

test('a length that does not match the dims is refused before the data file is read', () => {
  const bytes = readFileSync(writeModel('long.onnx', 'sub/weights.bin', '0', '16'));
  let reads = 0;
  const externalData = () => {
    reads++;
    return new Uint8Array(16);
  };
  assert.throws(() => importModel(bytes, { externalData }), (e: unknown) => e instanceof ModelFormatError && /external data length 16 does not match the 12 bytes/.test(e.message));
  assert.equal(reads, 0);
});
