/**
 * A model's sidecar JSON (`model.json` beside `model.onnx`): what a user would otherwise have to
 * pass on every command line — how raw images become the model's input, and class names.
 *
 *   { "preprocess": { "channels": 1, "scale": 1 }, "labels": ["0", "1", ...], "source": "..." }
 */
import { DataError } from '../errors.ts';
import type { Preprocess } from './preprocess.ts';

export interface ModelSidecar {
  readonly preprocess?: Partial<Preprocess>;
  readonly labels?: readonly string[];
  readonly source?: string;
  readonly license?: string;
}

const KEYS = new Set(['preprocess', 'labels', 'source', 'license', 'description']);

export function parseSidecar(text: string, name = 'sidecar JSON'): ModelSidecar {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new DataError(`${name}: invalid JSON (${(error as Error).message})`, { cause: error });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new DataError(`${name}: expected a JSON object`);
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!KEYS.has(key)) throw new DataError(`${name}: unknown key ${JSON.stringify(key)} (known: ${[...KEYS].join(', ')})`);
  }
  if (record.preprocess !== undefined && (typeof record.preprocess !== 'object' || record.preprocess === null || Array.isArray(record.preprocess))) {
    throw new DataError(`${name}: "preprocess" must be an object`);
  }
  if (record.labels !== undefined && (!Array.isArray(record.labels) || !record.labels.every((l) => typeof l === 'string'))) {
    throw new DataError(`${name}: "labels" must be an array of strings`);
  }
  return record as ModelSidecar;
}
