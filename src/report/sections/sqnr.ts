/**
 * Per-tensor SQNR: 10·log10(Σx² / Σ(x − x̂)²) between the float network's value of each quantized
 * tensor and the simulated network's, so a tensor's figure includes the errors of every layer before it.
 */
import { COLORS, axis, options } from '../charts.ts';
import { code, figure, pct, table } from '../markup.ts';
import type { ReportSection } from './section.ts';

export const sqnrSection: ReportSection = {
  id: 'sqnr',
  title: 'Per-layer SQNR',
  render(data) {
    const chart = {
      id: 'chart-sqnr',
      kind: 'sqnr',
      title: 'SQNR per quantized tensor (dB, float vs simulated; a gap is +∞: no error)',
      config: {
        type: 'bar' as const,
        data: { labels: data.layers.map((l) => l.tensor), datasets: [{ label: 'SQNR (dB)', data: data.layers.map((l) => l.sqnrDb), backgroundColor: COLORS.blue }] },
        options: options(axis('category', 'tensor'), axis('linear', 'SQNR (dB)', { beginAtZero: true }), { legend: false }),
      },
    };
    const rows = data.layers.map((l) => [code(l.tensor), l.bits, l.range[0], l.range[1], l.scale, l.zeroPoint, l.sqnrDb === null ? '∞' : l.sqnrDb.toFixed(1), pct(l.clippedFraction, 3)]);
    return {
      html: `${figure(chart)}${table(['tensor', 'bits', 'range min', 'range max', 'scale', 'zero point', 'SQNR (dB)', 'clipped'], rows)}`,
      charts: [chart],
    };
  },
};
