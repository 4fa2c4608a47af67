/**
 * How the CLI ends: exit code 0 on success, 1 on a failure of quantkit itself, 2 when the input is
 * at fault (usage, missing files, malformed models or data), 130 / 143 when interrupted by
 * SIGINT / SIGTERM. Errors print on one line as
 * `quantkit: <code>: <message>`; the stack only with --verbose.
 */
import { QuantkitError } from '../errors.ts';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
/** 128 + the signal number, as shells report a process ended by SIGINT (Ctrl-C) or SIGTERM. */
export const EXIT_INTERRUPTED: Readonly<Record<'SIGINT' | 'SIGTERM', number>> = { SIGINT: 130, SIGTERM: 143 };

/** A command line that cannot work: a missing file, an option value out of range. */
export class UsageError extends QuantkitError {
  constructor(message: string) {
    super('E_USAGE', message);
  }
}

export function exitCodeFor(error: unknown): number {
  if (error instanceof QuantkitError) return error.code === 'E_KERNEL' ? EXIT_FAILURE : EXIT_USAGE;
  return EXIT_FAILURE;
}

export function formatError(error: unknown, verbose: boolean): string {
  const head = error instanceof QuantkitError ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);
  const line = `quantkit: ${head.replace(/\s*\n\s*/g, ' ')}`;
  if (verbose && error instanceof Error && error.stack) return `${line}\n${error.stack}`;
  return line;
}
