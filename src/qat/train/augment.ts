/**
 * Augmentation of [N, C, H, W] image batches; what moves in from outside is 0 (the background of
 * MNIST-like digits in [0, 1]).
 * - randomShift: each image moves by whole pixels (dy, dx), each uniform in −shift..shift. MNIST
 *   digits are centred by their centre of mass, so small shifts are the variation a test digit shows.
 * - randomAffine: each image is rotated by θ, scaled by σ about its centre and moved by (ty, tx),
 *   all uniform (θ in ±rotate degrees, σ in 1 ± scale, t in ±shift pixels), resampled bilinearly
 *   — the affine distortions of Simard et al. (2003), which make a small training set go further.
 */
import { ShapeError } from '../../errors.ts';
import { formatShape, tensor, type Tensor } from '../../ir/tensor.ts';

export function randomShift(batch: Tensor, shift: number, uniform: () => number): Tensor {
  if (batch.shape.length !== 4) throw new ShapeError(`randomShift: expected a [N, C, H, W] batch, got ${formatShape(batch.shape)}`);
  const [n, c, h, w] = batch.shape;
  const out = tensor('float32', batch.shape);
  const src = batch.data;
  const dst = out.data;
  for (let i = 0; i < n; i++) {
    const dy = Math.floor(uniform() * (2 * shift + 1)) - shift;
    const dx = Math.floor(uniform() * (2 * shift + 1)) - shift;
    const x0 = Math.max(0, dx);
    const x1 = Math.min(w, w + dx);
    for (let ch = 0; ch < c; ch++) {
      const plane = (i * c + ch) * h * w;
      for (let y = Math.max(0, dy); y < Math.min(h, h + dy); y++) {
        const to = plane + y * w;
        const from = plane + (y - dy) * w - dx;
        for (let x = x0; x < x1; x++) dst[to + x] = src[from + x];
      }
    }
  }
  return out;
}

export interface AffineRange {
  /** Largest rotation, degrees. */
  readonly rotate: number;
  /** Largest relative change of size (0.1: 90–110%). */
  readonly scale: number;
  /** Largest translation, pixels. */
  readonly shift: number;
}

export function randomAffine(batch: Tensor, range: AffineRange, uniform: () => number): Tensor {
  if (batch.shape.length !== 4) throw new ShapeError(`randomAffine: expected a [N, C, H, W] batch, got ${formatShape(batch.shape)}`);
  const [n, c, h, w] = batch.shape;
  const out = tensor('float32', batch.shape);
  const src = batch.data;
  const dst = out.data;
  const symmetric = (limit: number) => (2 * uniform() - 1) * limit;
  const cy = (h - 1) / 2;
  const cx = (w - 1) / 2;
  for (let i = 0; i < n; i++) {
    const theta = (symmetric(range.rotate) * Math.PI) / 180;
    const sigma = 1 + symmetric(range.scale);
    const ty = symmetric(range.shift);
    const tx = symmetric(range.shift);
    // Output (y, x) samples the source at R(−θ)·((y, x) − centre − t)/σ + centre.
    const cos = Math.cos(theta) / sigma;
    const sin = Math.sin(theta) / sigma;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const dy = y - cy - ty;
        const dx = x - cx - tx;
        const sy = cos * dy - sin * dx + cy;
        const sx = sin * dy + cos * dx + cx;
        const y0 = Math.floor(sy);
        const x0 = Math.floor(sx);
        const fy = sy - y0;
        const fx = sx - x0;
        for (let ch = 0; ch < c; ch++) {
          const plane = (i * c + ch) * h * w;
          const top = (1 - fx) * pixel(src, plane, h, w, y0, x0) + fx * pixel(src, plane, h, w, y0, x0 + 1);
          const bottom = (1 - fx) * pixel(src, plane, h, w, y0 + 1, x0) + fx * pixel(src, plane, h, w, y0 + 1, x0 + 1);
          dst[plane + y * w + x] = (1 - fy) * top + fy * bottom;
        }
      }
    }
  }
  return out;
}

/** Pixel (y, x) of the h × w plane at `plane`, 0 outside it. */
function pixel(src: ArrayLike<number>, plane: number, h: number, w: number, y: number, x: number): number {
  return y >= 0 && y < h && x >= 0 && x < w ? src[plane + y * w + x] : 0;
}
