/**
 * Loading a model file in Node.js, with external tensor data confined to the model's folder:
 * a location that is absolute, climbs out with `..`, or resolves (through symlinks) outside the
 * folder is refused, and offset/length must lie within the data file.
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { describeError, ModelFormatError } from '../errors.ts';
import type { Model } from '../ir/graph.ts';
import { importModelWithReport, type ExternalDataResolver, type ImportOptions, type ImportResult } from '../onnx/import.ts';

export type LoadModelOptions = Omit<ImportOptions, 'externalData' | 'fileName'>;

function inside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

/** A resolver reading external data files inside `folder` only (see the module comment). */
export function confinedExternalData(folder: string): ExternalDataResolver {
  const root = realpathSync(folder);
  return (location, offset, length) => {
    if (location.includes('\0') || isAbsolute(location) || /^[a-zA-Z]:[\\/]/.test(location) || location.startsWith('\\')) {
      throw new ModelFormatError(`location ${JSON.stringify(location)} is absolute; external data must be relative to the model's folder`);
    }
    const target = resolve(root, location);
    if (!inside(root, target)) throw new ModelFormatError(`location ${JSON.stringify(location)} leaves the model's folder`);
    let real: string;
    try {
      real = realpathSync(target);
    } catch (error) {
      throw new ModelFormatError(`cannot open ${JSON.stringify(location)} (${describeError(error)})`);
    }
    if (!inside(root, real)) throw new ModelFormatError(`location ${JSON.stringify(location)} resolves (through a link) outside the model's folder`);
    const fd = openSync(real, 'r');
    try {
      const stat = fstatSync(fd);
      if (!stat.isFile()) throw new ModelFormatError(`location ${JSON.stringify(location)} is not a regular file`);
      const size = stat.size;
      const count = length ?? size - offset;
      if (offset > size || count < 0 || offset + count > size) {
        throw new ModelFormatError(`offset ${offset} and length ${length ?? 'to end'} exceed ${JSON.stringify(location)} (${size} bytes)`);
      }
      const bytes = new Uint8Array(count);
      let done = 0;
      while (done < count) {
        const n = readSync(fd, bytes, done, count - done, offset + done);
        if (n === 0) throw new ModelFormatError(`${JSON.stringify(location)} ended early`);
        done += n;
      }
      return bytes;
    } finally {
      closeSync(fd);
    }
  };
}

/** Reads and imports a model file, also returning the upgrade record. */
export function loadModelFileWithReport(path: string, options: LoadModelOptions = {}): ImportResult {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new ModelFormatError(`${path}: cannot read the model file (${describeError(error)})`);
  }
  return importModelWithReport(bytes, { ...options, fileName: basename(path), externalData: confinedExternalData(dirname(resolve(path))) });
}

/** Reads and imports an ONNX model file; external data is read from the model's folder only. */
export function loadModelFile(path: string, options: LoadModelOptions = {}): Model {
  return loadModelFileWithReport(path, options).model;
}
