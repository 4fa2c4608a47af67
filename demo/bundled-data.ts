/**
 * A Vite plugin that serves the bundled model and data (demo/src/bundled-assets.ts) in `vite`
 * dev and emits them into the build: the model, sidecar and calibration digits as they are in the
 * repository, the t10k test set cut to its first EVALUATION_SLICE images (re-encoded as gzip IDX).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'fflate';
import type { Plugin } from 'vite';
import { encodeIdxUint8, parseIdx } from '../src/data/idx.ts';
import { BUNDLED, EVALUATION_SLICE } from './src/bundled-assets.ts';

/** The first `count` entries of a uint8 IDX file (images or labels), gzip-compressed. */
function idxPrefix(bytes: Uint8Array, count: number, name: string): Uint8Array {
  const idx = parseIdx(bytes, name);
  const [total, ...rest] = idx.shape;
  if (idx.type !== 'uint8' || total < count) throw new Error(`${name}: expected at least ${count} uint8 entries, found ${total} ${idx.type}`);
  const size = rest.reduce((a, b) => a * b, 1);
  return gzipSync(encodeIdxUint8([count, ...rest], (idx.data as Uint8Array).subarray(0, count * size)));
}

function makeAssets(root: string): Map<string, Uint8Array> {
  const read = (path: string) => readFileSync(join(root, path));
  return new Map<string, Uint8Array>([
    [BUNDLED.model, read('models/mnist-8.onnx')],
    [BUNDLED.sidecar, read('models/mnist-8.json')],
    [BUNDLED.calibrationImages, read('data/mnist/calib-images-idx3-ubyte.gz')],
    [BUNDLED.calibrationLabels, read('data/mnist/calib-labels-idx1-ubyte.gz')],
    [BUNDLED.evaluationImages, idxPrefix(read('data/mnist/t10k-images-idx3-ubyte.gz'), EVALUATION_SLICE, 't10k images')],
    [BUNDLED.evaluationLabels, idxPrefix(read('data/mnist/t10k-labels-idx1-ubyte.gz'), EVALUATION_SLICE, 't10k labels')],
  ]);
}

/** `root` is the repository folder holding models/ and data/. */
export function bundledData(root: string): Plugin {
  let assets: Map<string, Uint8Array> | undefined;
  const load = () => (assets ??= makeAssets(root));
  return {
    name: 'quantkit-bundled-data',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = decodeURIComponent((req.url ?? '').split('?')[0]).replace(/^\/+/, '');
        const bytes = load().get(path);
        if (bytes === undefined) return next();
        res.setHeader('Content-Type', path.endsWith('.json') ? 'application/json' : 'application/octet-stream');
        res.end(bytes);
      });
    },
    generateBundle() {
      for (const [fileName, source] of load()) this.emitFile({ type: 'asset', fileName, source });
    },
  };
}
