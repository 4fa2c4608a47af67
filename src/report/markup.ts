/**
 * HTML building blocks of the report: escaping, tables, chart figures, number formats. Every
 * text that comes from a model (tensor and node names) goes through `escapeHtml`.
 */
import type { ChartSpec } from './charts.ts';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/**
 * JSON safe inside `<script type="application/json">`: every `<` becomes `\u003c`, so no
 * `</script` or `<!--` can end or confuse the element; JSON.parse reads it back unchanged.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/**
 * JavaScript source safe inside `<script>`: `</script` (only possible inside a string, regex or
 * comment) is written `<\/script`, which means the same there.
 */
export function scriptSource(source: string): string {
  return source.replace(/<\/(script)/gi, '<\\/$1');
}

export type Cell = string | { readonly html: string } | number | null;

/** A table; string cells are escaped, `{html}` cells inserted as they are, numbers formatted with `num`. */
export function table(headers: readonly string[], rows: readonly (readonly Cell[])[], caption?: string): string {
  const cell = (c: Cell, tag: string) => {
    const numeric = typeof c === 'number' || c === null;
    const content = c === null ? '—' : typeof c === 'number' ? num(c) : typeof c === 'string' ? escapeHtml(c) : c.html;
    return `<${tag}${numeric ? ' class="num"' : ''}>${content}</${tag}>`;
  };
  return [
    '<div class="table-box"><table>',
    caption ? `<caption>${escapeHtml(caption)}</caption>` : '',
    `<thead><tr>${headers.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead>`,
    `<tbody>${rows.map((r) => `<tr>${r.map((c) => cell(c, 'td')).join('')}</tr>`).join('')}</tbody>`,
    '</table></div>',
  ].join('');
}

/** A chart's figure: its canvas (with a text fallback), caption and `data-*` attributes for tests and tools. */
export function figure(spec: ChartSpec, height = 280): string {
  const data = Object.entries({ chart: spec.kind, ...spec.attributes })
    .map(([k, v]) => ` data-${k}="${escapeHtml(v)}"`)
    .join('');
  return [
    `<figure class="chart">`,
    `<div class="canvas-box" style="height:${height}px">`,
    `<canvas id="${escapeHtml(spec.id)}"${data} role="img" aria-label="${escapeHtml(spec.title)}">${escapeHtml(spec.title)} (the table beside it holds the numbers)</canvas>`,
    `</div><figcaption>${escapeHtml(spec.title)}</figcaption></figure>`,
  ].join('');
}

/** A number for people: 4 significant digits, exponent form when very large or small. */
export function num(x: number | null): string {
  if (x === null || Number.isNaN(x)) return '—';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (x === 0 || Number.isInteger(x)) return String(x);
  const a = Math.abs(x);
  return a >= 1e5 || a < 1e-3 ? x.toExponential(3) : String(Number(x.toPrecision(4)));
}

export function pct(fraction: number, digits = 2): string {
  return `${(fraction * 100).toFixed(digits)}%`;
}

/** Text-wide code span. */
export function code(text: string): { html: string } {
  return { html: `<code>${escapeHtml(text)}</code>` };
}
