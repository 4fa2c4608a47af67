/**
 * What a thrown value means for the fuzzer. A typed QuantkitError is the intended way to refuse
 * bad input; anything else is a crash. Two typed wrappers still count as crashes because they
 * hide a stray JavaScript error: E_KERNEL (the executor's wrapper for a kernel that threw
 * something untyped) and an E_LIMIT whose cause is a RangeError other than a failed
 * allocation (an out-of-bounds DataView read or a stack overflow is a bug, not a limit).
 */
import { QuantkitError } from '../errors.ts';

export type Verdict = { readonly kind: 'error'; readonly code: string; readonly message: string } | { readonly kind: 'crash'; readonly message: string };

const ALLOCATION_FAILURE = /allocation failed|invalid (typed )?array length|array buffer length/i;

export function classify(error: unknown): Verdict {
  if (error instanceof QuantkitError) {
    const cause = error.cause;
    const hidden = error.code === 'E_KERNEL' || (error.code === 'E_LIMIT' && cause instanceof RangeError && !ALLOCATION_FAILURE.test(cause.message));
    if (!hidden) return { kind: 'error', code: error.code, message: error.message };
    return { kind: 'crash', message: `${error.code} hiding ${describeCrash(cause ?? error)}` };
  }
  return { kind: 'crash', message: describeCrash(error) };
}

/** `TypeError: message (at file:line)` with the first stack frame inside quantkit's sources. */
export function describeCrash(error: unknown): string {
  if (!(error instanceof Error)) return `non-Error thrown: ${String(error)}`;
  const frame = (error.stack ?? '').split('\n').map((line) => /at (?:(\S+) \()?.*?\/(src\/[^):]+:\d+)/.exec(line)).find((m) => m !== null);
  const at = frame ? ` (${frame[1] ? `${frame[1]} ` : ''}${frame[2]})` : '';
  return `${error.name}: ${error.message.split('\n')[0].slice(0, 300)}${at}`;
}
