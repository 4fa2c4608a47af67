/** The results of a run on the page: top-1 per engine, sizes and time, the downloads and the report. */
import type { JobSummaryJSON } from '../../src/ptq/job.ts';
import type { WorkerMessage } from './protocol.ts';

const ENGINES = [
  ['float', 'float (FP32)'],
  ['simulated', 'simulated (fake-quant)'],
  ['integer', 'integer-only'],
] as const;

const percent = (fraction: number) => `${(fraction * 100).toFixed(2)}%`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

function element<K extends keyof HTMLElementTagNameMap>(tag: K, text: string, attributes: Record<string, string> = {}): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.textContent = text;
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  return node;
}

/** Each top-1 with its exact value in `data-top1` (what the browser test compares with Node). */
function accuracyRows(summary: JobSummaryJSON): HTMLElement[] {
  const ev = summary.eval;
  if (ev === undefined) return [element('p', 'Not evaluated: give labelled evaluation images (one subfolder per class).')];
  const table = element('table', '', { id: 'accuracy' });
  table.append(element('caption', `Top-1 accuracy on ${ev.samples} evaluation images`, { 'data-samples': String(ev.samples) }));
  for (const [engine, label] of ENGINES) {
    const row = table.insertRow();
    row.append(element('th', label, { scope: 'row' }), element('td', percent(ev[engine]), { 'data-engine': engine, 'data-top1': String(ev[engine]) }));
  }
  return [table];
}

let urls: string[] = [];

function download(link: HTMLAnchorElement, name: string, blob: Blob, text: string): void {
  const url = URL.createObjectURL(blob);
  urls.push(url);
  link.href = url;
  link.download = name;
  link.textContent = text;
  link.hidden = false;
}

export function showResults(root: HTMLElement, done: Extract<WorkerMessage, { type: 'done' }>, sidecar: string | undefined): void {
  for (const url of urls) URL.revokeObjectURL(url);
  urls = [];
  const { summary } = done;
  const c = summary.config;
  root.querySelector('#headline')!.textContent = `W${c.weightBits}A${c.activationBits}, ${c.method} ranges, ${c.granularity} weights, ${summary.format.toUpperCase()}; calibrated on ${summary.calibration.samples} samples`;
  root.querySelector('#accuracy-box')!.replaceChildren(...accuracyRows(summary));
  root.querySelector('#sizes')!.textContent =
    `Model ${kib(summary.sizes.float)} → ${kib(summary.sizes.quantized)} (weights ${kib(summary.sizes.weights.float)} → ${kib(summary.sizes.weights.quantized)}); ` +
    `${summary.seconds.quantize.toFixed(1)} s to quantize, ${summary.seconds.evaluate.toFixed(1)} s to evaluate and diagnose.`;
  download(root.querySelector<HTMLAnchorElement>('#download-model')!, done.output, new Blob([done.onnx as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }), `Download ${done.output}`);
  download(root.querySelector<HTMLAnchorElement>('#download-report')!, done.output.replace(/\.onnx$/, '.report.html'), new Blob([done.report], { type: 'text/html' }), 'the report (HTML)');
  const sidecarLink = root.querySelector<HTMLAnchorElement>('#download-sidecar')!;
  // The quantized model takes the same input as the float one: its sidecar goes with it.
  if (sidecar === undefined) sidecarLink.hidden = true;
  else download(sidecarLink, done.output.replace(/\.onnx$/, '.json'), new Blob([sidecar], { type: 'application/json' }), 'its sidecar JSON');
  root.querySelector<HTMLIFrameElement>('#report')!.srcdoc = done.report;
  root.hidden = false;
}
