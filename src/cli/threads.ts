/**
 * `--threads`: how many threads the wasm kernels use for a command. The kernels split rows and
 * columns of their products, every panel computed by the same code, so outputs are identical for
 * any count (test/ptq/determinism.test.ts); only the time changes. main.ts starts the threads
 * before a command's action and stops them after it.
 */
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { UsageError } from './errors.ts';

/** More workers than this is a typo, not a machine: each one holds its own copy of the kernels. */
const MAX_THREADS = 256;

/** Parses `--threads`: a positive integer, or 'auto' / 0 for the available cores. */
export function threadCount(value: string): number {
  if (value === 'auto') return availableParallelism();
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0 || n > MAX_THREADS) throw new UsageError(`--threads must be an integer from 0 to ${MAX_THREADS} or 'auto', got ${JSON.stringify(value)}`);
  return n === 0 ? availableParallelism() : n;
}

/** Adds `--threads` with a default: 'auto' for long jobs, '1' where start-up time matters more. */
export function threadsOption(command: Command, fallback: 'auto' | '1'): Command {
  return command.option('--threads <n>', `kernel threads: n, or 'auto' / 0 for the available cores (default ${fallback}); results do not depend on it`, threadCount, threadCount(fallback));
}
