/**
 * Chart specifications: a stable canvas id plus a Chart.js configuration that is plain JSON (no
 * callbacks), so the page can embed every chart's data beside the report data and a test can read
 * back what each chart draws. Colours are the Okabe–Ito palette (distinguishable with the common
 * colour-vision deficiencies); range methods also differ by dash pattern.
 */
import type { ChartConfiguration, ChartDataset, ChartOptions } from 'chart.js';

export interface ChartSpec {
  /** The canvas id: stable for a given model and plan. */
  readonly id: string;
  /** What the chart shows (`sqnr`, `histogram`, `curve`, ...), also its canvas's `data-chart`. */
  readonly kind: string;
  readonly title: string;
  /** More `data-*` attributes of the canvas (e.g. `tensor`). */
  readonly attributes?: Readonly<Record<string, string>>;
  readonly config: ChartConfiguration;
}

export const COLORS = {
  blue: '#0072B2',
  orange: '#E69F00',
  green: '#009E73',
  pink: '#CC79A7',
  vermillion: '#D55E00',
  sky: '#56B4E9',
  grey: '#7f7f7f',
  black: '#000000',
} as const;

const METHOD_STYLE: Record<string, { color: string; dash: number[] }> = {
  max: { color: COLORS.blue, dash: [] },
  percentile: { color: COLORS.orange, dash: [8, 4] },
  mse: { color: COLORS.green, dash: [3, 3] },
  entropy: { color: COLORS.pink, dash: [10, 3, 2, 3] },
  dfp: { color: COLORS.vermillion, dash: [6, 2] },
  sfp: { color: COLORS.sky, dash: [2, 6] },
};

/** A range method's line colour and dash pattern. */
export function methodStyle(method: string): { color: string; dash: number[] } {
  return METHOD_STYLE[method] ?? { color: COLORS.black, dash: [1, 3] };
}

/** A colour with an alpha (for fills). */
export function translucent(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${n >> 16}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/** An axis: its type, title and any further Chart.js scale options. */
export type Axis = Readonly<Record<string, unknown>>;

export function axis(type: 'linear' | 'logarithmic' | 'category', title: string, more: Axis = {}): Axis {
  return { type, title: { display: true, text: title }, ...more };
}

/** Common options: no animation (the page is a document), titled axes, the legend on top. */
export function options(x: Axis, y: Axis, extra: { indexAxis?: 'x' | 'y'; legend?: boolean } = {}): ChartOptions {
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    ...(extra.indexAxis ? { indexAxis: extra.indexAxis } : {}),
    plugins: { legend: { display: extra.legend ?? true, position: 'top' } },
    scales: { x, y },
  } as ChartOptions;
}

/** A vertical line at x from y0 to y1, drawn as a two-point line dataset (no plugin needed). */
export function verticalLine(label: string, x: number, y0: number, y1: number, style: { color: string; dash: number[] }, width = 2): ChartDataset<'line', { x: number; y: number | null }[]> {
  return {
    label,
    data: [
      { x, y: y0 },
      { x, y: y1 },
    ],
    borderColor: style.color,
    backgroundColor: style.color,
    borderDash: style.dash,
    borderWidth: width,
    pointRadius: 0,
    fill: false,
  };
}
