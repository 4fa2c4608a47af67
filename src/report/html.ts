/**
 * The report as one self-contained HTML file: tables (readable without JavaScript), a canvas per
 * chart, the report data and the chart specifications as JSON blocks, the chart library inlined
 * and a few lines that draw each spec on its canvas. Nothing is fetched at view time.
 *
 * The renderer runs in Node and in a browser: the caller passes the Chart.js UMD source
 * (`chart.js/dist/chart.umd.min.js`) as text. The CLI reads it from node_modules
 * (cli/commands/report.ts); a Vite page imports it as a string by path, since chart.js's
 * `exports` map does not list that file: `import chartLibrary from
 * '<relative path to>/node_modules/chart.js/dist/chart.umd.min.js?raw'`.
 */
import { RangeArgumentError } from '../errors.ts';
import type { ChartSpec } from './charts.ts';
import { escapeHtml, jsonForScript, scriptSource } from './markup.ts';
import type { ReportData } from './model.ts';
import { SECTIONS } from './sections/index.ts';

export interface RenderOptions {
  /** The Chart.js UMD bundle (defines the global `Chart`). */
  readonly chartLibrary: string;
}

/** Element ids a reader of the page can rely on. */
export const PAGE_IDS = { data: 'report-data', charts: 'report-charts', library: 'chart-library', client: 'report-client' } as const;

/**
 * Draws every chart spec on its canvas, then records how many on `<html data-charts>` (a test or
 * a screenshot tool waits for it); without the library the attribute says `unavailable`.
 */
const CLIENT = `(function () {
  'use strict';
  var root = document.documentElement;
  if (typeof Chart === 'undefined') { root.setAttribute('data-charts', 'unavailable'); return; }
  var specs = JSON.parse(document.getElementById('${PAGE_IDS.charts}').textContent);
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  Chart.defaults.color = '#222';
  var drawn = 0;
  specs.forEach(function (spec) {
    var canvas = document.getElementById(spec.id);
    if (canvas) { new Chart(canvas, spec.config); drawn++; }
  });
  root.setAttribute('data-charts', String(drawn));
})();`;

const STYLE = `
:root { color-scheme: light; --ink: #1b1b1b; --muted: #555; --rule: #d0d0d0; --band: #f4f6f8; --link: #005a9c; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fff; }
header, main, footer { max-width: 1180px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 20px; border-bottom: 1px solid var(--rule); }
h1 { font-size: 1.6rem; margin: 0 0 4px; }
h2 { font-size: 1.3rem; margin: 32px 0 8px; padding-top: 8px; border-top: 2px solid var(--ink); }
h3 { font-size: 1.05rem; margin: 16px 0 6px; }
a { color: var(--link); }
.lead { color: var(--muted); margin: 0 0 8px; }
nav ol { display: flex; flex-wrap: wrap; gap: 4px 16px; padding: 0; margin: 8px 0 12px; list-style: none; }
code { font: 0.9em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; word-break: break-all; }
.table-box { overflow-x: auto; margin: 8px 0; }
table { border-collapse: collapse; font-size: 0.9rem; }
caption { text-align: left; color: var(--muted); padding-bottom: 4px; }
th, td { border-bottom: 1px solid var(--rule); padding: 3px 10px 3px 0; text-align: left; vertical-align: top; }
th { border-bottom-width: 2px; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr:nth-child(even) { background: var(--band); }
figure.chart { margin: 12px 0; }
.canvas-box { position: relative; width: 100%; }
figcaption { color: var(--muted); font-size: 0.85rem; }
.pair { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
.pair > * { flex: 1 1 380px; min-width: 0; }
details { margin: 8px 0; }
details.tensor { border-left: 3px solid var(--rule); padding-left: 12px; }
summary { cursor: pointer; font-weight: 600; }
footer { color: var(--muted); font-size: 0.85rem; padding-top: 24px; padding-bottom: 24px; }
`;

/** The report page. */
export function renderReportHtml(data: ReportData, options: RenderOptions): string {
  if (typeof options.chartLibrary !== 'string' || options.chartLibrary.trim() === '') {
    throw new RangeArgumentError('renderReportHtml: chartLibrary must be the Chart.js UMD source text');
  }
  const charts: ChartSpec[] = [];
  const sections = SECTIONS.map((section) => {
    const out = section.render(data);
    charts.push(...out.charts);
    return `<section id="${section.id}" aria-labelledby="${section.id}-title"><h2 id="${section.id}-title">${escapeHtml(section.title)}</h2>${out.html}</section>`;
  });
  const c = data.config;
  const lead = [
    `W${c.weightBits}A${c.activationBits}, ${c.method} ranges, ${c.granularity} weights, ${data.format.toUpperCase()}`,
    `calibrated on ${data.calibration.samples} samples`,
    ...(data.accuracy ? [`top-1 ${data.accuracy.rows.map((r) => `${r.engine} ${(r.top1 * 100).toFixed(2)}%`).join(', ')}`] : []),
  ].join('; ');
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="quantkit">',
    `<title>${escapeHtml(data.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<header><h1>${escapeHtml(data.title)}</h1><p class="lead">${escapeHtml(lead)}</p>`,
    `<nav aria-label="sections"><ol>${SECTIONS.map((s) => `<li><a href="#${s.id}">${escapeHtml(s.title)}</a></li>`).join('')}</ol></nav></header>`,
    `<main>${sections.join('\n')}</main>`,
    '<footer>Made by quantkit. The numbers of every chart are in the tables and in the JSON block <code>#report-data</code> of this page; charts drawn with Chart.js (MIT), embedded.</footer>',
    `<script type="application/json" id="${PAGE_IDS.data}">${jsonForScript(data)}</script>`,
    `<script type="application/json" id="${PAGE_IDS.charts}">${jsonForScript(charts)}</script>`,
    `<script id="${PAGE_IDS.library}">${scriptSource(options.chartLibrary)}</script>`,
    `<script id="${PAGE_IDS.client}">${CLIENT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
