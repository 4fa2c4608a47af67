/**
 * Byte-level mutations of a model file: what a damaged download or a hostile file looks like
 * before any protobuf structure is trusted. Each returns new bytes; the input is not modified
 * (copies use Uint8Array.from: a Node Buffer's slice() is a view, not a copy).
 */
import type { FuzzRandom } from './random.ts';

/** Flips 1–16 random bits. */
export function flipBits(bytes: Uint8Array, rng: FuzzRandom): Uint8Array {
  const out = Uint8Array.from(bytes);
  if (out.length === 0) return out;
  for (let n = rng.between(1, 16); n > 0; n--) out[rng.below(out.length)] ^= 1 << rng.below(8);
  return out;
}

/** Cuts the file short (anywhere, including inside a length-delimited field). */
export function truncate(bytes: Uint8Array, rng: FuzzRandom): Uint8Array {
  return Uint8Array.from(bytes.subarray(0, rng.below(bytes.length)));
}

/** Replaces a random range with a random range of `donor` (another model, or the same one). */
export function splice(bytes: Uint8Array, rng: FuzzRandom, donor: Uint8Array): Uint8Array {
  const at = rng.below(bytes.length + 1);
  const cut = rng.below(Math.min(256, bytes.length - at) + 1);
  const from = rng.below(donor.length + 1);
  const piece = donor.subarray(from, from + rng.below(Math.min(512, donor.length - from) + 1));
  const out = new Uint8Array(bytes.length - cut + piece.length);
  out.set(bytes.subarray(0, at));
  out.set(piece, at);
  out.set(bytes.subarray(at + cut), at + piece.length);
  return out;
}

/** Inserts a copy of a random range (1–64 bytes) at a random place: lengths no longer match what follows. */
export function duplicateRange(bytes: Uint8Array, rng: FuzzRandom): Uint8Array {
  const from = rng.below(bytes.length + 1);
  const piece = Uint8Array.from(bytes.subarray(from, from + rng.between(1, 64)));
  const at = rng.below(bytes.length + 1);
  const out = new Uint8Array(bytes.length + piece.length);
  out.set(bytes.subarray(0, at));
  out.set(piece, at);
  out.set(bytes.subarray(at), at + piece.length);
  return out;
}

/** Random bytes (0–4 KiB), sometimes after a valid-looking ModelProto prefix of `bytes`. */
export function randomBytes(bytes: Uint8Array, rng: FuzzRandom): Uint8Array {
  const prefix = rng.chance(0.5) ? bytes.subarray(0, rng.below(Math.min(64, bytes.length) + 1)) : new Uint8Array(0);
  const out = new Uint8Array(prefix.length + rng.below(4097));
  out.set(prefix);
  for (let i = prefix.length; i < out.length; i++) out[i] = rng.below(256);
  return out;
}
