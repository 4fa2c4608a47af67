/**
 * Timing helpers. Wall-clock time from performance.now(); a measurement is the best of several
 * rounds after a warm-up, so that the JIT has compiled the code and a round that another process
 * interrupted does not count. Load is recorded, not controlled: see docs/BENCHMARKS.md.
 */
import { cpus, loadavg } from 'node:os';
import { readFileSync } from 'node:fs';

/** Milliseconds taken by one call of `run`. */
export async function timeOnce(run: () => unknown): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

/** Best of `rounds` timed calls (milliseconds), after `warmup` untimed ones. */
export async function bestOf(rounds: number, run: () => unknown, warmup = 1): Promise<number> {
  for (let i = 0; i < warmup; i++) await run();
  let best = Infinity;
  for (let i = 0; i < rounds; i++) best = Math.min(best, await timeOnce(run));
  return best;
}

/**
 * Times several variants in alternation (round r runs every variant once), best of `rounds`
 * each, so that load from other processes falls on all of them alike.
 */
export async function bestOfInterleaved(rounds: number, variants: Readonly<Record<string, () => unknown>>, warmup = 1): Promise<Record<string, number>> {
  const best: Record<string, number> = {};
  for (const [name, run] of Object.entries(variants)) {
    for (let i = 0; i < warmup; i++) await run();
    best[name] = Infinity;
  }
  for (let round = 0; round < rounds; round++) {
    for (const [name, run] of Object.entries(variants)) best[name] = Math.min(best[name], await timeOnce(run));
  }
  return best;
}

export interface MachineInfo {
  readonly cpu: string;
  readonly logicalCpus: number;
  readonly node: string;
  readonly v8: string;
  readonly platform: string;
  /** 1-minute load average when the run started and when it ended. */
  readonly loadBefore: number;
  readonly loadAfter?: number;
  readonly onnxruntimeNode: string;
  readonly onnxruntimeWeb: string;
}

function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(new URL(`../../node_modules/${name}/package.json`, import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    logicalCpus: list.length,
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform} ${process.arch}`,
    loadBefore: loadavg()[0],
    onnxruntimeNode: packageVersion('onnxruntime-node'),
    onnxruntimeWeb: packageVersion('onnxruntime-web'),
  };
}

export function currentLoad(): number {
  return loadavg()[0];
}
