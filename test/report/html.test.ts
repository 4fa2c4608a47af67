// The report page: one self-contained, well-formed HTML file whose embedded data round-trips and
// whose charts carry the report's numbers; its client script draws every chart spec.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { RangeArgumentError } from '../../src/errors.ts';
import type { ChartSpec } from '../../src/report/charts.ts';
import { PAGE_IDS, renderReportHtml } from '../../src/report/html.ts';
import { buildReport } from '../../src/report/model.ts';
import { fixtureSummary, HOSTILE } from './fixture.ts';

const CHART_JS = readFileSync('node_modules/chart.js/dist/chart.umd.min.js', 'utf8');
const data = buildReport(fixtureSummary(), { model: 'tiny.onnx', output: 'tiny.int8.onnx' });
const html = renderReportHtml(data, { chartLibrary: CHART_JS });

/** The text of the element `<script ... id="id">` up to the first `</script` (where an HTML parser ends it). */
function scriptText(page: string, id: string): string {
  const open = page.match(new RegExp(`<script[^>]*\\bid="${id}"[^>]*>`));
  assert.ok(open?.index !== undefined, `script #${id}`);
  const start = open.index + open[0].length;
  return page.slice(start, page.toLowerCase().indexOf('</script', start));
}

/** The page with the contents of <script> and <style> elements removed (as a parser skips them). */
function markupOnly(page: string): string {
  return page.replace(/(<(script|style)\b[^>]*>)[\s\S]*?(<\/\2>)/gi, '$1$3');
}

const charts = JSON.parse(scriptText(html, PAGE_IDS.charts)) as ChartSpec[];
const chart = (id: string) => charts.find((c) => c.id === id)!;
const ys = (spec: ChartSpec, k = 0) => (spec.config.data.datasets[k].data as { y: number | null }[]).map((p) => p.y);

test('self-contained: nothing is fetched, Chart.js is embedded once', () => {
  const markup = markupOnly(html);
  assert.doesNotMatch(markup, /\b(src|href|action|poster|data)\s*=\s*["']?\s*(https?:)?\/\//i);
  assert.doesNotMatch(markup, /<(link|iframe|img|object|embed)\b/i);
  assert.doesNotMatch(markup, /<script\b[^>]*\bsrc=/i);
  assert.doesNotMatch(html.match(/<style>([\s\S]*?)<\/style>/)![1], /url\(|@import/);
  const header = CHART_JS.slice(0, 120);
  assert.equal(html.split(header).length - 1, 1);
  assert.equal(scriptText(html, PAGE_IDS.library), CHART_JS);
});

test('well-formed: the elements emitted are balanced and names are escaped', () => {
  const VOID = new Set(['meta', 'br', 'hr', 'img', 'input', 'link', 'col', 'wbr']);
  const open: string[] = [];
  for (const m of markupOnly(html).matchAll(/<(\/?)([a-zA-Z][\w-]*)[^>]*>/g)) {
    const [, closing, name] = m;
    if (VOID.has(name.toLowerCase())) continue;
    if (closing) assert.equal(open.pop(), name, `</${name}> at ${m.index}`);
    else open.push(name);
  }
  assert.deepEqual(open, []);
  assert.ok(html.startsWith('<!doctype html>\n<html lang="en">'));
  // The hostile tensor name never becomes markup: no <b> element, its text escaped.
  assert.doesNotMatch(markupOnly(html), /<b>/);
  assert.ok(html.includes('act&lt;/script&gt;&lt;!--&quot;&amp;&#39;&lt;b&gt;'));
  // Inside the JSON blocks no `</script` or `<!--` survives.
  for (const id of [PAGE_IDS.data, PAGE_IDS.charts]) assert.doesNotMatch(scriptText(html, id), /<\/script|<!--/i);
  // Canvas ids are unique and every chart spec has its canvas, marked with its kind.
  const ids = [...html.matchAll(/<canvas id="([^"]+)" data-chart="([^"]+)"/g)].map((m) => [m[1], m[2]]);
  assert.deepEqual(ids.map(([id]) => id).sort(), charts.map((c) => c.id).sort());
  assert.equal(new Set(ids.map(([id]) => id)).size, ids.length);
  for (const [id, kind] of ids) assert.equal(chart(id).kind, kind);
  // Sections in page order, each with a heading.
  assert.deepEqual([...html.matchAll(/<section id="([^"]+)"/g)].map((m) => m[1]), ['accuracy', 'sqnr', 'distributions', 'weights', 'bits', 'float-nodes', 'agreement', 'sizes', 'config']);
});

test('the data block round-trips to the report data', () => {
  assert.deepEqual(JSON.parse(scriptText(html, PAGE_IDS.data)), JSON.parse(JSON.stringify(data)));
  assert.equal(JSON.parse(scriptText(html, PAGE_IDS.data)).layers[1].tensor, HOSTILE);
});

test('charts carry the numbers of the report data', () => {
  assert.deepEqual(chart('chart-accuracy').config.data.datasets[0].data, [99, 98.5, 98]);
  assert.deepEqual(chart('chart-sqnr').config.data.datasets[0].data, [null, 31.5]);
  // Histogram: one point per bin (left edges), closed at the right edge of the last bin.
  const histogram = chart('chart-histogram-1');
  assert.equal(histogram.attributes?.tensor, HOSTILE);
  const bins = (histogram.config.data.datasets[0].data as { x: number; y: number }[]);
  assert.deepEqual(bins.map((p) => p.x), [-4, -3, -2, -1, 0, 1, 2, 3, 4, 5]);
  assert.deepEqual(ys(histogram), [1, 2, 4, 8, 4, 2, 1, 1, 1, 1]);
  // Threshold lines at each pick's ends (below-zero ends too), plus the chosen range (entropy) that no tensor-level pick shows.
  const lines = histogram.config.data.datasets.slice(1).map((d) => [d.label, [...new Set((d.data as { x: number }[]).map((p) => p.x))]]);
  assert.deepEqual(lines, [
    ['max: [-3.5, 4.5]', [-3.5, 4.5]],
    ['mse: [-3, 4]', [-3, 4]],
    ['entropy (chosen): [-3, 5]', [-3, 5]],
  ]);
  const first = chart('chart-histogram-0').config.data.datasets.map((d) => d.label);
  assert.deepEqual(first, ['values (16)', 'max: [0, 1.9]', 'entropy (chosen): [0, 1.25]']);
  // Curves: the values as drawn (∞ as a gap), and a marker at the minimum.
  const kl = chart('chart-curve-0-entropy');
  assert.deepEqual(ys(kl), [null, 0.02, 0.5]);
  assert.deepEqual((kl.config.data.datasets[1].data as { x: number }[]).map((p) => p.x), [1.25, 1.25]);
  assert.deepEqual((chart('chart-curve-1-mse').config.data.datasets[1].data as { x: number }[]).map((p) => p.x), [4, 4]);
  assert.deepEqual(chart('chart-weights-0').config.data.datasets[0].data, [[-1, 0.5], [-0.25, 2]]);
  assert.deepEqual(chart('chart-bits').config.data.datasets.map((d) => d.data), [[4], [8], [null]]);
  assert.deepEqual(chart('chart-agreement').config.data.datasets.map((d) => d.data), [[1000, 480], [0, 19], [0, 1]]);
  assert.deepEqual(chart('chart-sizes').config.data.datasets.map((d) => d.data), [[40000, 32000], [12000, 8000]]);
});

test('readable without JavaScript: tables hold the numbers', () => {
  const text = markupOnly(html);
  for (const fragment of ['99.00%', '−1.00 pts', '31.5', 'no integer form for Softmax', '<code>softmax</code>', 'could reach 4.50e+9', '39.1 KiB', '30.0%', '480']) {
    assert.ok(text.includes(fragment), fragment);
  }
});

test('the client script draws every spec on its canvas', () => {
  const run = (withChart: boolean) => {
    const drawn: { canvas: unknown; config: unknown }[] = [];
    const attributes: Record<string, string> = {};
    const canvases = new Map(charts.map((c) => [c.id, { id: c.id }]));
    const document = {
      documentElement: { setAttribute: (k: string, v: string) => (attributes[k] = v) },
      getElementById: (id: string) => (id === PAGE_IDS.charts ? { textContent: scriptText(html, PAGE_IDS.charts) } : canvases.get(id) ?? null),
    };
    class Chart {
      static defaults = { font: { family: '' }, color: '' };
      constructor(canvas: unknown, config: unknown) {
        drawn.push({ canvas, config });
      }
    }
    runInNewContext(scriptText(html, PAGE_IDS.client), withChart ? { document, Chart } : { document });
    return { drawn, attributes, canvases };
  };
  const { drawn, attributes, canvases } = run(true);
  assert.equal(attributes['data-charts'], String(charts.length));
  assert.deepEqual(drawn.map((d) => d.canvas), charts.map((c) => canvases.get(c.id)));
  assert.deepEqual(JSON.parse(JSON.stringify(drawn.map((d) => d.config))), charts.map((c) => c.config));
  assert.equal(run(false).attributes['data-charts'], 'unavailable');
});

test('the renderer needs the chart library', () => {
  assert.throws(() => renderReportHtml(data, { chartLibrary: '' }), RangeArgumentError);
  // A library whose text holds `</script` cannot end its element early.
  const page = renderReportHtml(data, { chartLibrary: 'var s = "</script><p>";' });
  assert.equal(scriptText(page, PAGE_IDS.library), 'var s = "<\\/script><p>";');
});
