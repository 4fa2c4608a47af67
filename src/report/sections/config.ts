/** The configuration the job ran with, what preparation changed, and notes (accumulator risks, lowering decisions). */
import { code, escapeHtml, table } from '../markup.ts';
import type { ReportSection } from './section.ts';

export const configSection: ReportSection = {
  id: 'config',
  title: 'Configuration',
  render(data) {
    const settings: [string, string][] = [
      ...Object.entries(data.config).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
      ['format', data.format],
      ['calibration samples', `${data.calibration.samples}${data.calibration.skipped ? ` (${data.calibration.skipped} skipped: non-finite)` : ''}`],
      ...(data.model ? [['model', data.model] as [string, string]] : []),
      ...(data.output ? [['output', data.output] as [string, string]] : []),
    ];
    const list = (title: string, items: readonly string[]) =>
      items.length === 0 ? '' : `<h3>${escapeHtml(title)}</h3><ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
    return {
      html: table(['setting', 'value'], settings.map(([k, v]) => [code(k), v])) + list('Graph preparation', data.preparation) + list('Notes', data.notes),
      charts: [],
    };
  },
};
