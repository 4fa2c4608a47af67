/** Model sizes: the ONNX file and the weight tensors alone, float vs quantized. */
import { COLORS, axis, options } from '../charts.ts';
import { figure, pct, table } from '../markup.ts';
import type { ReportSection } from './section.ts';

export function formatSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

export const sizesSection: ReportSection = {
  id: 'sizes',
  title: 'Sizes',
  render(data) {
    const s = data.sizes;
    const rows = [
      { what: 'model file', float: s.float, quantized: s.quantized },
      ...(s.weights ? [{ what: 'weight tensors', float: s.weights.float, quantized: s.weights.quantized }] : []),
    ];
    const chart = {
      id: 'chart-sizes',
      kind: 'sizes',
      title: 'Bytes, float vs quantized',
      config: {
        type: 'bar' as const,
        data: {
          labels: rows.map((r) => r.what),
          datasets: [
            { label: 'float', data: rows.map((r) => r.float), backgroundColor: COLORS.grey },
            { label: 'quantized', data: rows.map((r) => r.quantized), backgroundColor: COLORS.blue },
          ],
        },
        options: options(axis('category', ''), axis('linear', 'bytes', { beginAtZero: true })),
      },
    };
    const body = table(['', 'float', 'quantized', 'quantized / float'], rows.map((r) => [r.what, formatSize(r.float), formatSize(r.quantized), pct(r.quantized / r.float, 1)]));
    return { html: `<div class="pair">${body}${figure(chart, 220)}</div>`, charts: [chart] };
  },
};
