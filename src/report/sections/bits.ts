/** Bit widths per weighted layer: weight, the activation it reads, the one it writes, the bias. */
import { COLORS, axis, options } from '../charts.ts';
import { code, figure, table } from '../markup.ts';
import type { ReportSection } from './section.ts';

export const bitsSection: ReportSection = {
  id: 'bits',
  title: 'Bits per layer',
  render(data) {
    if (data.bits.length === 0) return { html: '<p>No weighted layers are quantized.</p>', charts: [] };
    const series = [
      { label: 'weight bits', key: 'weightBits', color: COLORS.green },
      { label: 'input activation bits', key: 'inputBits', color: COLORS.sky },
      { label: 'output activation bits', key: 'outputBits', color: COLORS.blue },
    ] as const;
    const chart = {
      id: 'chart-bits',
      kind: 'bits',
      title: 'Bits per weighted layer',
      config: {
        type: 'bar' as const,
        data: { labels: data.bits.map((b) => b.node), datasets: series.map((s) => ({ label: s.label, data: data.bits.map((b) => b[s.key]), backgroundColor: s.color })) },
        options: options(axis('category', 'layer'), axis('linear', 'bits', { beginAtZero: true, suggestedMax: 16, ticks: { stepSize: 2 } })),
      },
    };
    const rows = data.bits.map((b) => [code(b.node), b.opType, b.weightBits, b.inputBits, b.outputBits, b.biasBits]);
    return { html: `<div class="pair">${table(['layer', 'op', 'weight', 'input', 'output', 'bias'], rows)}${figure(chart, 240)}</div>`, charts: [chart] };
  },
};
