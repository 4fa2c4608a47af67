/**
 * The WebAssembly backend of the fast kernels: compiles the modules of kernels.generated.ts,
 * instantiates one on a memory the arena manages, and decides — once, at load — what this engine
 * may run:
 *
 * - no WebAssembly SIMD128 (validation fails) → undefined: every kernel keeps its TypeScript path;
 * - relaxed SIMD validates and its self-test passes → the relaxed module, else the baseline one
 *   (an engine may validate relaxed SIMD and still compute it wrongly: Node 20 with
 *   --experimental-wasm-relaxed-simd returns twice the dot product from its baseline compiler
 *   until the function tiers up; self-test.ts catches that on the first calls);
 * - a baseline self-test failure disables wasm altogether (the reason is in wasmStatus()).
 *
 * Kernels call `wasmKernels()` synchronously; the first call instantiates (the modules are small:
 * synchronous compilation is allowed on a browser's main thread since Chrome 114, and
 * `initWasmKernels()` compiles asynchronously for older engines). `setWasmEnabled(false)` forces
 * the TypeScript paths (tests compare both; outputs are identical for integer kernels).
 * Threads: a pool (src/node/threads, ./threads/web-pool.ts) installs a backend on shared memory
 * with `installThreadPool`; kernels then split their work across it (./parallel.ts).
 */
import { WasmArena } from './arena.ts';
import { decodeBase64 } from './base64.ts';
import { KERNEL_BINARIES } from './kernels.generated.ts';
import { withSharedMemory } from './shared-memory.ts';
import type { ThreadPool } from './threads/pool.ts';

/** The exported kernels: plain functions of numbers (addresses, sizes, flags). */
export type KernelExports = Readonly<Record<string, (...args: number[]) => number>>;

export interface WasmBackend {
  readonly exports: KernelExports;
  readonly arena: WasmArena;
  readonly memory: WebAssembly.Memory;
  /** The compiled module, for workers to instantiate on the same (shared) memory. */
  readonly module: WebAssembly.Module;
  /** True when the relaxed-SIMD module passed its self-test and runs. */
  readonly relaxed: boolean;
  /** The worker pool kernels split their work across, if any. */
  readonly pool: ThreadPool | undefined;
  /**
   * With a pool: a backend on an unshared memory for the calls that stay on the calling thread
   * (parallel.ts backendFor) — V8 copies into shared memory with relaxed atomics, ~5× slower.
   */
  readonly local?: WasmBackend;
}

export interface WasmStatus {
  /** True when the kernels run in WebAssembly. */
  readonly active: boolean;
  readonly relaxed: boolean;
  /** Threads a kernel may use: the pool's workers plus the calling thread. */
  readonly threads: number;
  /** Why wasm (or relaxed SIMD) is not used, when it is not. */
  readonly notes: readonly string[];
}

/** Memory limits: 1 MiB at start, 2 GiB at most (the maximum the modules declare). */
export const INITIAL_PAGES = 16;
export const MAX_PAGES = 32768;

type Flavor = keyof typeof KERNEL_BINARIES;

interface State {
  enabled: boolean;
  loaded: boolean;
  backend: WasmBackend | undefined;
  notes: string[];
}

const state: State = { enabled: true, loaded: false, backend: undefined, notes: [] };
const modules = new Map<string, WebAssembly.Module>();

/** A self-test: undefined when the backend computes what the TypeScript references compute, else what differs. */
export type SelfTest = (backend: WasmBackend) => string | undefined;
let selfTests: { baseline: SelfTest; relaxed: SelfTest } | undefined;

/** Registers the self-tests (self-test.ts does, at import; kept apart so the tests can import the backend alone). */
export function registerSelfTests(tests: { baseline: SelfTest; relaxed: SelfTest }): void {
  selfTests = tests;
}

function binary(flavor: Flavor, shared: boolean): Uint8Array<ArrayBuffer> {
  const bytes = decodeBase64(KERNEL_BINARIES[flavor]);
  return shared ? withSharedMemory(bytes) : bytes;
}

function compiled(flavor: Flavor, shared: boolean): WebAssembly.Module {
  const key = `${flavor}${shared ? '/shared' : ''}`;
  let module = modules.get(key);
  if (module === undefined) {
    module = new WebAssembly.Module(binary(flavor, shared));
    modules.set(key, module);
  }
  return module;
}

/** The memory the kernels work in: shared (for threads) or not. */
export function createKernelMemory(shared: boolean): WebAssembly.Memory {
  return new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAX_PAGES, shared });
}

function instantiate(module: WebAssembly.Module, memory: WebAssembly.Memory, relaxed: boolean): WasmBackend {
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return { exports: instance.exports as unknown as KernelExports, arena: new WasmArena(memory, MAX_PAGES), memory, module, relaxed, pool: undefined };
}

/**
 * Picks and self-tests a backend: the relaxed module when it validates and passes, else the
 * baseline one; undefined (with notes) when SIMD is missing or the baseline self-test fails.
 */
export function loadBackend(options: { shared: boolean; memory?: WebAssembly.Memory }, notes: string[]): WasmBackend | undefined {
  if (typeof WebAssembly !== 'object') {
    notes.push('no WebAssembly in this engine');
    return undefined;
  }
  if (!WebAssembly.validate(binary('simd', false))) {
    notes.push('WebAssembly SIMD128 does not validate in this engine');
    return undefined;
  }
  const memory = options.memory ?? createKernelMemory(options.shared);
  if (WebAssembly.validate(binary('relaxed', false))) {
    const candidate = instantiate(compiled('relaxed', options.shared), memory, true);
    const failure = selfTests === undefined ? 'no self-test registered' : selfTests.relaxed(candidate);
    if (failure === undefined) return candidate;
    notes.push(`relaxed SIMD validates but its self-test failed (${failure}): using the dot_i16x8 kernels`);
  } else {
    notes.push('relaxed SIMD does not validate: using the dot_i16x8 kernels');
  }
  const backend = instantiate(compiled('simd', options.shared), memory, false);
  const failure = selfTests === undefined ? 'no self-test registered' : selfTests.baseline(backend);
  if (failure !== undefined) {
    notes.push(`the SIMD kernels' self-test failed (${failure}): using the TypeScript kernels`);
    return undefined;
  }
  return backend;
}

/**
 * The backend kernels use, or undefined for the TypeScript paths (wasm disabled, unsupported, or
 * failing its self-test). The first call loads it.
 */
export function wasmKernels(): WasmBackend | undefined {
  if (!state.enabled) return undefined;
  if (!state.loaded) {
    state.loaded = true;
    try {
      state.backend = loadBackend({ shared: false }, state.notes);
    } catch (error) {
      state.notes.push(`loading the wasm kernels failed: ${error instanceof Error ? error.message : String(error)}`);
      state.backend = undefined;
    }
  }
  return state.backend;
}

/** Loads the backend ahead of use, compiling asynchronously (for engines that forbid large synchronous compiles). */
export async function initWasmKernels(): Promise<WasmStatus> {
  if (!state.loaded && typeof WebAssembly === 'object') {
    for (const flavor of Object.keys(KERNEL_BINARIES) as Flavor[]) {
      if (!modules.has(flavor) && WebAssembly.validate(binary(flavor, false))) modules.set(flavor, await WebAssembly.compile(binary(flavor, false)));
    }
  }
  wasmKernels();
  return wasmStatus();
}

/** Turns the wasm kernels on (default) or off (every kernel takes its TypeScript path). */
export function setWasmEnabled(enabled: boolean): void {
  state.enabled = enabled;
}

/** Whether the wasm kernels are on (they may still be unavailable: see wasmStatus). */
export function wasmEnabled(): boolean {
  return state.enabled;
}

/** What runs: wasm or not, relaxed SIMD or not, threads, and why not. */
export function wasmStatus(): WasmStatus {
  const backend = wasmKernels();
  return { active: backend !== undefined, relaxed: backend?.relaxed ?? false, threads: (backend?.pool?.workers ?? 0) + 1, notes: [...state.notes] };
}

/**
 * Installs `backend` (on shared memory, bound to a pool) as the one kernels use, or with
 * undefined goes back to a single-threaded backend. Used by the thread pools.
 */
export function installBackend(backend: WasmBackend | undefined): void {
  state.loaded = false;
  state.backend = undefined;
  if (backend !== undefined) {
    state.loaded = true;
    state.backend = backend;
  }
}
