/** The page's side of a run: the form's settings and the chosen model and samples as a RunRequest. */
import { BUNDLED, EVALUATION_SLICE } from './bundled-assets.ts';
import { labelImages, type PickedFile } from './picked.ts';
import type { RunRequest, SampleSource, Settings } from './protocol.ts';

/** What the user dropped or picked for "my own model and images". */
export interface OwnFiles {
  model?: File;
  sidecar?: File;
  calibration?: PickedFile[];
  evaluation?: PickedFile[];
}

/** A problem the user can fix (shown as it is, without a stack). */
export class InputProblem extends Error {}

export function readSettings(form: HTMLFormElement): Settings {
  const data = new FormData(form);
  const text = (name: string) => String(data.get(name) ?? '');
  const int = (name: string, min: number, max: number) => {
    const value = Number(text(name));
    if (!Number.isInteger(value) || value < min || value > max) throw new InputProblem(`${name}: enter a whole number from ${min} to ${max}`);
    return value;
  };
  return {
    method: text('method'),
    granularity: text('granularity') as Settings['granularity'],
    weightBits: int('weightBits', 2, 16),
    activationBits: int('activationBits', 2, 16),
    calibrationCount: int('calibrationCount', 1, 1_000_000),
    evaluationCount: int('evaluationCount', 1, 1_000_000),
    format: text('format') as Settings['format'],
  };
}

async function fetchBytes(path: string): Promise<Uint8Array> {
  const response = await fetch(new URL(path, document.baseURI));
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** mnist-8 with the bundled calibration digits and t10k slice. */
export async function bundledRequest(settings: Settings): Promise<RunRequest> {
  if (settings.evaluationCount > EVALUATION_SLICE) throw new InputProblem(`the bundled test set holds the first ${EVALUATION_SLICE} t10k images; evaluate on at most ${EVALUATION_SLICE}`);
  const [model, sidecar, calibrationImages, calibrationLabels, evaluationImages, evaluationLabels] = await Promise.all([
    fetchBytes(BUNDLED.model),
    fetchBytes(BUNDLED.sidecar),
    fetchBytes(BUNDLED.calibrationImages),
    fetchBytes(BUNDLED.calibrationLabels),
    fetchBytes(BUNDLED.evaluationImages),
    fetchBytes(BUNDLED.evaluationLabels),
  ]);
  return {
    model: { name: 'mnist-8.onnx', bytes: model },
    sidecar: new TextDecoder().decode(sidecar),
    calibration: { kind: 'idx', name: 'bundled calibration digits', images: calibrationImages, labels: calibrationLabels },
    evaluation: { kind: 'idx', name: 'bundled t10k slice', images: evaluationImages, labels: evaluationLabels },
    settings,
  };
}

function imageSource(name: string, files: readonly PickedFile[]): SampleSource & { kind: 'images' } {
  const { images, labelled } = labelImages(files);
  if (images.length === 0) throw new InputProblem(`${name}: no .png/.jpg/.jpeg images in the folder`);
  return { kind: 'images', name, images, labelled };
}

export async function ownRequest(files: OwnFiles, settings: Settings): Promise<RunRequest> {
  if (files.model === undefined) throw new InputProblem('choose or drop an ONNX model (.onnx)');
  if (files.calibration === undefined) throw new InputProblem('choose or drop a folder of calibration images');
  const evaluation = files.evaluation === undefined ? undefined : imageSource('evaluation images', files.evaluation);
  if (evaluation !== undefined && !evaluation.labelled) throw new InputProblem('evaluation images need labels: put them in one subfolder per class');
  return {
    model: { name: files.model.name, bytes: new Uint8Array(await files.model.arrayBuffer()) },
    ...(files.sidecar ? { sidecar: await files.sidecar.text() } : {}),
    calibration: imageSource('calibration images', files.calibration),
    ...(evaluation ? { evaluation } : {}),
    settings,
  };
}
