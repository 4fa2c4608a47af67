/**
 * The `quantkit` command line. Commands are thin: parse, call the library, print. Exit codes:
 * 0 ok, 1 failure, 2 usage or bad input (see errors.ts).
 */
import { Command, CommanderError } from 'commander';
import { benchCommand } from './commands/bench.ts';
import { calibrateCommand } from './commands/calibrate.ts';
import { evalCommand } from './commands/eval.ts';
import { inspectCommand } from './commands/inspect.ts';
import { qatCommand } from './commands/qat.ts';
import { quantizeCommand } from './commands/quantize.ts';
import { reportCommand } from './commands/report.ts';
import { startCommand } from './commands/start.ts';
import { trainCommand } from './commands/train.ts';
import { EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, exitCodeFor, formatError, UsageError } from './errors.ts';
import { removeTemporaries, setModelLimits } from './files.ts';
import { DEFAULT_LIMITS, resolveLimits, type Limits } from '../ir/limits.ts';
import { startKernelThreads, stopKernelThreads } from '../node/threads/pool.ts';

export function buildProgram(): Command {
  const program = new Command()
    .name('quantkit')
    .description('Quantize neural networks (ONNX in, quantized ONNX out) and run them in integer arithmetic.')
    .option('--verbose', 'print stack traces with errors')
    .option('--model-limit <name=value>', `resource limit on loaded models, repeatable (${Object.keys(DEFAULT_LIMITS).join(', ')}; defaults in src/ir/limits.ts)`, modelLimit, {})
    .exitOverride()
    // Commander's own errors (unknown option, missing argument, ...) in the one-line form of ours.
    .configureOutput({ outputError: (message, write) => write(`quantkit: E_USAGE: ${message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ').trim()} `) })
    .showHelpAfterError('(run with --help for usage)')
    // --threads (threads.ts) of the command about to run: the kernel workers start here, stop in main().
    .hook('preAction', async (program, action) => {
      setModelLimits(resolveLimits(program.opts<{ modelLimit: Partial<Limits> }>().modelLimit));
      const threads: unknown = action.opts().threads;
      if (typeof threads === 'number' && threads > 1) await startKernelThreads(threads);
    });
  inspectCommand(program);
  evalCommand(program);
  quantizeCommand(program);
  trainCommand(program);
  qatCommand(program);
  calibrateCommand(program);
  reportCommand(program);
  benchCommand(program);
  startCommand(program);
  return program;
}

/** `--model-limit maxNodes=5000`: one limit, added to those given before. */
function modelLimit(value: string, previous: Partial<Limits>): Partial<Limits> {
  const match = /^(\w+)=(\d+)$/.exec(value.trim());
  if (match === null || !(match[1] in DEFAULT_LIMITS)) throw new UsageError(`--model-limit takes name=value with a name among ${Object.keys(DEFAULT_LIMITS).join(', ')}, got ${JSON.stringify(value)}`);
  return { ...previous, [match[1]]: Number(match[2]) };
}

/** Ends an interrupted run: the temporary files of writes in progress go, outputs already renamed into place are complete. */
function interrupted(signal: 'SIGINT' | 'SIGTERM'): void {
  removeTemporaries();
  process.stderr.write(`\nquantkit: interrupted by ${signal}\n`);
  process.exit(EXIT_INTERRUPTED[signal]);
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  process.on('SIGINT', interrupted).on('SIGTERM', interrupted);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed the message (or the help); map its codes to ours.
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    process.stderr.write(`${formatError(error, program.opts().verbose === true || argv.includes('--verbose'))}\n`);
    return exitCodeFor(error);
  } finally {
    process.off('SIGINT', interrupted).off('SIGTERM', interrupted);
    await stopKernelThreads();
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('bin/quantkit.js')) {
  process.exitCode = await main(process.argv.slice(2));
}
