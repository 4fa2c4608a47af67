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
  private u8: Uint8Array;
  private i32: Int32Array;
  private f32: Float32Array;

  constructor(readonly memory: WebAssembly.Memory, private readonly maxPages: number) {
    this.u8 = new Uint8Array(memory.buffer);
    this.i32 = new Int32Array(memory.buffer);
    this.f32 = new Float32Array(memory.buffer);
  }

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
    const have = this.u8.byteLength;
    if (end > have) {
      const pages = Math.ceil((end - have) / PAGE);
      if (have / PAGE + pages > this.maxPages) throw new LimitError(`wasm kernels: ${end} bytes of scratch memory exceed the limit of ${this.maxPages * PAGE}`);
      this.memory.grow(pages);
      this.u8 = new Uint8Array(this.memory.buffer);
      this.i32 = new Int32Array(this.memory.buffer);
      this.f32 = new Float32Array(this.memory.buffer);
    }
    this.top = end;
    return ptr;
  }

  /** Allocates room for `data` and copies it in; returns its address. */
  copyIn(data: Typed): number {
    const ptr = this.alloc(data.byteLength);
    if (data instanceof Uint8Array) this.u8.set(data, ptr);
    else if (data instanceof Int32Array) this.i32.set(data, ptr >> 2); // alloc aligns to 16
    else if (data instanceof Float32Array) this.f32.set(data, ptr >> 2);
    else this.u8.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), ptr);
    return ptr;
  }

  /** A zero-filled allocation. */
  zeros(bytes: number): number {
    const ptr = this.alloc(bytes);
    this.u8.fill(0, ptr, ptr + bytes);
    return ptr;
  }

  /** Bytes [ptr, ptr + length) copied into `target` from `offset` on. */
  copyOut(ptr: number, length: number, target: Uint8Array | Int8Array, offset: number): void {
    const src = this.u8.subarray(ptr, ptr + length);
    target.set(target instanceof Uint8Array ? src : new Int8Array(src.buffer, src.byteOffset, length), offset);
  }

  bytes(ptr: number, length: number): Uint8Array {
    return this.u8.subarray(ptr, ptr + length);
  }

  int8(ptr: number, length: number): Int8Array {
    return new Int8Array(this.memory.buffer, ptr, length);
  }

  int32(ptr: number, length: number): Int32Array {
    return this.i32.subarray(ptr >> 2, (ptr >> 2) + length);
  }

  float32(ptr: number, length: number): Float32Array {
    return this.f32.subarray(ptr >> 2, (ptr >> 2) + length);
  }
}
