/**
 * Memory management of the kernels' WebAssembly memory: a stack (bump) allocator. The kernels
 * are synchronous and never re-enter, so every call takes what it needs on top of the stack and
 * gives it all back when it returns:
 *
 * ```ts
 * const mark = arena.mark();
 * try { const a = arena.copyIn(x); … } finally { arena.release(mark); }
 * ```
 *
 * Nothing stays in wasm memory between calls: packed weights live in JavaScript arrays
 * (src/runtime/wasm/int8-gemm.ts) and are copied in per call — a memcpy, small beside the
 * products it feeds — so there is no free list, no leak when a model is dropped, and one
 * memory serves every thread. The memory grows in whole pages when the stack needs more; views
 * over it must be taken after the allocations of a call (growing a non-shared memory detaches
 * the old buffer).
 */
import { LimitError } from '../../errors.ts';

const PAGE = 65536;
/** Address 0 is never handed out, so 0 can mean "none" in the kernels' parameter blocks. */
const BASE = 1024;

export type Typed = Int8Array | Uint8Array | Int16Array | Int32Array | Float32Array;

export class WasmArena {
  private top = BASE;

  constructor(readonly memory: WebAssembly.Memory, private readonly maxPages: number) {}

  /** The current top of the stack, for `release`. */
  mark(): number {
    return this.top;
  }

  /** Frees everything allocated since `mark`. */
  release(mark: number): void {
    this.top = mark;
  }

  /** `bytes` bytes aligned to 16, growing the memory when needed; contents are unspecified. */
  alloc(bytes: number): number {
    const ptr = (this.top + 15) & ~15;
    const end = ptr + bytes;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      const pages = Math.ceil((end - have) / PAGE);
      if (have / PAGE + pages > this.maxPages) throw new LimitError(`wasm kernels: ${end} bytes of scratch memory exceed the limit of ${this.maxPages * PAGE}`);
      this.memory.grow(pages);
    }
    this.top = end;
    return ptr;
  }

  /** Allocates room for `data` and copies it in; returns its address. */
  copyIn(data: Typed): number {
    const ptr = this.alloc(data.byteLength);
    this.bytes(ptr, data.byteLength).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    return ptr;
  }

  /** A zero-filled allocation. */
  zeros(bytes: number): number {
    const ptr = this.alloc(bytes);
    this.bytes(ptr, bytes).fill(0);
    return ptr;
  }

  bytes(ptr: number, length: number): Uint8Array {
    return new Uint8Array(this.memory.buffer, ptr, length);
  }

  int8(ptr: number, length: number): Int8Array {
    return new Int8Array(this.memory.buffer, ptr, length);
  }

  int32(ptr: number, length: number): Int32Array {
    return new Int32Array(this.memory.buffer, ptr, length);
  }

  float32(ptr: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, ptr, length);
  }
}
