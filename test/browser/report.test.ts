// The HTML report in a real browser: generated from a real quantize run of mnist-8, opened over
// http in Debian's chromium. Every chart spec is drawn (<html data-charts>, ink on every canvas)
// and what Chart.js holds is the job's numbers: the three top-1s and each layer's SQNR.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { jsonSummary } from '../../src/cli/commands/quantize.ts';
import { reportFromSummary, writeReport } from '../../src/cli/commands/report.ts';
import { runQuantizationJob } from '../../src/ptq/job.ts';
import { MNIST_MODEL_PATH, mnistData, mnistModel } from '../ptq/mnist.ts';
import { launchChromium, skipBrowser } from './chromium.ts';
import { serveFolder } from './serve.ts';

/** What a chart holds after drawing, read back through Chart.js. */
interface DrawnChart {
  readonly id: string;
  readonly size: readonly [number, number];
  /** Pixels with any ink (alpha > 0). */
  readonly inked: number;
}

/**
 * The labels and first dataset of the chart on canvas `id`, as Chart.js holds them. (No named
 * functions inside: tsx would wrap them in a helper the page does not have.)
 */
function chartData(page: Page, id: string): Promise<{ labels: unknown[]; data: unknown[] }> {
  return page.evaluate((canvasId) => {
    const chart = (window as unknown as { Chart: { getChart(c: HTMLElement): { data: { labels: unknown[]; datasets: { data: unknown[] }[] } } | undefined } }).Chart.getChart(document.getElementById(canvasId)!);
    if (chart === undefined) throw new Error(`no chart on #${canvasId}`);
    return { labels: chart.data.labels, data: chart.data.datasets[0].data };
  }, id);
}

test('the report of a quantize run draws every chart, with the numbers of the job summary', { skip: skipBrowser, timeout: 120_000 }, async () => {
  const job = await runQuantizationJob({
    model: mnistModel(),
    modelBytes: statSync(MNIST_MODEL_PATH).size,
    calibration: mnistData('calib', 50).dataset,
    evaluation: mnistData('t10k', 100).dataset,
    config: { calibrationLimit: 50 },
  });
  const summary = jsonSummary({ model: MNIST_MODEL_PATH, output: 'mnist-8.int8.onnx' }, job.summary);
  const dir = mkdtempSync(join(tmpdir(), 'quantkit-report-browser-'));
  const browser = await launchChromium();
  const server = await serveFolder(dir);
  try {
    writeReport(join(dir, 'report.html'), reportFromSummary(summary), {});
    const specs = JSON.parse(readFileSync(join(dir, 'report.html'), 'utf8').match(/<script type="application\/json" id="report-charts">([\s\S]*?)<\/script>/)![1]) as { id: string }[];
    // accuracy, SQNR, and a histogram per activation group at least
    assert.ok(specs.length >= 2 + summary.distributions.length, `${specs.length} chart specs`);

    const page = await browser.context.newPage();
    await page.goto(`${server.url}report.html`);
    await page.waitForFunction(() => document.documentElement.hasAttribute('data-charts'));
    assert.equal(await page.getAttribute('html', 'data-charts'), String(specs.length));

    // Charts inside closed <details> have no size until opened; Chart.js redraws them on resize.
    await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const drawn: DrawnChart[] = await page.evaluate(() =>
      Array.from(document.querySelectorAll('canvas'), (canvas) => {
        const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
        let inked = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i] > 0) inked++;
        return { id: canvas.id, size: [canvas.width, canvas.height] as const, inked };
      }),
    );
    assert.deepEqual(drawn.map((c) => c.id).sort(), specs.map((s) => s.id).sort());
    for (const c of drawn) assert.ok(c.size[0] > 0 && c.size[1] > 0 && c.inked > 0.01 * c.size[0] * c.size[1], `${c.id} is blank: ${JSON.stringify(c)}`);

    const charts = { accuracy: await chartData(page, 'chart-accuracy'), sqnr: await chartData(page, 'chart-sqnr') };
    const ev = summary.eval!;
    assert.deepEqual(charts.accuracy.data, [ev.float * 100, ev.simulated * 100, ev.integer * 100]);
    assert.deepEqual(charts.sqnr.labels, summary.layers.map((l) => l.tensor));
    assert.deepEqual(charts.sqnr.data, summary.layers.map((l) => l.sqnr_db));
    assert.ok(summary.layers.length >= 5 && summary.layers.every((l) => l.sqnr_db === null || l.sqnr_db > 10));
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
