/**
 * Integer-only vs simulated execution, per quantized activation: how many elements' integer codes
 * differ by 0, 1 or ≥ 2 LSB on the same samples (fixed-point vs float requantization).
 */
import { COLORS, axis, options } from '../charts.ts';
import { code, figure, table } from '../markup.ts';
import type { ReportSection } from './section.ts';

const BUCKETS = [
  { label: '0 LSB (equal)', color: COLORS.green },
  { label: '1 LSB', color: COLORS.orange },
  { label: '≥ 2 LSB', color: COLORS.vermillion },
] as const;

export const agreementSection: ReportSection = {
  id: 'agreement',
  title: 'Integer vs simulated: LSB differences',
  render(data) {
    if (data.agreement.length === 0) return { html: '<p>Not measured in this summary.</p>', charts: [] };
    const samples = Math.max(...data.agreement.map((a) => a.samples));
    const chart = {
      id: 'chart-agreement',
      kind: 'agreement',
      title: `Elements whose integer and simulated codes differ by 0, 1, ≥ 2 LSB (log count, ${samples} samples)`,
      config: {
        type: 'bar' as const,
        data: {
          labels: data.agreement.map((a) => a.tensor),
          datasets: BUCKETS.map((b, k) => ({ label: b.label, data: data.agreement.map((a) => a.counts[k]), backgroundColor: b.color })),
        },
        options: options(axis('category', 'tensor'), axis('logarithmic', 'elements (log)')),
      },
    };
    const rows = data.agreement.map((a) => [code(a.tensor), code(a.value), a.samples, a.elements, a.counts[0], a.counts[1], a.counts[2], a.maxLsb]);
    return { html: `${figure(chart)}${table(['tensor', 'codes compared', 'samples', 'elements', '0 LSB', '1 LSB', '≥ 2 LSB', 'max LSB'], rows)}`, charts: [chart] };
  },
};
