/**
 * Letting the event loop turn during long loops of executor runs (calibration, evaluation, the
 * fixed-point search): every run is synchronous underneath, and awaiting an already-resolved
 * promise never leaves the microtask queue, so without this a signal handler (the CLI's Ctrl-C
 * cleanup), a timer or a browser's UI would wait for the whole loop.
 */

/** Longest stretch of runs between two turns of the event loop, in milliseconds. */
const INTERVAL_MS = 50;

let lastTurn = 0;

/** A promise that resolves on the next macrotask when the last turn is INTERVAL_MS old, else undefined. */
export function turnIfDue(): Promise<void> | undefined {
  const now = performance.now();
  if (now - lastTurn < INTERVAL_MS) return undefined;
  lastTurn = now;
  return new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));
}
