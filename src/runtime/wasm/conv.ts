/**
 * Convolutions in wasm, float and integer, all as the TypeScript kernels define them
 * (src/runtime/kernels/float/conv.ts, src/runtime/kernels/integer/qlinear-conv.ts):
 *
 * - general convolution = GEMM per image and group: weights as packed A (rows = output
 *   channels), the im2col matrix packed straight into B panels from zero-point-padded planes
 *   (kernels/conv/im2col.ts); with unit strides the GEMM runs over the padded grid — columns
 *   (od·hP + oh)·wP + ow, a few per row computed and dropped — so eight columns are one vector
 *   load, else a table of column bases; pointwise convolutions pack the input itself;
 * - depthwise convolution: the direct loop of kernels/conv/depthwise.ts.
 * Integer results equal the TypeScript kernels bit for bit; float ones within the float32
 * summation bound of f32-gemm.ts.
 */
import type { Window } from '../kernels/float/window.ts';
import type { ConvOperands } from '../kernels/integer/conv-operands.ts';
import type { WasmBackend } from './backend.ts';
import { f32GemmPacked, F32_NR, packF32Rows } from './f32-gemm.ts';
import { int8Gemm, NR, type WasmPackedOperand } from './int8-gemm.ts';
import { stageArrays } from './output-stage.ts';
import { backendFor, lineTasks, runPanels } from './parallel.ts';
import type { KernelTask } from './threads/pool.ts';

const roundUp = (value: number, step: number): number => Math.ceil(value / step) * step;

/** Where the taps and the output columns of a window lie in its zero-padded planes. */
export interface PaddedGeometry {
  readonly dP: number;
  readonly hP: number;
  readonly wP: number;
  readonly plane: number;
  /** Unit strides: GEMM column j reads padded position j (+ the tap); else `bases` lists them. */
  readonly contiguous: boolean;
  /** GEMM columns: the padded grid's span (contiguous) or the output size. */
  readonly columns: number;
  /** Column bases (not contiguous), padded to whole panels by repeating the last. */
  readonly bases: Int32Array | undefined;
  /** Tap offsets for `channels` planes, in im2col row order (c, kd, kh, kw). */
  readonly taps: Int32Array;
}

/** Geometries by window and channel count: windows are cached per node, so each run finds its own. */
const geometries = new WeakMap<Window, Map<number, PaddedGeometry>>();

/** The padded planes, taps and columns of `window` for `channels` input channels (computed once per window). */
export function paddedGeometry(window: Window, channels: number): PaddedGeometry {
  let byChannels = geometries.get(window);
  if (byChannels === undefined) geometries.set(window, (byChannels = new Map()));
  let g = byChannels.get(channels);
  if (g === undefined) byChannels.set(channels, (g = computeGeometry(window, channels)));
  return g;
}

function computeGeometry(window: Window, channels: number): PaddedGeometry {
  const [iD, iH, iW] = window.input;
  const [oD, oH, oW] = window.output;
  const [kD, kH, kW] = window.kernel;
  const [sD, sH, sW] = window.strides;
  const [dD, dH, dW] = window.dilations;
  // The last tap any output reads lies before input + padEnd (output = floor(span / s) + 1).
  const dP = iD + window.padBegin[0] + window.padEnd[0];
  const hP = iH + window.padBegin[1] + window.padEnd[1];
  const wP = iW + window.padBegin[2] + window.padEnd[2];
  const plane = dP * hP * wP;
  const taps = new Int32Array(channels * kD * kH * kW);
  let p = 0;
  for (let c = 0; c < channels; c++) {
    for (let kd = 0; kd < kD; kd++) {
      for (let kh = 0; kh < kH; kh++) {
        for (let kw = 0; kw < kW; kw++) taps[p++] = c * plane + (kd * dD * hP + kh * dH) * wP + kw * dW;
      }
    }
  }
  const contiguous = sD === 1 && sH === 1 && sW === 1;
  if (contiguous) return { dP, hP, wP, plane, contiguous, columns: ((oD - 1) * hP + oH - 1) * wP + oW, bases: undefined, taps };
  const count = oD * oH * oW;
  const bases = new Int32Array(roundUp(count, NR));
  let j = 0;
  for (let od = 0; od < oD; od++) {
    for (let oh = 0; oh < oH; oh++) {
      for (let ow = 0; ow < oW; ow++) bases[j++] = (od * sD * hP + oh * sH) * wP + ow * sW;
    }
  }
  for (; j < bases.length; j++) bases[j] = bases[j - 1];
  return { dP, hP, wP, plane, contiguous, columns: count, bases, taps };
}

/** Copies `channels` input planes into zero-point-padded planes in the arena; returns their address (with slack for vector over-reads). */
function padInput(backend: WasmBackend, x: Int8Array | Uint8Array | Float32Array, offset: number, channels: number, window: Window, g: PaddedGeometry, fill: number): number {
  const { arena, exports } = backend;
  const elem = x.BYTES_PER_ELEMENT;
  const [iD, iH, iW] = window.input;
  const src = arena.copyIn(x.subarray(offset, offset + channels * iD * iH * iW));
  const slack = (g.columns + 64) * elem;
  const dst = arena.alloc(channels * g.plane * elem + slack);
  arena.bytes(dst + channels * g.plane * elem, slack).fill(fill & 0xff);
  const [pD, pH, pW] = window.padBegin;
  exports.padPlanes(src, channels, iD, iH, iW, pD, pH, pW, g.dP, g.hP, g.wP, elem, fill & 0xff, dst);
  return dst;
}

/** Gathers the valid columns of a GEMM over the padded grid into dense rows (rows × output size) at dst. */
function compactColumns(backend: WasmBackend, out: number, ld: number, rows: number, window: Window, g: PaddedGeometry, elem: number, dst: number): void {
  const [oD, oH, oW] = window.output;
  backend.exports.copyRuns(out, ld, rows, oD, g.hP * g.wP, oH, g.wP, oW, elem, dst);
}

/** The integer convolution `op` (not depthwise) into 8-bit y, with weights packed by packOperand per group (rows = maps). */
export function int8Conv(shared: WasmBackend, op: ConvOperands, y: Int8Array | Uint8Array, weights: readonly WasmPackedOperand[]): void {
  const { x, xZero, wZero, bias, dims, window, stage } = op;
  const { batch, channels, featureMaps, group } = dims;
  const groupChannels = channels / group;
  const maps = featureMaps / group;
  const [iD, iH, iW] = window.input;
  const inSize = iD * iH * iW;
  const outSize = window.output[0] * window.output[1] * window.output[2];
  const k = weights[0]?.depth ?? 0;
  const backend = backendFor(shared, maps * outSize * k);
  const pointwise = k === groupChannels && inSize === outSize && window.padBegin.every((p) => p === 0) && window.strides.every((s) => s === 1);
  const g = pointwise ? undefined : paddedGeometry(window, groupChannels);
  const unsigned = x instanceof Uint8Array ? 1 : 0;
  const { arena } = backend;
  for (let n = 0; n < batch; n++) {
    for (let gi = 0; gi < group; gi++) {
      const mark = arena.mark();
      try {
        const xOffset = (n * channels + gi * groupChannels) * inSize;
        const yOffset = (n * featureMaps + gi * maps) * outSize;
        const columns = g === undefined ? outSize : g.columns;
        const kp = Math.ceil(k / 2);
        const panels = arena.alloc(roundUp(columns, NR) * kp * 4);
        const sums = arena.zeros(roundUp(columns, NR) * 4);
        // B is packed by tasks over runs of whole panels, which run in the GEMM's job before its
        // tiles (threads split them); the columns [first, …) have their panels from panel
        // first / NR on and their sums from sums[first] on
        const at = (first: number): [number, number] => [panels + (first / NR) * kp * 32, sums + first * 4];
        let packing: KernelTask[];
        if (g === undefined) {
          const src = arena.copyIn(x.subarray(xOffset, xOffset + k * inSize));
          packing = lineTasks(backend, 'int8PackColumns', outSize, NR, k, (first, lines) => [src + first, inSize, lines, k, unsigned, ...at(first)]);
        } else {
          const padded = padInput(backend, x, xOffset, groupChannels, window, g, xZero);
          const taps = arena.copyIn(g.taps);
          if (g.contiguous) packing = lineTasks(backend, 'im2colPairsContiguous', columns, NR, k, (first, lines) => [padded + first, taps, k, lines, unsigned, ...at(first)]);
          else {
            const bases = arena.copyIn(g.bases!);
            packing = lineTasks(backend, 'im2colPairsGather', columns, NR, k, (first, lines) => [padded, taps, k, bases + first * 4, lines, unsigned, ...at(first)]);
          }
        }
        const contiguous = g?.contiguous === true;
        const dense = contiguous ? arena.alloc(maps * outSize) : 0;
        int8Gemm(backend, {
          m: maps,
          n: columns,
          k,
          a: { packed: weights[gi] },
          b: { placed: { panels, sums }, packing },
          aZero: wZero.length > 1 ? wZero.subarray(gi * maps, (gi + 1) * maps) : wZero,
          bZero: [xZero],
          rowBias: bias === undefined ? undefined : { data: bias, offset: gi * maps },
          target: {
            kind: 'quantized',
            stage,
            axis: 'rows',
            channel0: gi * maps,
            y,
            offset: yOffset,
            ld: outSize,
            extract: contiguous
              ? (out, ld) => {
                  compactColumns(backend, out, ld, maps, window, g!, 1, dense);
                  arena.copyOut(dense, maps * outSize, y, yOffset);
                }
              : undefined,
          },
        });
      } finally {
        arena.release(mark);
      }
    }
  }
}

// The depthwise parameter block (kernels/conv/depthwise.ts), as i32 fields.
const DW = { x: 0, plane: 1, multiplier: 2, taps: 3, tapCount: 4, weights: 5, bias: 6, xZero: 7, xUnsigned: 8, oD: 9, oH: 10, oW: 11, sD: 12, sH: 13, sW: 14, hP: 15, wP: 16, stage: 17, channels: 18, yZero: 19, qmin: 20, qmax: 21, out: 22, yUnsigned: 23 } as const;
const DW_FIELDS = 24;

/** Tap offsets of one channel's kernel in a padded plane, (kd, kh, kw) order. */
function planeTaps(window: Window, g: PaddedGeometry): Int32Array {
  return g.taps.subarray(0, window.kernel[0] * window.kernel[1] * window.kernel[2]);
}

function depthwiseBlock(window: Window, g: PaddedGeometry, multiplier: number): Int32Array {
  const f = new Int32Array(DW_FIELDS);
  f[DW.plane] = g.plane;
  f[DW.multiplier] = multiplier;
  f[DW.tapCount] = window.kernel[0] * window.kernel[1] * window.kernel[2];
  [f[DW.oD], f[DW.oH], f[DW.oW]] = window.output;
  [f[DW.sD], f[DW.sH], f[DW.sW]] = window.strides;
  f[DW.hP] = g.hP;
  f[DW.wP] = g.wP;
  return f;
}

/** What both depthwise convolutions start from: one padded plane's geometry, sizes, and the backend for their work. */
function depthwiseSetup(shared: WasmBackend, window: Window, featureMaps: number): { g: PaddedGeometry; tapCount: number; inSize: number; outSize: number; backend: WasmBackend } {
  const tapCount = window.kernel[0] * window.kernel[1] * window.kernel[2];
  const inSize = window.input[0] * window.input[1] * window.input[2];
  const outSize = window.output[0] * window.output[1] * window.output[2];
  return { g: paddedGeometry(window, 1), tapCount, inSize, outSize, backend: backendFor(shared, featureMaps * outSize * tapCount) };
}

/** The integer depthwise convolution `op` (one input channel per group) into 8-bit y. */
export function int8Depthwise(shared: WasmBackend, op: ConvOperands, y: Int8Array | Uint8Array): void {
  const { x, xZero, w, wZero, bias, dims, window, stage } = op;
  const { batch, channels, featureMaps } = dims;
  const { g, tapCount, inSize, outSize, backend } = depthwiseSetup(shared, window, featureMaps);
  const { arena } = backend;
  const centred = new Int32Array(featureMaps * tapCount);
  for (let m = 0; m < featureMaps; m++) {
    const zw = wZero.length > 1 ? wZero[m] : wZero[0];
    for (let t = 0; t < tapCount; t++) centred[m * tapCount + t] = w[m * tapCount + t] - zw;
  }
  const perChannel = stage.multiplier.length > 1;
  for (let n = 0; n < batch; n++) {
    const mark = arena.mark();
    try {
      const f = depthwiseBlock(window, g, featureMaps / channels);
      f[DW.x] = padInput(backend, x, n * channels * inSize, channels, window, g, xZero);
      f[DW.taps] = arena.copyIn(planeTaps(window, g));
      f[DW.weights] = arena.copyIn(centred);
      f[DW.bias] = bias === undefined ? 0 : arena.copyIn(bias);
      f[DW.xZero] = xZero;
      f[DW.xUnsigned] = x instanceof Uint8Array ? 1 : 0;
      const channelsOfStage = perChannel ? featureMaps : 1;
      f[DW.stage] = arena.copyIn(stageArrays(stage, 0, channelsOfStage, channelsOfStage));
      f[DW.channels] = channelsOfStage;
      f[DW.yZero] = stage.zeroPoint;
      f[DW.qmin] = stage.qmin;
      f[DW.qmax] = stage.qmax;
      f[DW.out] = arena.alloc(featureMaps * outSize + 16);
      f[DW.yUnsigned] = y instanceof Uint8Array ? 1 : 0;
      const block = arena.copyIn(f);
      runPanels(backend, 'int8Depthwise', [block, 0, featureMaps], 1, featureMaps * outSize * tapCount);
      arena.copyOut(f[DW.out], featureMaps * outSize, y, n * featureMaps * outSize);
    } finally {
      arena.release(mark);
    }
  }
}

/** The float depthwise convolution of float32 x, w, bias into y (conv.ts's depthwise contract). */
export function f32Depthwise(shared: WasmBackend, x: Float32Array, w: Float32Array, bias: Float32Array | undefined, dims: { batch: number; channels: number; featureMaps: number }, window: Window, y: Float32Array): void {
  const { batch, channels, featureMaps } = dims;
  const { g, tapCount, inSize, outSize, backend } = depthwiseSetup(shared, window, featureMaps);
  const { arena } = backend;
  for (let n = 0; n < batch; n++) {
    const mark = arena.mark();
    try {
      const f = depthwiseBlock(window, g, featureMaps / channels);
      f[DW.x] = padInput(backend, x, n * channels * inSize, channels, window, g, 0);
      f[DW.taps] = arena.copyIn(planeTaps(window, g));
      f[DW.weights] = arena.copyIn(w.subarray(0, featureMaps * tapCount));
      f[DW.bias] = bias === undefined ? 0 : arena.copyIn(bias);
      f[DW.out] = arena.alloc(featureMaps * outSize * 4);
      const block = arena.copyIn(f);
      runPanels(backend, 'f32Depthwise', [block, 0, featureMaps], 1, featureMaps * outSize * tapCount);
      y.set(arena.float32(f[DW.out], featureMaps * outSize), n * featureMaps * outSize);
    } finally {
      arena.release(mark);
    }
  }
}

/**
 * The float convolution (conv-direct.ts's contract) of float32 x (N × C × input), w
 * (M × C/group × kernel) and bias into y: per image and group, packed weights × im2col panels.
 */
export function f32Conv(shared: WasmBackend, x: Float32Array, w: Float32Array, bias: Float32Array | undefined, dims: { batch: number; channels: number; featureMaps: number; group: number }, window: Window, y: Float32Array): void {
  const { batch, channels, featureMaps, group } = dims;
  const groupChannels = channels / group;
  const maps = featureMaps / group;
  const inSize = window.input[0] * window.input[1] * window.input[2];
  const outSize = window.output[0] * window.output[1] * window.output[2];
  const k = groupChannels * window.kernel[0] * window.kernel[1] * window.kernel[2];
  const g = paddedGeometry(window, groupChannels);
  const backend = backendFor(shared, maps * outSize * k);
  const { arena } = backend;
  for (let gi = 0; gi < group; gi++) {
    const outer = arena.mark();
    try {
      const pa = packF32Rows(backend, w.subarray(gi * maps * k), false, maps, k, k);
      const rowBias = bias === undefined ? 0 : arena.copyIn(bias.subarray(gi * maps, (gi + 1) * maps));
      for (let n = 0; n < batch; n++) {
        const mark = arena.mark();
        try {
          const padded = padInput(backend, x, (n * channels + gi * groupChannels) * inSize, groupChannels, window, g, 0);
          const taps = arena.copyIn(g.taps);
          const pb = arena.alloc(roundUp(g.columns, F32_NR) * k * 4);
          // im2col over runs of whole panels (columns [first, …) from panel first / 8 on), run
          // in the GEMM's job before its tiles
          const bases = g.contiguous ? 0 : arena.copyIn(g.bases!);
          const packing = g.contiguous
            ? lineTasks(backend, 'im2colF32Contiguous', g.columns, F32_NR, k, (first, lines) => [padded + first * 4, taps, k, lines, pb + first * k * 4])
            : lineTasks(backend, 'im2colF32Gather', g.columns, F32_NR, k, (first, lines) => [padded, taps, k, bases + first * 4, lines, pb + first * k * 4]);
          const { out, ld } = f32GemmPacked(backend, maps, g.columns, k, pa, pb, { alpha: 1, beta: 0, rowBias, packing });
          const yOffset = (n * featureMaps + gi * maps) * outSize;
          if (g.contiguous) {
            const dense = arena.alloc(maps * outSize * 4);
            compactColumns(backend, out, ld, maps, window, g, 4, dense);
            y.set(arena.float32(dense, maps * outSize), yOffset);
          } else {
            const result = arena.float32(out, maps * ld);
            for (let m = 0; m < maps; m++) y.set(result.subarray(m * ld, m * ld + outSize), yOffset + m * outSize);
          }
        } finally {
          arena.release(mark);
        }
      }
    } finally {
      arena.release(outer);
    }
  }
}
