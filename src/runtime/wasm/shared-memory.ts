/**
 * Threads need the kernels' memory shared between instances (one per worker). The modules are
 * built with an imported, non-shared memory that has a maximum; `withSharedMemory` returns a copy
 * of the binary whose memory import is declared shared (limits flag 0x01 → 0x03, the only byte
 * that differs between the two builds asc would emit), so one artifact serves both cases.
 */
import { ModelFormatError } from '../../errors.ts';

/** Reads an unsigned LEB128 at `at`; returns the value and the position after it. */
function uleb(bytes: Uint8Array, at: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (;;) {
    const byte = bytes[at++];
    if (byte === undefined) throw new ModelFormatError('wasm binary: truncated LEB128');
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if ((byte & 0x80) === 0) return [value, at];
  }
}

function skipName(bytes: Uint8Array, at: number): number {
  const [length, next] = uleb(bytes, at);
  return next + length;
}

/** The position of the limits flag of the module's memory import (`env.memory`), or −1 when it has none. */
export function memoryImportFlag(bytes: Uint8Array): number {
  let at = 8; // magic + version
  while (at < bytes.length) {
    const id = bytes[at];
    const [size, body] = uleb(bytes, at + 1);
    if (id === 2) {
      let [count, p] = uleb(bytes, body);
      for (; count > 0; count--) {
        p = skipName(bytes, skipName(bytes, p));
        const kind = bytes[p++];
        if (kind === 0x02) return p; // memory: limits flag, then min (and max)
        if (kind === 0x00) p = uleb(bytes, p)[1]; // function: type index
        else if (kind === 0x01) p = skipLimits(bytes, p + 1); // table: reftype, limits
        else if (kind === 0x03) p += 2; // global: valtype, mutability
        else throw new ModelFormatError(`wasm binary: unknown import kind ${kind}`);
      }
      return -1;
    }
    at = body + size;
  }
  return -1;
}

function skipLimits(bytes: Uint8Array, at: number): number {
  const flag = bytes[at];
  let p = uleb(bytes, at + 1)[1];
  if (flag & 1) p = uleb(bytes, p)[1];
  return p;
}

/** A copy of `bytes` whose memory import is shared; the import must declare a maximum. */
export function withSharedMemory(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const at = memoryImportFlag(bytes);
  if (at < 0 || (bytes[at] & 1) === 0) throw new ModelFormatError('wasm binary: no memory import with a maximum to share');
  const copy = new Uint8Array(bytes);
  copy[at] |= 0x02;
  return copy;
}
