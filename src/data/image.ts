/**
 * PNG and JPEG decoding to 8-bit pixels (pure JavaScript decoders, so the same bytes give the
 * same pixels in Node.js and in every browser).
 */
import { convertIndexedToRgb, decode as decodePng } from 'fast-png';
import { decode as decodeJpeg } from 'jpeg-js';
import { DataError } from '../errors.ts';

export interface Image {
  readonly width: number;
  readonly height: number;
  /** 1 (gray), 3 (RGB) or 4 (RGBA). */
  readonly channels: number;
  /** width·height·channels 8-bit samples, row-major, channels interleaved. */
  readonly pixels: Uint8Array;
}

/** Largest image accepted, in megapixels (guards against decompression bombs). */
export const MAX_IMAGE_MEGAPIXELS = 100;

export function decodeImage(bytes: Uint8Array, name = 'image'): Image {
  try {
    if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return fromPng(bytes, name);
    if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return fromJpeg(bytes);
  } catch (error) {
    if (error instanceof DataError) throw error;
    throw new DataError(`${name}: cannot decode image (${(error as Error).message})`, { cause: error });
  }
  throw new DataError(`${name}: not a PNG or JPEG file`);
}

function fromPng(bytes: Uint8Array, name: string): Image {
  // The size is checked from the header (IHDR, the first chunk) before anything is inflated.
  const header = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length >= 24 && header.getUint32(12) === 0x49484452) checkMegapixels(header.getUint32(16), header.getUint32(20), name);
  const png = decodePng(bytes);
  checkMegapixels(png.width, png.height, name);
  if (png.palette !== undefined) {
    const rgb = convertIndexedToRgb(png);
    const channels = rgb.length / (png.width * png.height);
    return { width: png.width, height: png.height, channels, pixels: Uint8Array.from(rgb) };
  }
  let pixels: Uint8Array;
  if (png.depth === 16) {
    // Keep the high byte: 16-bit samples scaled to 8 bits (v >> 8 = floor(v / 257) for all but a few values).
    pixels = new Uint8Array(png.data.length);
    for (let i = 0; i < pixels.length; i++) pixels[i] = png.data[i] >>> 8;
  } else if (png.depth === 8) {
    pixels = Uint8Array.from(png.data);
  } else {
    // 1/2/4-bit grayscale: scale to 0..255.
    const max = (1 << png.depth) - 1;
    pixels = new Uint8Array(png.data.length);
    for (let i = 0; i < pixels.length; i++) pixels[i] = Math.round((png.data[i] * 255) / max);
  }
  // Gray+alpha is kept as 2 channels only long enough to drop the alpha.
  if (png.channels === 2) return dropAlpha(png.width, png.height, pixels, 2);
  return { width: png.width, height: png.height, channels: png.channels, pixels };
}

function checkMegapixels(width: number, height: number, name: string): void {
  if (width * height > MAX_IMAGE_MEGAPIXELS * 1e6) throw new DataError(`${name}: ${width}×${height} exceeds ${MAX_IMAGE_MEGAPIXELS} megapixels`);
}

function fromJpeg(bytes: Uint8Array): Image {
  const jpeg = decodeJpeg(bytes, { useTArray: true, formatAsRGBA: false, maxResolutionInMP: MAX_IMAGE_MEGAPIXELS, maxMemoryUsageInMB: 1024 });
  const channels = jpeg.data.length / (jpeg.width * jpeg.height);
  return { width: jpeg.width, height: jpeg.height, channels, pixels: jpeg.data };
}

function dropAlpha(width: number, height: number, pixels: Uint8Array, channels: number): Image {
  const out = new Uint8Array(width * height * (channels - 1));
  for (let p = 0, o = 0; p < pixels.length; p += channels) {
    for (let c = 0; c < channels - 1; c++) out[o++] = pixels[p + c];
  }
  return { width, height, channels: channels - 1, pixels: out };
}
