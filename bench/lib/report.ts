/**
 * What a benchmark section returns and how `npm run bench` shows it. A section measures some
 * engines on some workloads; each measurement is one row. Rows of the same workload form a
 * group, and every row of a group is compared with the group's baseline (quantkit's row): the
 * ratio says how many times faster than the baseline the engine ran (1 for the baseline itself,
 * above 1 for a faster engine).
 */

export interface BenchRow {
  /** The workload, e.g. `mnist-8 t10k, 10,000 images, batch 1`. */
  readonly workload: string;
  /** Who ran it, e.g. `quantkit float`, `onnxruntime-web (wasm, 1 thread)`. */
  readonly engine: string;
  readonly value: number;
  /** `s`, `µs/image`, `GFLOP/s`, ... */
  readonly unit: string;
  /** True for rates (GFLOP/s), false for durations. */
  readonly higherIsBetter: boolean;
  /** The row the other rows of this workload are compared with. */
  readonly baseline?: boolean;
  /** Anything the reader needs besides the number (e.g. the top-1 each engine reached). */
  readonly note?: string;
}

export interface BenchSection {
  readonly name: string;
  readonly description: string;
  run(): Promise<BenchRow[]>;
}

/** Speed of `row` relative to its group's baseline (> 1: faster than the baseline). */
export function speedRatio(row: BenchRow, rows: readonly BenchRow[]): number | undefined {
  const base = rows.find((r) => r.workload === row.workload && r.baseline === true);
  if (base === undefined || base.value === 0 || row.value === 0) return undefined;
  return row.higherIsBetter ? row.value / base.value : base.value / row.value;
}

/** Significant digits for display: 3 for most values, no more decimals than that. */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return value.toFixed(0);
  if (magnitude >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** A plain-text table with left-aligned text columns and right-aligned number columns. */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[], numeric: readonly boolean[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The rows of one section as a table: workload, engine, value, unit, speed vs the baseline, note. */
export function renderRows(rows: readonly BenchRow[]): string {
  const body = rows.map((row, i) => {
    const ratio = speedRatio(row, rows);
    const sameWorkload = i > 0 && rows[i - 1].workload === row.workload;
    return [sameWorkload ? '' : row.workload, row.engine, formatValue(row.value), row.unit, ratio === undefined ? '' : `×${ratio.toFixed(2)}`, row.note ?? ''];
  });
  return renderTable(['workload', 'engine', 'value', 'unit', 'speed vs quantkit', 'note'], body, [false, false, true, false, true, false]);
}
