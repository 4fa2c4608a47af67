/**
 * Preprocessing: turn decoded pixels into a model's input sample. The order of operations is
 * fixed and documented so a sidecar JSON can describe a model's expected input exactly:
 * convert channels → resize → x·scale → (x − mean[c]) / std[c] → layout.
 */
import { DataError } from '../errors.ts';
import type { Image } from './image.ts';

export interface Preprocess {
  /** Sample layout: channels first (CHW, as most ONNX vision models) or last (HWC). */
  readonly layout: 'NCHW' | 'NHWC';
  /** 1 = grayscale (ITU-R BT.601 luma from RGB), 3 = color. */
  readonly channels: 1 | 3;
  readonly channelOrder: 'RGB' | 'BGR';
  /** Target [height, width]; the image's own size when omitted. */
  readonly size?: readonly [number, number];
  readonly resize: 'bilinear' | 'nearest';
  /** Applied to raw 0..255 values first (e.g. 1/255). */
  readonly scale: number;
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

export const DEFAULT_PREPROCESS: Preprocess = {
  layout: 'NCHW',
  channels: 3,
  channelOrder: 'RGB',
  resize: 'bilinear',
  scale: 1,
  mean: [0],
  std: [1],
};

/** Validates a partial preprocessing description (e.g. from a sidecar JSON) and fills defaults. */
export function resolvePreprocess(partial: Partial<Preprocess> | undefined, where = 'preprocess'): Preprocess {
  const p: Preprocess = { ...DEFAULT_PREPROCESS, ...(partial ?? {}) };
  if (p.layout !== 'NCHW' && p.layout !== 'NHWC') throw new DataError(`${where}.layout must be NCHW or NHWC, got ${JSON.stringify(p.layout)}`);
  if (p.channels !== 1 && p.channels !== 3) throw new DataError(`${where}.channels must be 1 or 3, got ${JSON.stringify(p.channels)}`);
  if (p.channelOrder !== 'RGB' && p.channelOrder !== 'BGR') throw new DataError(`${where}.channelOrder must be RGB or BGR, got ${JSON.stringify(p.channelOrder)}`);
  if (p.resize !== 'bilinear' && p.resize !== 'nearest') throw new DataError(`${where}.resize must be bilinear or nearest, got ${JSON.stringify(p.resize)}`);
  if (!Number.isFinite(p.scale) || p.scale === 0) throw new DataError(`${where}.scale must be a finite non-zero number, got ${p.scale}`);
  if (p.size !== undefined && (p.size.length !== 2 || !p.size.every((d) => Number.isInteger(d) && d > 0))) {
    throw new DataError(`${where}.size must be [height, width] of positive integers, got ${JSON.stringify(p.size)}`);
  }
  for (const [key, values] of [['mean', p.mean], ['std', p.std]] as const) {
    if (!Array.isArray(values) || (values.length !== 1 && values.length !== p.channels) || !values.every(Number.isFinite)) {
      throw new DataError(`${where}.${key} must hold 1 or ${p.channels} finite numbers, got ${JSON.stringify(values)}`);
    }
  }
  if (p.std.some((s) => s === 0)) throw new DataError(`${where}.std must not contain 0`);
  return p;
}

/** Applies scale/mean/std in place to values already in layout with `channels` planes (CHW) or interleaved (HWC). */
export function normalize(values: Float32Array, channels: number, layout: 'NCHW' | 'NHWC', p: Preprocess): void {
  const plane = values.length / channels;
  for (let i = 0; i < values.length; i++) {
    const c = layout === 'NCHW' ? Math.floor(i / plane) : i % channels;
    const mean = p.mean.length === 1 ? p.mean[0] : p.mean[c];
    const std = p.std.length === 1 ? p.std[0] : p.std[c];
    values[i] = (values[i] * p.scale - mean) / std;
  }
}

/** One image → one preprocessed sample of shape [C, H, W] (NCHW) or [H, W, C] (NHWC). */
export function preprocessImage(image: Image, p: Preprocess): { shape: number[]; data: Float32Array } {
  const [height, width] = p.size ?? [image.height, image.width];
  const source = toChannels(image, p.channels, p.channelOrder);
  const planar = new Float32Array(p.channels * height * width);
  for (let c = 0; c < p.channels; c++) {
    resizePlane(source, image.width, image.height, p.channels, c, planar.subarray(c * height * width, (c + 1) * height * width), width, height, p.resize);
  }
  normalize(planar, p.channels, 'NCHW', p);
  if (p.layout === 'NCHW') return { shape: [p.channels, height, width], data: planar };
  const interleaved = new Float32Array(planar.length);
  const plane = height * width;
  for (let c = 0; c < p.channels; c++) {
    for (let i = 0; i < plane; i++) interleaved[i * p.channels + c] = planar[c * plane + i];
  }
  return { shape: [height, width, p.channels], data: interleaved };
}

/** Interleaved pixels with the requested channel count and order (alpha dropped). */
function toChannels(image: Image, channels: 1 | 3, order: 'RGB' | 'BGR'): Float32Array {
  const n = image.width * image.height;
  const out = new Float32Array(n * channels);
  const src = image.pixels;
  const k = image.channels;
  for (let i = 0; i < n; i++) {
    const gray = k < 3;
    const r = src[i * k];
    const g = gray ? r : src[i * k + 1];
    const b = gray ? r : src[i * k + 2];
    if (channels === 1) out[i] = gray ? r : 0.299 * r + 0.587 * g + 0.114 * b;
    else if (order === 'RGB') {
      out[3 * i] = r;
      out[3 * i + 1] = g;
      out[3 * i + 2] = b;
    } else {
      out[3 * i] = b;
      out[3 * i + 1] = g;
      out[3 * i + 2] = r;
    }
  }
  return out;
}

/** Resizes channel `c` of interleaved `src` into the plane `dst` (half-pixel centres, edge clamped). */
function resizePlane(
  src: Float32Array,
  sw: number,
  sh: number,
  channels: number,
  c: number,
  dst: Float32Array,
  dw: number,
  dh: number,
  mode: 'bilinear' | 'nearest',
): void {
  const sx = sw / dw;
  const sy = sh / dh;
  for (let y = 0; y < dh; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), sh - 1);
    for (let x = 0; x < dw; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), sw - 1);
      if (mode === 'nearest' || (sw === dw && sh === dh)) {
        const ix = Math.min(Math.floor((x + 0.5) * sx), sw - 1);
        const iy = Math.min(Math.floor((y + 0.5) * sy), sh - 1);
        dst[y * dw + x] = src[(iy * sw + ix) * channels + c];
        continue;
      }
      const x0 = Math.floor(fx);
      const y0 = Math.floor(fy);
      const x1 = Math.min(x0 + 1, sw - 1);
      const y1 = Math.min(y0 + 1, sh - 1);
      const wx = fx - x0;
      const wy = fy - y0;
      const top = src[(y0 * sw + x0) * channels + c] * (1 - wx) + src[(y0 * sw + x1) * channels + c] * wx;
      const bottom = src[(y1 * sw + x0) * channels + c] * (1 - wx) + src[(y1 * sw + x1) * channels + c] * wx;
      dst[y * dw + x] = top * (1 - wy) + bottom * wy;
    }
  }
}
