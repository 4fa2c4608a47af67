/** Messages between the page (main.ts) and the worker that runs the job (worker.ts). */
import type { JobSummaryJSON } from '../../src/ptq/job.ts';
import type { Granularity } from '../../src/quant/granularity.ts';

export interface Settings {
  readonly method: string;
  readonly granularity: Granularity;
  readonly weightBits: number;
  readonly activationBits: number;
  /** Calibration samples used (the first ones). */
  readonly calibrationCount: number;
  /** Evaluation samples used (the first ones). */
  readonly evaluationCount: number;
  readonly format: 'qdq' | 'qoperator';
}

/** An image the user picked: its path below the folder they chose, and its class index (-1: none). */
export interface PickedImage {
  readonly path: string;
  readonly label: number;
  readonly file: Blob;
}

/** Where samples come from: IDX bytes (the bundled digits) or the user's image files. */
export type SampleSource =
  | { readonly kind: 'idx'; readonly name: string; readonly images: Uint8Array; readonly labels: Uint8Array }
  | { readonly kind: 'images'; readonly name: string; readonly images: readonly PickedImage[]; readonly labelled: boolean };

export interface RunRequest {
  readonly model: { readonly name: string; readonly bytes: Uint8Array };
  /** The model's sidecar JSON text (preprocessing, class names), if any. */
  readonly sidecar?: string;
  readonly calibration: SampleSource;
  readonly evaluation?: SampleSource;
  readonly settings: Settings;
}

export type WorkerMessage =
  | { readonly type: 'progress'; readonly stage: string; readonly done: number; readonly total: number | undefined }
  | {
      readonly type: 'done';
      readonly summary: JobSummaryJSON;
      /** The report page (renderReportHtml). */
      readonly report: string;
      /** The quantized model and the file name to save it under. */
      readonly onnx: Uint8Array;
      readonly output: string;
    }
  | { readonly type: 'error'; readonly message: string };
