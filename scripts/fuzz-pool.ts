/**
 * Runs a fuzz campaign in child processes (scripts/fuzz-child.ts), so whatever a case does stays
 * in its process and can be stopped: a case still running after the time bound is a hang; one
 * whose process exhausts its JS heap or whose resident set (sampled from /proc on Linux) passes
 * the memory cap is out-of-memory; a process that dies otherwise is a crash. The process is
 * killed and replaced, and the campaign goes on. (Worker threads cannot do this: V8 aborts the
 * whole process on some out-of-memory paths.) Each process gets its next case ahead of time to
 * hide the message latency; a case's time bound starts when the one before it has finished.
 * Results do not depend on which process ran what.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Limits } from '../src/ir/limits.ts';
import { FUZZ_LIMITS, prepareCase, type CaseResult, type Outcome } from '../src/fuzz/campaign.ts';
import type { CorpusEntry } from '../src/fuzz/corpus.ts';
import type { ChildSetup } from './fuzz-child.ts';

export interface CampaignOptions {
  readonly corpus: readonly CorpusEntry[];
  readonly seed: number;
  /** Cases first … first + cases − 1 run. */
  readonly cases: number;
  readonly first?: number;
  readonly limits?: Partial<Limits>;
  /** Case processes (default: up to 2, one per core). */
  readonly processes?: number;
  /** A case still running after this long is a hang (default 30 s; cases take milliseconds). */
  readonly timeoutMs?: number;
  /** Resident set of a case process above which its case is out-of-memory (default 2 GiB). */
  readonly memoryCapBytes?: number;
  /** JS heap of a case process, MiB (default 1024). */
  readonly heapMb?: number;
  /** The case process module (default fuzz-child.ts; tests substitute a misbehaving one). */
  readonly childModule?: URL;
  readonly onResult?: (result: CaseResult, done: number) => void;
}

export interface CampaignRun {
  /** One result per case, by index. */
  readonly results: readonly CaseResult[];
  readonly seconds: number;
  /** Largest resident set any case process reached. */
  readonly peakRssBytes: number;
}

interface Slot {
  readonly child: ChildProcess;
  ready: boolean;
  /** The last lines the process wrote to stderr (V8 reports heap exhaustion there). */
  stderr: string;
  /** Cases sent, in the order the process runs them: the first is running. */
  readonly queue: number[];
  timer?: ReturnType<typeof setTimeout>;
}

/** Cases sent to a process ahead of the one it runs. */
const AHEAD = 1;

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Resident set of a process in bytes, from /proc (undefined where there is none). */
function residentBytes(pid: number | undefined): number | undefined {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return kb ? Number(kb[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

export function runCampaign(options: CampaignOptions): Promise<CampaignRun> {
  const started = performance.now();
  const first = options.first ?? 0;
  const pending = Array.from({ length: options.cases }, (_, i) => first + i);
  const results = new Map<number, CaseResult>();
  const timeoutMs = options.timeoutMs ?? 30_000;
  const memoryCap = options.memoryCapBytes ?? 2 ** 31;
  const setup: ChildSetup = { corpus: options.corpus, seed: options.seed, limits: options.limits ?? FUZZ_LIMITS };
  const module = fileURLToPath(options.childModule ?? new URL('./fuzz-child.ts', import.meta.url));
  let peakRssBytes = 0;

  return new Promise((resolve, reject) => {
    const slots: Slot[] = [];
    let done = false;
    const finish = (error?: unknown) => {
      if (done) return;
      done = true;
      clearInterval(watchdog);
      for (const slot of slots) retire(slot);
      if (error !== undefined) reject(error);
      else resolve({ results: [...results.values()].sort((a, b) => a.index - b.index), seconds: (performance.now() - started) / 1000, peakRssBytes });
    };
    const record = (result: CaseResult) => {
      results.set(result.index, result);
      options.onResult?.(result, results.size);
    };
    /** A result the case process could not report: labelled by replaying the case's choices here. */
    const labelled = (index: number, outcome: Outcome, message: string): CaseResult => ({ ...prepareCase(options.seed, index, options.corpus).spec, outcome, message });
    const retire = (slot: Slot) => {
      clearTimeout(slot.timer);
      slot.child.removeAllListeners();
      slot.child.kill('SIGKILL');
    };
    /** Ends the running case of `slot` with `outcome`, and puts a fresh process in its place; cases sent ahead go back to the queue. */
    const fail = (slot: Slot, outcome: Outcome, message: string) => {
      const [index, ...ahead] = slot.queue;
      retire(slot);
      pending.unshift(...ahead);
      slots[slots.indexOf(slot)] = spawn();
      if (index !== undefined) record(labelled(index, outcome, message));
      dispatch();
    };
    const startTimer = (slot: Slot) => {
      clearTimeout(slot.timer);
      slot.timer = slot.queue.length === 0 ? undefined : setTimeout(() => fail(slot, 'hang', `still running after ${timeoutMs / 1000} s`), timeoutMs);
    };
    const spawn = (): Slot => {
      const child = fork(module, [], {
        cwd: ROOT,
        execArgv: ['--import', 'tsx', `--max-old-space-size=${options.heapMb ?? 1024}`],
        serialization: 'advanced',
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      });
      const slot: Slot = { child, ready: false, stderr: '', queue: [] };
      child.stderr!.on('data', (chunk: Buffer) => (slot.stderr = (slot.stderr + chunk.toString()).slice(-2000)));
      child.on('message', (message: { ready: true } | { result: CaseResult; maxRssBytes: number }) => {
        if ('ready' in message) slot.ready = true;
        else {
          slot.queue.shift();
          startTimer(slot);
          peakRssBytes = Math.max(peakRssBytes, message.maxRssBytes);
          record(message.result);
        }
        dispatch();
      });
      child.on('exit', (code, signal) => {
        if (!slot.ready) return finish(new Error(`fuzz case process failed to start (exit ${code ?? signal}): ${slot.stderr.trim()}`));
        const oom = /heap out of memory|allocation failed/i.test(slot.stderr);
        fail(slot, oom ? 'oom' : 'crash', `case process died (exit ${code ?? signal})${slot.stderr ? `: ${slot.stderr.trim().split('\n').slice(-1)[0]}` : ''}`);
      });
      child.send(setup);
      return slot;
    };
    const dispatch = () => {
      if (done) return;
      if (results.size === options.cases) return finish();
      for (const slot of slots) {
        while (slot.ready && slot.queue.length <= AHEAD && pending.length > 0) {
          const index = pending.shift()!;
          slot.queue.push(index);
          if (slot.queue.length === 1) startTimer(slot);
          slot.child.send({ index });
        }
      }
    };
    const watchdog = setInterval(() => {
      for (const slot of slots) {
        if (slot.queue.length === 0) continue;
        const rss = residentBytes(slot.child.pid) ?? 0;
        peakRssBytes = Math.max(peakRssBytes, rss);
        if (rss > memoryCap) fail(slot, 'oom', `resident set ${(rss / 2 ** 20).toFixed(0)} MiB above the cap of ${(memoryCap / 2 ** 20).toFixed(0)} MiB`);
      }
    }, 25);
    const count = Math.max(1, Math.min(options.processes ?? Math.min(2, availableParallelism()), options.cases || 1));
    for (let i = 0; i < count; i++) slots.push(spawn());
    if (options.cases === 0) finish();
  });
}
