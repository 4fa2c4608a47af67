// The browser demo (demo/), built with Vite and served over http, in Debian's chromium. mnist-8
// quantized in the page's Web Worker shows the top-1s quantkit computes in Node for the same
// settings and images, and downloads the very model Node writes: on the bundled digits (100
// calibration, the first 500 t10k) and on folders of PNG digits the user picks, labelled by
// subfolder as the CLI labels an image folder.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from 'fast-png';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { openDataset } from '../../src/data/node/open-dataset.ts';
import { parseSidecar } from '../../src/data/sidecar.ts';
import { importModel } from '../../src/onnx/import.ts';
import { runQuantizationJob, type JobInput, type JobResult } from '../../src/ptq/job.ts';
import { MNIST_MODEL_PATH, mnistData, mnistModel } from '../ptq/mnist.ts';
import { launchChromium, skipBrowser } from './chromium.ts';
import { serveFolder, type StaticServer } from './serve.ts';

const ENGINES = ['float', 'simulated', 'integer'] as const;

/** The job in Node, as the CLI runs it on mnist-8. */
function nodeJob(input: Pick<JobInput, 'calibration' | 'evaluation' | 'config'>): Promise<JobResult> {
  return runQuantizationJob({ model: mnistModel(), modelBytes: statSync(MNIST_MODEL_PATH).size, ...input });
}

/** Fills the settings form (fields left out keep the page's defaults), runs, and waits for the end. */
async function quantizeInPage(page: Page, fields: Readonly<Record<string, string>>): Promise<void> {
  for (const [name, value] of Object.entries(fields)) {
    if (name === 'method' || name === 'granularity') await page.selectOption(`select[name=${name}]`, value);
    else await page.fill(`input[name=${name}]`, value);
  }
  await page.click('#run');
  await page.waitForSelector('html[data-state=done], html[data-state=error]', { timeout: 60_000 });
  assert.equal(await page.getAttribute('html', 'data-state'), 'done', (await page.textContent('#stage')) ?? undefined);
}

/** The page shows Node's top-1s (exactly) and downloads Node's model, byte for byte. */
async function assertSameAsNode(page: Page, reference: JobResult, fileName: string): Promise<void> {
  const expected = reference.summary.eval!;
  const shown = await page.$$eval('[data-engine]', (cells) => cells.map((c) => [c.getAttribute('data-engine'), Number(c.getAttribute('data-top1')), c.textContent]));
  assert.deepEqual(shown, ENGINES.map((e) => [e, expected[e], `${(expected[e] * 100).toFixed(2)}%`]));
  assert.equal(await page.getAttribute('[data-samples]', 'data-samples'), String(expected.samples));
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-model')]);
  assert.equal(download.suggestedFilename(), fileName);
  const bytes = readFileSync(await download.path());
  assert.ok(importModel(bytes).graph.nodes.some((n) => n.opType === 'QuantizeLinear'));
  assert.deepEqual(bytes, Buffer.from(reference.onnx));
}

describe('browser demo', { skip: skipBrowser }, () => {
  let out: string;
  let server: StaticServer;
  let browser: Awaited<ReturnType<typeof launchChromium>>;

  before(async () => {
    out = mkdtempSync(join(tmpdir(), 'quantkit-demo-'));
    await build({ configFile: 'demo/vite.config.ts', logLevel: 'warn', build: { outDir: join(out, 'site'), emptyOutDir: true } });
    server = await serveFolder(join(out, 'site'));
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  test('bundled mnist-8 and digits: the top-1s and model of Node, the report drawn', { timeout: 120_000 }, async () => {
    // Not the defaults, so the download matching Node's model shows each setting reached the job.
    const settings = { method: 'mse', granularity: 'tensor', weightBits: 7, activationBits: 8 } as const;
    const reference = await nodeJob({
      calibration: mnistData('calib', 100).dataset,
      evaluation: mnistData('t10k', 500).dataset,
      config: { ...settings, calibrationLimit: 100 },
    });
    assert.equal(reference.summary.eval!.samples, 500);
    assert.ok(reference.summary.eval!.integer > 0.95, `integer top-1 ${reference.summary.eval!.integer}`);

    const page = await browser.context.newPage();
    await page.goto(server.url);
    await quantizeInPage(page, { ...Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, String(v)])), calibrationCount: '100', evaluationCount: '500' });
    await assertSameAsNode(page, reference, 'mnist-8.w7a8.onnx');

    // The report in the page's iframe has drawn every chart. The frame appears once the page
    // sets srcdoc and the iframe navigates to it, which may be a moment after the results show.
    let report = page.frame({ url: /^about:srcdoc/ });
    for (const start = Date.now(); report === null && Date.now() - start < 10_000; report = page.frame({ url: /^about:srcdoc/ })) await page.waitForTimeout(50);
    assert.ok(report, 'the report iframe');
    await report.waitForFunction(() => document.documentElement.hasAttribute('data-charts'));
    const specs = JSON.parse((await report.textContent('#report-charts'))!) as unknown[];
    assert.equal(await report.getAttribute('html', 'data-charts'), String(specs.length));
    assert.deepEqual(browser.errors, []);
  });

  test('a model and image folders the user picks: labelled by sorted subfolder, as quantkit reads the folders in Node', { timeout: 120_000 }, async () => {
    // 20 unlabelled calibration digits; 3 t10k digits of each class, in one subfolder per class.
    const calibration = join(out, 'calibration');
    const evaluation = join(out, 'evaluation');
    const png = (pixels: Float32Array, i: number) => encode({ width: 28, height: 28, channels: 1, depth: 8, data: Uint8Array.from(pixels.subarray(i * 784, (i + 1) * 784)) });
    const calib = mnistData('calib', 20);
    mkdirSync(calibration);
    for (let i = 0; i < 20; i++) writeFileSync(join(calibration, `digit-${String(i).padStart(2, '0')}.png`), png(calib.images, i));
    const t10k = mnistData('t10k', 200);
    const perClass = new Map<number, number>();
    for (let i = 0; i < 200; i++) {
      const label = t10k.labels[i];
      if ((perClass.get(label) ?? 0) === 3) continue;
      perClass.set(label, (perClass.get(label) ?? 0) + 1);
      mkdirSync(join(evaluation, String(label)), { recursive: true });
      writeFileSync(join(evaluation, String(label), `t10k-${i}.png`), png(t10k.images, i));
    }
    const { preprocess } = parseSidecar(readFileSync('models/mnist-8.json', 'utf8'));
    const reference = await nodeJob({ calibration: await openDataset(calibration, { preprocess }), evaluation: await openDataset(evaluation, { preprocess }) });
    assert.equal(reference.summary.eval!.samples, 30);
    assert.ok(reference.summary.eval!.float > 0.9, `float top-1 ${reference.summary.eval!.float}: folder i holds digit i`);
    assert.equal(reference.summary.calibration.samples, 20);

    const page = await browser.context.newPage();
    await page.goto(server.url);
    await page.check('input[name=source][value=own]');
    await page.setInputFiles('#model-files', [MNIST_MODEL_PATH, 'models/mnist-8.json']);
    await page.setInputFiles('#calibration-files', calibration);
    await page.setInputFiles('#evaluation-files', evaluation);
    await quantizeInPage(page, {});
    await assertSameAsNode(page, reference, 'mnist-8.w8a8.onnx');
    assert.deepEqual(browser.errors, []);
  });
});
