import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encode as encodePng } from 'fast-png';
import { encode as encodeJpeg } from 'jpeg-js';
import { decodeImage } from '../../src/data/image.ts';
import { DataError } from '../../src/errors.ts';

test('PNG RGBA decodes to its pixels (alpha kept as the 4th channel)', () => {
  const pixels = Uint8Array.from({ length: 3 * 2 * 4 }, (_, i) => (i * 37) % 256);
  const png = encodePng({ width: 3, height: 2, data: pixels, channels: 4, depth: 8 });
  const image = decodeImage(png);
  assert.equal(image.width, 3);
  assert.equal(image.height, 2);
  assert.equal(image.channels, 4);
  assert.deepEqual([...image.pixels], [...pixels]);
});

test('16-bit grayscale PNG keeps the high byte', () => {
  const png = encodePng({ width: 2, height: 1, data: new Uint16Array([0xffff, 0x1234]), channels: 1, depth: 16 });
  assert.deepEqual([...decodeImage(png).pixels], [0xff, 0x12]);
});

test('JPEG of a flat colour decodes close to that colour', () => {
  const width = 16;
  const height = 16;
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) rgba.set([200, 100, 50, 255], i * 4);
  const jpeg = encodeJpeg({ width, height, data: rgba }, 95).data;
  const image = decodeImage(new Uint8Array(jpeg));
  assert.equal(image.channels, 3);
  for (let i = 0; i < width * height; i++) {
    assert.ok(Math.abs(image.pixels[i * 3] - 200) <= 3 && Math.abs(image.pixels[i * 3 + 1] - 100) <= 3 && Math.abs(image.pixels[i * 3 + 2] - 50) <= 3);
  }
});

test('not an image → DataError naming it', () => {
  assert.throws(() => decodeImage(new Uint8Array([1, 2, 3, 4]), 'cat.txt'), (e) => e instanceof DataError && /cat\.txt/.test(e.message));
  const broken = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0]);
  assert.throws(() => decodeImage(broken, 'broken.png'), (e) => e instanceof DataError && /broken\.png/.test(e.message));
});

test('a PNG whose header claims more than 100 megapixels is refused before it is inflated (found by review)', () => {
  const png = encodePng({ width: 1, height: 1, data: new Uint8Array(1), channels: 1, depth: 8 });
  // IHDR width and height (big-endian, bytes 16–23): 60000 × 60000 would inflate to 3.6 GB.
  new DataView(png.buffer, png.byteOffset).setUint32(16, 60000);
  new DataView(png.buffer, png.byteOffset).setUint32(20, 60000);
  assert.throws(() => decodeImage(png, 'bomb.png'), (e) => e instanceof DataError && /bomb\.png: 60000×60000 exceeds 100 megapixels/.test(e.message));
});
