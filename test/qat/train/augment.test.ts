import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor } from '../../../src/ir/tensor.ts';
import { randomAffine, randomShift } from '../../../src/qat/train/augment.ts';
import { seededRandom } from '../../../src/qat/train/random.ts';

test('randomShift moves each image by its own (dy, dx) in −s..s, filling with 0', () => {
  const [n, c, h, w] = [50, 2, 5, 6];
  const batch = tensor('float32', [n, c, h, w], Float32Array.from({ length: n * c * h * w }, (_, i) => i + 1));
  const draws: number[] = [];
  const source = seededRandom(5);
  const uniform = () => {
    const u = source();
    draws.push(u);
    return u;
  };
  const out = randomShift(batch, 2, uniform);
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    const dy = Math.floor(draws[2 * i] * 5) - 2;
    const dx = Math.floor(draws[2 * i + 1] * 5) - 2;
    seen.add(`${dy},${dx}`);
    for (let ch = 0; ch < c; ch++) {
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const sy = y - dy;
          const sx = x - dx;
          const expected = sy >= 0 && sy < h && sx >= 0 && sx < w ? batch.data[((i * c + ch) * h + sy) * w + sx] : 0;
          assert.equal(out.data[((i * c + ch) * h + y) * w + x], expected);
        }
      }
    }
  }
  assert.ok(seen.size > 10, 'many different shifts');
  assert.throws(() => randomShift(tensor('float32', [2, 3]), 1, uniform), /\[N, C, H, W\]/);
});

/** A uniform source that replays `values`. */
const replay = (values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length];
};

test('randomAffine: +90° about the centre maps out[y][x] = in[w − 1 − x][y]; σ = 1, t = (1, −1) is a whole-pixel shift', () => {
  const side = 5;
  const image = tensor('float32', [1, 1, side, side], Float32Array.from({ length: side * side }, (_, i) => i + 1));
  // Draws per image: θ, σ, ty, tx, each (2u − 1)·limit.
  const rotated = randomAffine(image, { rotate: 90, scale: 0.2, shift: 2 }, replay([1, 0.5, 0.5, 0.5]));
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) assert.ok(Math.abs(rotated.data[y * side + x] - image.data[(side - 1 - x) * side + y]) < 1e-9, `(${y}, ${x})`);
  }
  const moved = randomAffine(image, { rotate: 10, scale: 0.2, shift: 2 }, replay([0.5, 0.5, 0.75, 0.25]));
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const [sy, sx] = [y - 1, x + 1];
      const expected = sy >= 0 && sy < side && sx >= 0 && sx < side ? image.data[sy * side + sx] : 0;
      assert.ok(Math.abs(moved.data[y * side + x] - expected) < 1e-9, `(${y}, ${x})`);
    }
  }
});
