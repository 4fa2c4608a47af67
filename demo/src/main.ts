/**
 * The demo page: pick the bundled mnist-8 or drop a model and image folders, choose the settings,
 * quantize in a Web Worker (worker.ts), then see the results and the report and download the
 * quantized model. Everything stays in the browser. `<html data-state>` says idle, running, done
 * or error (the browser test waits on it).
 */
import { RANGE_METHODS } from '../../src/calib/methods/registry.ts';
import { filesFromDrop, filesFromInput, labelImages, type PickedFile } from './picked.ts';
import type { WorkerMessage } from './protocol.ts';
import { bundledRequest, InputProblem, ownRequest, readSettings, type OwnFiles } from './request.ts';
import { showResults } from './results.ts';
import './style.css';

const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;
const form = $<HTMLFormElement>('#job');
const stage = $<HTMLParagraphElement>('#stage');
const progress = $<HTMLProgressElement>('#progress');
const results = $<HTMLElement>('#results');
const own: OwnFiles = {};
let worker: Worker | undefined;

function setState(state: 'idle' | 'running' | 'done' | 'error', message: string): void {
  document.documentElement.dataset.state = state;
  stage.textContent = message;
  stage.setAttribute('role', state === 'error' ? 'alert' : 'status');
  progress.hidden = state !== 'running';
  $<HTMLButtonElement>('#run').disabled = state === 'running';
}

for (const name of RANGE_METHODS.keys()) $<HTMLSelectElement>('select[name=method]').add(new Option(name, name, false, name === 'entropy'));

form.addEventListener('change', () => {
  $<HTMLElement>('#own').hidden = new FormData(form).get('source') !== 'own';
});

/** The model zone takes an .onnx file and optionally its sidecar .json (a new model drops the old sidecar). */
function takeModelFiles(files: readonly File[]): void {
  const model = files.find((f) => /\.onnx$/i.test(f.name));
  const sidecar = files.find((f) => /\.json$/i.test(f.name));
  if (model !== undefined) {
    own.model = model;
    own.sidecar = sidecar;
  } else if (sidecar !== undefined) {
    own.sidecar = sidecar;
  }
  $('#model-picked').textContent = [own.model?.name ?? 'no model yet', own.sidecar ? `sidecar ${own.sidecar.name}` : 'no sidecar (preprocessing read off the input shape, pixels 0..255)'].join('; ');
}

function takeFolder(zone: 'calibration' | 'evaluation', files: PickedFile[]): void {
  own[zone] = files;
  const { images, classes } = labelImages(files);
  $(`#${zone}-picked`).textContent = `${images.length} images${classes.length > 0 ? ` in ${classes.length} classes (${classes.slice(0, 10).join(', ')}${classes.length > 10 ? ', …' : ''})` : ', unlabelled'}`;
}

$<HTMLInputElement>('#model-files').addEventListener('change', (e) => takeModelFiles(Array.from((e.target as HTMLInputElement).files ?? [])));
for (const zone of ['calibration', 'evaluation'] as const) {
  $<HTMLInputElement>(`#${zone}-files`).addEventListener('change', (e) => takeFolder(zone, filesFromInput((e.target as HTMLInputElement).files!)));
}
for (const zone of Array.from(document.querySelectorAll<HTMLElement>('[data-drop]'))) {
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    const target = zone.dataset.drop as 'model' | 'calibration' | 'evaluation';
    if (target === 'model') return takeModelFiles(Array.from(e.dataTransfer?.files ?? []));
    filesFromDrop(e.dataTransfer!.items).then((files) => takeFolder(target, files), (error: unknown) => setState('error', String(error)));
  });
}

function onMessage(message: WorkerMessage, sidecar: string | undefined): void {
  if (message.type === 'progress') {
    stage.textContent = `${message.stage}${message.total ? `: ${message.done} / ${message.total}` : ''}`;
    if (message.total) progress.value = message.done / message.total;
    else progress.removeAttribute('value');
  } else if (message.type === 'done') {
    showResults(results, message, sidecar);
    setState('done', `done: ${message.output}`);
  } else {
    setState('error', message.message);
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  worker?.terminate();
  results.hidden = true;
  setState('running', 'reading the model and samples');
  (async () => {
    const settings = readSettings(form);
    const request = new FormData(form).get('source') === 'own' ? await ownRequest(own, settings) : await bundledRequest(settings);
    const current = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
    worker = current;
    current.onmessage = (e: MessageEvent<WorkerMessage>) => onMessage(e.data, request.sidecar);
    current.onerror = (e) => setState('error', `the worker failed: ${e.message}`);
    current.postMessage(request, [request.model.bytes.buffer as ArrayBuffer]);
  })().catch((error: unknown) => setState('error', error instanceof InputProblem ? error.message : `could not start: ${String(error)}`));
});

setState('idle', '');
