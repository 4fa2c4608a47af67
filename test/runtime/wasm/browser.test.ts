// The wasm kernels in Debian's chromium: a page built with Vite (test/runtime/wasm/browser/) and
// served cross-origin isolated (COOP/COEP, so SharedArrayBuffer exists) runs the int8 and fp32
// GEMMs on the main thread, then on two threads with a Web Worker (threads/web-pool.ts): wasm
// is active, the results are the same bytes, and the int4 kernel the engine runs (relaxed SIMD
// where its self-test passed) equals the int8 one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { launchChromium, skipBrowser } from '../../browser/chromium.ts';

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };

/** Serves `root` with the headers that make a page cross-origin isolated; resolves to its URL and a closer. */
async function serveIsolated(root: string): Promise<{ url: string; close: () => void }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    if (path === '/favicon.ico') return void res.writeHead(204).end(); // asked for by every page
    const file = join(root, path.endsWith('/') ? `${path}index.html` : path);
    if (!file.startsWith(root + sep)) return void res.writeHead(403).end();
    readFile(file).then(
      (body) => res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}/`, close: () => server.close() };
}

test('in chromium: wasm kernels on the main thread and with a Web Worker give the same bytes', { skip: skipBrowser }, async () => {
  const out = mkdtempSync(join(tmpdir(), 'quantkit-wasm-page-'));
  const root = fileURLToPath(new URL('./browser/', import.meta.url));
  const browser = await launchChromium();
  const server = await serveIsolated(out);
  try {
    await build({ root, logLevel: 'warn', configFile: false, worker: { format: 'es' }, build: { outDir: out, emptyOutDir: true, target: 'es2022' } });
    const page = await browser.context.newPage();
    await page.goto(server.url);
    await page.waitForSelector('html[data-result]', { timeout: 60_000 });
    const result = JSON.parse((await page.getAttribute('html', 'data-result'))!) as Record<string, { active?: boolean; threads?: number; relaxed?: boolean; notes?: string[] } | boolean | string>;
    assert.equal(result.error, undefined, String(result.error));
    assert.equal(result.crossOriginIsolated, true);
    const before = result.before as { active: boolean; threads: number; relaxed: boolean; notes: string[] };
    assert.equal(before.active, true, before.notes.join("; "));
    assert.equal(before.threads, 1);
    assert.equal((result.status as { threads: number }).threads, 2);
    assert.equal((result.after as { threads: number }).threads, 1);
    assert.deepEqual(result.split, result.single);
    // where relaxed SIMD passed its self-test (Chromium ≥ 114 ships it), its int4 kernel equals the int8 one
    assert.equal(result.int4Matches, true);
    assert.deepEqual(browser.errors, []);
  } finally {
    server.close();
    await browser.close();
    rmSync(out, { recursive: true, force: true });
  }
});
