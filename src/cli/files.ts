/**
 * File access for commands: models with their sidecar JSON, datasets, and atomic output writes
 * (a temporary file renamed into place, so an interrupted run never leaves a partial file and an
 * input is never modified). The temporary files of writes in progress are tracked, so the CLI's
 * SIGINT/SIGTERM handler (main.ts) can remove them.
 */
import { existsSync, fstatSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseSidecar, type ModelSidecar } from '../data/sidecar.ts';
import { loadModelFileWithReport } from '../node/load-model.ts';
import type { ImportResult } from '../onnx/import.ts';
import type { Limits } from '../ir/limits.ts';
import { UsageError } from './errors.ts';

export interface LoadedModel extends ImportResult {
  readonly path: string;
  readonly bytes: number;
  readonly sidecar: ModelSidecar | undefined;
}

export function requireFile(path: string, what: string): void {
  if (!existsSync(path)) throw new UsageError(`${what} ${path} does not exist`);
}

/** The sidecar JSON beside a model: `<dir>/<name>.json` for `<dir>/<name>.onnx`. */
export function sidecarPath(modelPath: string): string {
  return join(dirname(modelPath), `${basename(modelPath).replace(/\.onnx$/i, '')}.json`);
}

/** Loads an ONNX model and its sidecar `<name>.json`, if there is one beside it. */
/** Limits for the models commands load (`--model-limit`, set by main.ts before a command runs). */
let modelLimits: Partial<Limits> = {};

export function setModelLimits(limits: Partial<Limits>): void {
  modelLimits = { ...limits };
}

export function loadModel(path: string): LoadedModel {
  requireFile(path, 'model');
  if (statSync(path).isDirectory()) throw new UsageError(`model ${path} is a directory; pass the .onnx file`);
  const result = loadModelFileWithReport(path, { limits: modelLimits });
  const sidecarFile = sidecarPath(path);
  const sidecar = existsSync(sidecarFile) ? parseSidecar(readFileSync(sidecarFile, 'utf8'), sidecarFile) : undefined;
  return { ...result, path, bytes: statSync(path).size, sidecar };
}

/** Temporary files being written now. */
const temporaries = new Set<string>();

/** Removes the temporary files of writes in progress (called when the process is interrupted). */
export function removeTemporaries(): void {
  for (const path of temporaries) rmSync(path, { force: true });
  temporaries.clear();
}

/**
 * Throws UsageError when standard output is redirected to one of `paths`, files the command is
 * about to write: the shell truncates the file before the command starts, and the atomic write
 * that replaces it later sends everything printed after that into a deleted file
 * (`quantize -o x.onnx --json > x.json` lost its JSON to the model's sidecar x.json). Commands
 * call it before their work; writeOutput calls it again.
 */
export function refuseStdoutTarget(paths: readonly string[]): void {
  let out;
  try {
    out = fstatSync(1);
  } catch {
    return; // no standard output
  }
  if (!out.isFile()) return;
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const file = statSync(path);
    if (file.ino === out.ino && file.dev === out.dev) throw new UsageError(`standard output is redirected to ${path}, which this command writes too; redirect it to another file`);
  }
}

/**
 * Writes `data` to `path` atomically: to a temporary file beside it, then renamed. Refuses to
 * overwrite an existing file unless `force`, never writes over one of `inputs`, nor over the file
 * standard output is redirected to.
 */
export function writeOutput(path: string, data: Uint8Array | string, options: { force?: boolean; inputs?: readonly string[] } = {}): void {
  refuseStdoutTarget([path]);
  for (const input of options.inputs ?? []) {
    if (existsSync(input) && existsSync(path) && statSync(input).ino === statSync(path).ino) {
      throw new UsageError(`output ${path} is the input ${input}; choose another output path`);
    }
  }
  if (existsSync(path) && !options.force) throw new UsageError(`output ${path} exists; pass --force to overwrite it`);
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  temporaries.add(temporary);
  try {
    writeFileSync(temporary, data);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  } finally {
    temporaries.delete(temporary);
  }
}
