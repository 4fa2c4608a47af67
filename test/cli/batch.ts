// Runs several `quantkit` command lines in one child Node process: the CLI's own `main` (what
// bin/quantkit.js runs) with stdout and stderr captured per command. One TypeScript start-up
// instead of one per command keeps the CLI tests within their time budget.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface CommandResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

const SELF = fileURLToPath(import.meta.url);

/** Each command line's exit code and output, run in order in one process. */
export function quantkitBatch(commands: readonly (readonly string[])[]): CommandResult[] {
  const child = spawnSync(process.execPath, ['--import', 'tsx', SELF], { input: JSON.stringify(commands), encoding: 'utf8', maxBuffer: 64 << 20 });
  if (child.status !== 0) throw new Error(`the CLI batch failed (${child.status}): ${child.stderr}`);
  return JSON.parse(child.stdout) as CommandResult[];
}

async function runBatch(): Promise<void> {
  const { main } = await import('../../src/cli/main.ts');
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  const results: CommandResult[] = [];
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  for (const argv of JSON.parse(input) as string[][]) {
    const captured = { stdout: '', stderr: '' };
    process.stdout.write = ((chunk: string | Uint8Array) => ((captured.stdout += String(chunk)), true)) as typeof process.stdout.write;
    process.stderr.write = ((chunk: string | Uint8Array) => ((captured.stderr += String(chunk)), true)) as typeof process.stderr.write;
    try {
      results.push({ status: await main(argv), ...captured });
    } finally {
      process.stdout.write = out;
      process.stderr.write = err;
    }
  }
  out(JSON.stringify(results));
}

if (process.argv[1] === SELF) await runBatch();
