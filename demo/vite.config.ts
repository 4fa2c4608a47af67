/**
 * The browser demo: `npm run demo` (vite dev server) and `npm run demo:build` (static files in
 * out/demo, served from any path: base './').
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { bundledData } from './bundled-data.ts';

const here = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  plugins: [bundledData(resolve(here, '..'))],
  // A module worker, so the job's code can be split and shared like the page's.
  worker: { format: 'es' },
  // Crawl the worker too when pre-bundling dependencies for `vite` dev: else the first run
  // discovers protobufjs, fflate, ... and the dev server reloads the page mid-job.
  optimizeDeps: { entries: ['index.html', 'src/worker.ts'] },
  build: { outDir: resolve(here, '../out/demo'), emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 2048 },
});
