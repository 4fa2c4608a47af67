/**
 * The Web Worker that runs the quantization job (src/ptq/job.ts, the same call as `quantkit
 * quantize`) off the page's thread, posting progress, then the summary, the report page and the
 * quantized model.
 */
import chartLibrary from '../../node_modules/chart.js/dist/chart.umd.min.js?raw';
import { parseSidecar } from '../../src/data/sidecar.ts';
import { describeError } from '../../src/errors.ts';
import { importModel } from '../../src/onnx/import.ts';
import { runQuantizationJob, summaryToJSON } from '../../src/ptq/job.ts';
import { renderReportHtml } from '../../src/report/html.ts';
import { buildReport } from '../../src/report/model.ts';
import { openSource, preprocessFromInput } from './datasets.ts';
import type { RunRequest, WorkerMessage } from './protocol.ts';

// The worker's global scope, typed by what this file uses (the project compiles against the DOM lib).
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<RunRequest>) => void) | null;
  postMessage(message: WorkerMessage, transfer?: Transferable[]): void;
};

/** Progress at most every 100 ms per stage (evaluation reports after every sample). */
function throttledProgress(): (stage: string, done: number, total: number | undefined) => void {
  let stage = '';
  let last = 0;
  return (next, done, total) => {
    const now = performance.now();
    if (next === stage && now - last < 100 && done !== total) return;
    stage = next;
    last = now;
    scope.postMessage({ type: 'progress', stage, done, total });
  };
}

/** `model.onnx` → `model.w8a8.onnx`. */
function outputName(model: string, weightBits: number, activationBits: number): string {
  return `${model.replace(/\.onnx$/i, '')}.w${weightBits}a${activationBits}.onnx`;
}

async function run(request: RunRequest): Promise<void> {
  const { settings } = request;
  const model = importModel(request.model.bytes, { fileName: request.model.name });
  const sidecar = request.sidecar === undefined ? undefined : parseSidecar(request.sidecar, 'sidecar JSON');
  const preprocess = sidecar?.preprocess ?? preprocessFromInput(model);
  const calibration = await openSource(request.calibration, preprocess, settings.calibrationCount);
  const evaluation = request.evaluation === undefined ? undefined : await openSource(request.evaluation, preprocess, settings.evaluationCount);
  const job = await runQuantizationJob({
    model,
    modelBytes: request.model.bytes.length,
    calibration,
    ...(evaluation ? { evaluation } : {}),
    config: {
      method: settings.method,
      granularity: settings.granularity,
      weightBits: settings.weightBits,
      activationBits: settings.activationBits,
      calibrationLimit: settings.calibrationCount,
    },
    format: settings.format,
    onProgress: throttledProgress(),
  });
  const summary = summaryToJSON(job.summary);
  const output = outputName(request.model.name, settings.weightBits, settings.activationBits);
  const report = renderReportHtml(buildReport(summary, { model: request.model.name, output }), { chartLibrary });
  const onnx = job.onnx;
  scope.postMessage({ type: 'done', summary, report, onnx, output }, [onnx.buffer as ArrayBuffer]);
}

scope.onmessage = (event) => {
  run(event.data).catch((error: unknown) => scope.postMessage({ type: 'error', message: describeError(error) }));
};
