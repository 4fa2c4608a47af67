/**
 * The lecture's calibration pictures, per activation group: the histogram of the calibration
 * values (log counts) with the clipping range each method picks as vertical lines — max (no
 * saturation), percentile, MSE, KL entropy — and the curves the searching methods minimised
 * (TensorRT's KL divergence D(T) per threshold T, the expected squared error per range).
 */
import type { ChartDataset } from 'chart.js';
import type { CurveJSON, HistogramJSON, MethodPick } from '../../ptq/diagnostics/distributions.ts';
import { COLORS, axis, methodStyle, options, translucent, verticalLine, type ChartSpec } from '../charts.ts';
import { code, escapeHtml, figure, num, table, type Cell } from '../markup.ts';
import type { DistributionRow } from '../model.ts';
import type { ReportSection } from './section.ts';

type Points = ChartDataset<'line', { x: number; y: number | null }[]>;

/** Histogram bars as a stepped line through each bin's left edge, closed at the last bin's right edge. */
function histogramDataset(h: HistogramJSON): Points {
  const data = h.counts.map((count, j) => ({ x: h.start + j * h.binWidth, y: count }));
  if (h.counts.length > 0) data.push({ x: h.start + h.counts.length * h.binWidth, y: h.counts[h.counts.length - 1] });
  return { label: `values (${h.count})`, data, stepped: 'after', fill: 'start', borderColor: COLORS.grey, backgroundColor: translucent(COLORS.grey, 0.35), borderWidth: 1, pointRadius: 0 };
}

/** A method's range as vertical lines at its ends (the lower one only when below zero). */
function pickDataset(pick: MethodPick, chosen: boolean, top: number): Points {
  const label = `${pick.method}${chosen ? ' (chosen)' : ''}: [${num(pick.min)}, ${num(pick.max)}]`;
  const line = verticalLine(label, pick.max, 1, top, methodStyle(pick.method), chosen ? 3.5 : 1.5);
  // A null point breaks the line, so one dataset (one legend entry) draws both ends.
  if (pick.min < 0) line.data = [{ x: pick.min, y: 1 }, { x: pick.min, y: top }, { x: pick.min, y: null }, ...line.data];
  return line;
}

/** The pick that is the plan's range: the chosen method's, unless the statistics shown are not the plan's. */
function isChosen(d: DistributionRow, p: MethodPick): boolean {
  return p.method === d.chosen.method && p.min === d.chosen.min && p.max === d.chosen.max;
}

function histogramChart(d: DistributionRow, h: HistogramJSON, index: number): ChartSpec {
  const top = Math.max(1, ...h.counts);
  const picks = d.picks.map((p) => pickDataset(p, isChosen(d, p), top));
  // Network-level methods (dfp, sfp) are not among the tensor-level picks: draw the plan's range too.
  if (!d.picks.some((p) => isChosen(d, p))) picks.push(pickDataset(d.chosen, true, top));
  return {
    id: `chart-histogram-${index}`,
    kind: 'histogram',
    title: `${d.tensor}: calibration values (log count per bin) and the range each method picks`,
    attributes: { tensor: d.tensor },
    config: {
      type: 'line',
      data: { datasets: [histogramDataset(h), ...picks] },
      options: options(axis('linear', 'value'), axis('logarithmic', 'count per bin (log)')),
    },
  };
}

/** x where the curve is lowest: the method's choice (entropy: the threshold T = (i + 0.5)·w). */
export function curveMinimum(curve: CurveJSON): { x: number; y: number } | undefined {
  let best: { x: number; y: number } | undefined;
  curve.y.forEach((y, k) => {
    if (y !== null && (best === undefined || y < best.y)) best = { x: curve.x[k], y };
  });
  return best;
}

function curveChart(d: DistributionRow, curve: CurveJSON, index: number): ChartSpec {
  const style = methodStyle(curve.method);
  const values: Points = {
    label: curve.label,
    data: curve.x.map((x, k) => ({ x, y: curve.y[k] })),
    borderColor: style.color,
    backgroundColor: style.color,
    borderWidth: 2,
    pointRadius: 0,
  };
  const datasets: Points[] = [values];
  const best = curveMinimum(curve);
  const finite = curve.y.filter((y): y is number => y !== null && y > 0);
  if (best !== undefined && finite.length > 0) {
    datasets.push(verticalLine(`minimum at ${num(best.x)}`, best.x, Math.min(...finite), Math.max(...finite), { color: COLORS.black, dash: [4, 4] }, 1.5));
  }
  return {
    id: `chart-curve-${index}-${curve.method}`,
    kind: 'curve',
    title: `${d.tensor}: ${curve.label} per ${curve.method === 'entropy' ? 'threshold T' : 'range end'} (${curve.method})`,
    attributes: { tensor: d.tensor, method: curve.method },
    config: { type: 'line', data: { datasets }, options: options(axis('linear', curve.method === 'entropy' ? 'threshold T' : 'range end'), axis('logarithmic', curve.label)) },
  };
}

export const distributionsSection: ReportSection = {
  id: 'distributions',
  title: 'Activation histograms and calibration thresholds',
  render(data) {
    if (data.distributions.length === 0) return { html: '<p>No calibration statistics in this summary.</p>', charts: [] };
    const charts: ChartSpec[] = [];
    const open = data.distributions.length <= 12 ? ' open' : '';
    const parts = data.distributions.map((d, i) => {
      const figures: string[] = [];
      if (d.histogram) {
        const chart = histogramChart(d, d.histogram, i);
        charts.push(chart);
        figures.push(figure(chart, 300));
      } else figures.push('<p>No histogram: this calibration kept only min/max (the chosen method needs no histogram).</p>');
      for (const curve of d.curves) {
        const chart = curveChart(d, curve, i);
        charts.push(chart);
        figures.push(figure(chart, 220));
      }
      const rows: Cell[][] = d.picks.map((p) => [code(p.method), p.min, p.max, isChosen(d, p) ? 'chosen' : '']);
      if (!d.picks.some((p) => isChosen(d, p))) rows.push([code(d.chosen.method), d.chosen.min, d.chosen.max, 'chosen']);
      for (const c of d.curves) {
        const best = curveMinimum(c);
        if (best) rows.push([`${c.method}: ${c.label} is lowest at`, null, best.x, num(best.y)]);
      }
      const members = d.members.length > 1 ? ` (shared by ${d.members.map((m) => `<code>${escapeHtml(m)}</code>`).join(', ')})` : '';
      const observed = d.histogram ? `${d.histogram.count} values observed in [${num(d.histogram.min)}, ${num(d.histogram.max)}]; ` : '';
      return [
        `<details class="tensor"${open}><summary><code>${escapeHtml(d.tensor)}</code>${members}, ${d.bits} bits</summary>`,
        `<p>${observed}range methods at ${d.bits} bits:</p>`,
        table(['method', 'min', 'max', ''], rows),
        ...figures,
        '</details>',
      ].join('');
    });
    return { html: parts.join(''), charts };
  },
};
