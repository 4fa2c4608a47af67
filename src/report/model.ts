/**
 * The report model: everything the HTML report shows, as plain JSON, built from a job summary
 * (the `quantize --json` / `npm start` file) and, optionally, saved calibration statistics. The
 * page embeds it verbatim (`<script type="application/json" id="report-data">`), so what a chart
 * draws can always be read back and compared with these numbers.
 */
import type { Calibration } from '../ptq/calibrate.ts';
import type { PtqConfig } from '../ptq/config.ts';
import type { LsbAgreement } from '../ptq/diagnostics/agreement.ts';
import { tensorDistributions, type MethodPick, type TensorDistribution } from '../ptq/diagnostics/distributions.ts';
import type { WeightRanges } from '../ptq/diagnostics/weight-ranges.ts';
import type { JobSummaryJSON } from '../ptq/job.ts';

export const REPORT_VERSION = 1;

export type Engine = 'float' | 'simulated' | 'integer';

export interface AccuracyRow {
  readonly engine: Engine;
  readonly top1: number;
  /** top1 − float top-1 (0 for float). */
  readonly delta: number;
}

export interface LayerRow {
  readonly tensor: string;
  readonly bits: number;
  readonly range: readonly [number, number];
  /** Float vs simulated, in dB; null when +∞ (quantized without error). */
  readonly sqnrDb: number | null;
  readonly clippedFraction: number;
  readonly scale: number;
  readonly zeroPoint: number;
}

/** A distribution with the range the job actually used. */
export interface DistributionRow extends TensorDistribution {
  readonly chosen: MethodPick;
}

/** Bit widths of one weighted layer. */
export interface BitsRow {
  readonly node: string;
  readonly opType: string;
  readonly weightBits: number;
  /** Of the activation the layer reads and the one it writes; null when that one stays float. */
  readonly inputBits: number | null;
  readonly outputBits: number | null;
  readonly biasBits: number | null;
}

export interface FloatNodeRow {
  readonly node: string;
  readonly opType: string | null;
  /** 'plan': the plan leaves it unquantized; 'integer': integer execution computes it in float. */
  readonly stage: 'plan' | 'integer';
  readonly reason: string;
}

export interface ReportData {
  readonly version: typeof REPORT_VERSION;
  readonly title: string;
  /** The float model and the quantized output, when known. */
  readonly model: string | null;
  readonly output: string | null;
  readonly config: PtqConfig;
  readonly format: 'qdq' | 'qoperator';
  readonly calibration: { readonly samples: number; readonly skipped: number };
  readonly accuracy: { readonly samples: number; readonly rows: readonly AccuracyRow[] } | null;
  readonly layers: readonly LayerRow[];
  readonly distributions: readonly DistributionRow[];
  readonly weights: readonly WeightRanges[];
  readonly bits: readonly BitsRow[];
  readonly floatNodes: readonly FloatNodeRow[];
  readonly agreement: readonly LsbAgreement[];
  readonly sizes: JobSummaryJSON['sizes'];
  readonly preparation: readonly string[];
  /** Warnings and decisions: accumulator risks, notes of the integer lowering. */
  readonly notes: readonly string[];
}

export interface ReportOptions {
  readonly title?: string;
  readonly model?: string;
  readonly output?: string;
  /**
   * Calibration statistics of this model (`quantkit calibrate`): the histograms and method picks
   * are computed from them, e.g. for a summary of a `max` run, whose calibration kept no histograms.
   */
  readonly statistics?: Calibration;
}

/** The report model of a job summary. */
export function buildReport(summary: JobSummaryJSON, options: ReportOptions = {}): ReportData {
  const { plan, config } = summary;
  const distributions = options.statistics
    ? tensorDistributions(Object.entries(plan.activations).map(([tensor, a]) => ({ tensor, group: a.group, bits: a.bits })), options.statistics, config)
    : summary.distributions;
  return {
    version: REPORT_VERSION,
    title: options.title ?? `quantkit report${options.model ? `: ${options.model}` : ''}`,
    model: options.model ?? null,
    output: options.output ?? null,
    config,
    format: summary.format,
    calibration: summary.calibration,
    accuracy: summary.eval
      ? {
          samples: summary.eval.samples,
          rows: (['float', 'simulated', 'integer'] as const).map((engine) => ({ engine, top1: summary.eval![engine], delta: summary.eval![engine] - summary.eval!.float })),
        }
      : null,
    layers: summary.layers.map((l) => ({ tensor: l.tensor, bits: l.bits, range: l.range, sqnrDb: l.sqnr_db, clippedFraction: l.clipped_fraction, scale: l.scale, zeroPoint: l.zero_point })),
    distributions: distributions
      .filter((d) => plan.activations[d.tensor] !== undefined)
      .map((d) => ({ ...d, chosen: { method: config.method, min: plan.activations[d.tensor].range[0], max: plan.activations[d.tensor].range[1] } })),
    weights: summary.weight_ranges,
    bits: summary.weight_ranges.map((w) => {
      const bias = Object.values(plan.biases).find((b) => b.node === w.node);
      return {
        node: w.node,
        opType: w.opType,
        weightBits: w.bits,
        inputBits: plan.activations[w.input]?.bits ?? null,
        outputBits: plan.activations[w.output]?.bits ?? null,
        biasBits: bias?.bits ?? null,
      };
    }),
    floatNodes: [
      ...plan.floatNodes.map((node) => ({
        node,
        opType: null,
        stage: 'plan' as const,
        reason: config.exclude.includes(node) ? 'excluded by name' : 'not quantized: excluded by op type, or no quantized form for its op',
      })),
      ...summary.integer.fallbacks.map((f) => ({ node: f.node, opType: f.opType, stage: 'integer' as const, reason: f.reason })),
    ],
    agreement: summary.integer_agreement,
    sizes: summary.sizes,
    preparation: summary.preparation,
    notes: [
      ...summary.accumulator_risks.map((r) => `${r.node} sums ${r.k} products: its int32 accumulator could reach ${r.bound.toExponential(2)} > 2^31 (try --reduce-range or fewer bits)`),
      ...summary.integer.notes,
    ],
  };
}
