/**
 * Checkpoints: what resuming a run needs — the epochs done, the trainer's values (parameters and
 * BatchNormalization statistics), the optimizer's slots and step count, and the run's settings
 * (checked on resume) — as bytes: the magic "QKCKPT01", a little-endian uint32 header length, a
 * UTF-8 JSON header naming each array with its shape and offset, then the float32 data
 * (little-endian, 4-byte aligned).
 */
import { DataError } from '../../errors.ts';
import { tensor, type Tensor } from '../../ir/tensor.ts';
import type { OptimizerState } from './optimizer.ts';

export interface Checkpoint {
  /** Epochs completed. */
  readonly epoch: number;
  readonly values: ReadonlyMap<string, Tensor>;
  readonly optimizer: OptimizerState;
  /** The run's settings (JSON-safe), compared on resume. */
  readonly settings: Readonly<Record<string, unknown>>;
}

const MAGIC = 'QKCKPT01';

interface Entry {
  readonly kind: 'value' | 'slot';
  readonly name: string;
  readonly shape: readonly number[];
  readonly offset: number;
  readonly length: number;
}

interface Header {
  readonly epoch: number;
  readonly steps: number;
  readonly settings: Record<string, unknown>;
  readonly entries: Entry[];
}

export function encodeCheckpoint(checkpoint: Checkpoint): Uint8Array {
  const arrays: Float32Array[] = [];
  const entries: Entry[] = [];
  let offset = 0;
  const add = (kind: Entry['kind'], name: string, shape: readonly number[], data: ArrayLike<number>) => {
    entries.push({ kind, name, shape: [...shape], offset, length: data.length });
    arrays.push(Float32Array.from(data));
    offset += data.length;
  };
  for (const [name, t] of checkpoint.values) add('value', name, t.shape, t.data);
  for (const [name, slots] of Object.entries(checkpoint.optimizer.slots)) for (const s of slots) add('slot', name, [s.length], s);
  const header: Header = { epoch: checkpoint.epoch, steps: checkpoint.optimizer.steps, settings: { ...checkpoint.settings }, entries };
  const text = JSON.stringify(header);
  // Spaces (one byte each in UTF-8) pad the header so the float32 data starts 4-byte aligned.
  const length = new TextEncoder().encode(text).length;
  const json = new TextEncoder().encode(text + ' '.repeat((4 - ((MAGIC.length + 4 + length) % 4)) % 4));
  const start = MAGIC.length + 4 + json.length;
  const bytes = new Uint8Array(start + offset * 4);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  const view = new DataView(bytes.buffer);
  view.setUint32(MAGIC.length, json.length, true);
  bytes.set(json, MAGIC.length + 4);
  let at = start;
  for (const a of arrays) for (let i = 0; i < a.length; i++, at += 4) view.setFloat32(at, a[i], true);
  return bytes;
}

export function decodeCheckpoint(bytes: Uint8Array, what = 'checkpoint'): Checkpoint {
  if (bytes.length < MAGIC.length + 4 || new TextDecoder().decode(bytes.subarray(0, MAGIC.length)) !== MAGIC) {
    throw new DataError(`${what}: not a quantkit checkpoint (no ${MAGIC} header)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(MAGIC.length, true);
  const start = MAGIC.length + 4 + length;
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(MAGIC.length + 4, start))) as Header;
  } catch (error) {
    throw new DataError(`${what}: damaged header (${(error as Error).message})`, { cause: error });
  }
  const read = (e: Entry): Float32Array => {
    const end = start + (e.offset + e.length) * 4;
    if (end > bytes.length) throw new DataError(`${what}: truncated (array ${JSON.stringify(e.name)} ends at byte ${end} of ${bytes.length})`);
    return Float32Array.from({ length: e.length }, (_, i) => view.getFloat32(start + (e.offset + i) * 4, true));
  };
  const values = new Map<string, Tensor>();
  const slots: Record<string, Float32Array[]> = {};
  for (const e of header.entries) {
    if (e.kind === 'value') values.set(e.name, tensor('float32', e.shape, read(e), `${what}: ${e.name}`));
    else (slots[e.name] ??= []).push(read(e));
  }
  return { epoch: header.epoch, values, optimizer: { steps: header.steps, slots }, settings: header.settings };
}
