/** Top-1 of the float model, the simulated (fake-quant) model and integer-only execution. */
import { COLORS, axis, options } from '../charts.ts';
import { figure, pct, table } from '../markup.ts';
import type { Engine } from '../model.ts';
import type { ReportSection } from './section.ts';

const LABELS: Record<Engine, string> = { float: 'float (FP32)', simulated: 'simulated (fake-quant)', integer: 'integer-only' };
const ENGINE_COLORS: Record<Engine, string> = { float: COLORS.grey, simulated: COLORS.sky, integer: COLORS.blue };

export const accuracySection: ReportSection = {
  id: 'accuracy',
  title: 'Accuracy',
  render(data) {
    if (data.accuracy === null) return { html: '<p>Not evaluated: give <code>quantize</code> labelled data with <code>--eval</code>.</p>', charts: [] };
    const { rows, samples } = data.accuracy;
    const lowest = Math.min(...rows.map((r) => r.top1));
    const chart = {
      id: 'chart-accuracy',
      kind: 'accuracy',
      title: `Top-1 accuracy (%) on ${samples} samples`,
      config: {
        type: 'bar' as const,
        data: {
          labels: rows.map((r) => LABELS[r.engine]),
          datasets: [{ label: 'top-1 (%)', data: rows.map((r) => r.top1 * 100), backgroundColor: rows.map((r) => ENGINE_COLORS[r.engine]) }],
        },
        // Accuracies sit close together: start the axis just below the lowest.
        options: options(axis('category', 'inference'), axis('linear', 'top-1 (%)', { min: Math.max(0, Math.floor(lowest * 100 - 1)), max: 100 }), { legend: false }),
      },
    };
    const body = table(
      ['inference', 'top-1', 'Δ vs float'],
      rows.map((r) => [LABELS[r.engine], pct(r.top1), r.engine === 'float' ? '' : `${r.delta >= 0 ? '+' : '−'}${Math.abs(r.delta * 100).toFixed(2)} pts`]),
      `${samples} samples`,
    );
    return { html: `<div class="pair">${body}${figure(chart, 220)}</div>`, charts: [chart] };
  },
};
