/** The section contract: one module per section of the report, listed in index.ts. */
import type { ChartSpec } from '../charts.ts';
import type { ReportData } from '../model.ts';

export interface SectionOutput {
  /** The section's body (its heading is added by the page). */
  readonly html: string;
  /** The charts whose figures the body contains. */
  readonly charts: readonly ChartSpec[];
}

export interface ReportSection {
  /** Anchor id of the `<section>`: stable, used by the table of contents and tests. */
  readonly id: string;
  readonly title: string;
  render(data: ReportData): SectionOutput;
}
