/**
 * Per-channel weight ranges: [min_c, max_c] of every output channel of each weighted layer, as
 * floating bars. When channels' ranges differ widely, one scale per tensor wastes most levels on
 * the narrow channels; a scale per channel (eq. (9)) fits each.
 */
import type { WeightRanges } from '../../ptq/diagnostics/weight-ranges.ts';
import { COLORS, axis, options, translucent, type ChartSpec } from '../charts.ts';
import { code, escapeHtml, figure, table } from '../markup.ts';
import type { ReportSection } from './section.ts';

/** Largest over smallest channel width max_c − min_c (∞ when a channel is constant). */
export function spreadRatio(w: WeightRanges): number {
  const widths = w.mins.map((m, c) => w.maxs[c] - m);
  return Math.max(...widths) / Math.min(...widths);
}

function chart(w: WeightRanges, index: number): ChartSpec {
  return {
    id: `chart-weights-${index}`,
    kind: 'weights',
    title: `${w.node} (${w.opType}): weight range of each of its ${w.mins.length} output channels`,
    attributes: { node: w.node },
    config: {
      type: 'bar',
      data: {
        labels: w.mins.map((_, c) => String(c)),
        // Floating bars: each channel's [min, max].
        datasets: [{ label: `${w.weight} [min, max] per channel`, data: w.mins.map((m, c): [number, number] => [m, w.maxs[c]]), backgroundColor: translucent(COLORS.green, 0.6), borderColor: COLORS.green, borderWidth: 1 }],
      },
      options: options(axis('category', `output channel (axis ${w.axis})`), axis('linear', 'weight value'), { legend: false }),
    },
  };
}

export const weightsSection: ReportSection = {
  id: 'weights',
  title: 'Per-channel weight ranges',
  render(data) {
    if (data.weights.length === 0) return { html: '<p>No weighted layers are quantized.</p>', charts: [] };
    const charts = data.weights.map(chart);
    const overview = table(
      ['layer', 'op', 'weight', 'shape', 'channels', 'min', 'max', 'widest / narrowest channel', 'bits', 'granularity'],
      data.weights.map((w) => [code(w.node), w.opType, code(w.weight), `[${w.shape.join(', ')}]`, w.mins.length, Math.min(...w.mins), Math.max(...w.maxs), spreadRatio(w), w.bits, w.granularity]),
    );
    const layers = data.weights.map((w, i) => {
      const perChannel = w.scales.length === w.mins.length;
      const rows = w.mins.map((m, c) => [c, m, w.maxs[c], ...(perChannel ? [w.scales[c]] : [])]);
      return [
        figure(charts[i], 240),
        `<details><summary>channels of <code>${escapeHtml(w.node)}</code></summary>`,
        table(['channel', 'min', 'max', ...(perChannel ? ['scale'] : [])], rows),
        '</details>',
      ].join('');
    });
    return { html: overview + layers.join(''), charts };
  },
};
