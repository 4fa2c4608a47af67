/**
 * Sliding-window geometry of Conv, ConvTranspose and the pooling ops: strides, dilations, pads,
 * auto_pad and ceil_mode turned into per-axis numbers, following the ONNX operator docs
 * (Conv-22, ConvTranspose-22, MaxPool-22, AveragePool-22).
 *
 * Windows are normalised to three spatial axes (1-D and 2-D get leading axes of size 1 with
 * kernel 1, stride 1, dilation 1 and no padding), so one loop nest serves 1-D, 2-D and 3-D.
 */
import { ShapeError, UnsupportedOpError } from '../../../errors.ts';
import { attrInt, attrInts, attrString } from '../../../ir/attributes.ts';
import type { Node } from '../../../ir/graph.ts';
import { nodeLabel } from './node-io.ts';

/** Geometry of one windowed op; every array has three entries (outermost axis first). */
export interface Window {
  /** Spatial rank of the tensors (1, 2 or 3) before normalisation. */
  readonly spatialRank: number;
  readonly input: readonly number[];
  readonly output: readonly number[];
  readonly kernel: readonly number[];
  readonly strides: readonly number[];
  readonly dilations: readonly number[];
  readonly padBegin: readonly number[];
  readonly padEnd: readonly number[];
}

export const MAX_SPATIAL_RANK = 3;

/** Output spatial dims of a normalised window, as the tensor shape needs them (original rank). */
export function outputSpatialShape(window: Window): number[] {
  return window.output.slice(MAX_SPATIAL_RANK - window.spatialRank);
}

/**
 * The indices i in [0, count) with 0 ≤ i·stride + offset < limit, as [start, end) (end may
 * equal start). im2col uses it with offset = k·dilation − padBegin to find the output
 * positions whose tap k lands inside the input; col2im with the roles of input and output
 * swapped.
 */
export function strideRange(count: number, limit: number, stride: number, offset: number): [number, number] {
  const start = Math.max(0, Math.ceil(-offset / stride));
  const end = Math.min(count, Math.floor((limit - 1 - offset) / stride) + 1);
  return [start, Math.max(start, end)];
}

/**
 * For each output position o along `axis`, the taps [lo, hi) of the kernel that land inside the
 * input (0 ≤ o·s + k·d − padBegin < in), packed as [lo₀, hi₀, lo₁, hi₁, ...]. The pooling
 * kernels loop over these instead of testing bounds per tap.
 */
export function tapRanges(window: Window, axis: number): Int32Array {
  const out = window.output[axis];
  const ranges = new Int32Array(2 * out);
  for (let o = 0; o < out; o++) {
    const [lo, hi] = strideRange(window.kernel[axis], window.input[axis], window.dilations[axis], o * window.strides[axis] - window.padBegin[axis]);
    ranges[2 * o] = lo;
    ranges[2 * o + 1] = hi;
  }
  return ranges;
}

interface RawWindow {
  kernel: number[];
  strides: number[];
  dilations: number[];
  pads: number[] | undefined;
  autoPad: string;
}

function readRaw(node: Node, rank: number, kernel: readonly number[], withDilations: boolean): RawWindow {
  const label = nodeLabel(node);
  if (rank < 1 || rank > MAX_SPATIAL_RANK) {
    throw new UnsupportedOpError(`${label}: ${rank} spatial axes; the float kernels handle 1 to ${MAX_SPATIAL_RANK}`);
  }
  const list = (name: string, fallback: number, min: number): number[] => {
    const values = attrInts(node, name) ?? new Array<number>(rank).fill(fallback);
    if (values.length !== rank) throw new ShapeError(`${label}: attribute ${name} has ${values.length} values for ${rank} spatial axes`);
    for (const v of values) {
      if (!Number.isInteger(v) || v < min) throw new ShapeError(`${label}: attribute ${name} = [${values.join(', ')}] needs integers ≥ ${min}`);
    }
    return [...values];
  };
  const declared = attrInts(node, 'kernel_shape');
  if (declared !== undefined && (declared.length !== rank || declared.some((k, i) => k !== kernel[i]))) {
    throw new ShapeError(`${label}: attribute kernel_shape [${declared.join(', ')}] does not match the weight's spatial shape [${kernel.join(', ')}]`);
  }
  for (const k of kernel) {
    if (!Number.isInteger(k) || k < 1) throw new ShapeError(`${label}: kernel shape [${kernel.join(', ')}] needs positive integers`);
  }
  const autoPad = attrString(node, 'auto_pad', 'NOTSET');
  if (!['NOTSET', 'SAME_UPPER', 'SAME_LOWER', 'VALID'].includes(autoPad)) throw new ShapeError(`${label}: unknown auto_pad ${JSON.stringify(autoPad)}`);
  const pads = attrInts(node, 'pads');
  if (pads !== undefined && pads.length !== 2 * rank) throw new ShapeError(`${label}: attribute pads has ${pads.length} values for ${rank} spatial axes`);
  return {
    kernel: [...kernel],
    strides: list('strides', 1, 1),
    dilations: withDilations ? list('dilations', 1, 1) : new Array<number>(rank).fill(1),
    pads: pads === undefined ? undefined : [...pads],
    autoPad,
  };
}

function normalise(rank: number, input: readonly number[], output: number[], raw: RawWindow, padBegin: number[], padEnd: number[]): Window {
  const lead = (values: readonly number[], fill: number): number[] => [...new Array<number>(MAX_SPATIAL_RANK - rank).fill(fill), ...values];
  return {
    spatialRank: rank,
    input: lead(input, 1),
    output: lead(output, 1),
    kernel: lead(raw.kernel, 1),
    strides: lead(raw.strides, 1),
    dilations: lead(raw.dilations, 1),
    padBegin: lead(padBegin, 0),
    padEnd: lead(padEnd, 0),
  };
}

/** Splits a total padding for SAME_UPPER (extra at the end) or SAME_LOWER (extra at the start). */
function splitSame(total: number, autoPad: string): [number, number] {
  const half = Math.floor(total / 2);
  return autoPad === 'SAME_UPPER' ? [half, total - half] : [total - half, half];
}

function explicitPads(node: Node, raw: RawWindow, rank: number): [number[], number[]] {
  const pads = raw.autoPad === 'NOTSET' && raw.pads !== undefined ? raw.pads : new Array<number>(2 * rank).fill(0);
  for (const p of pads) {
    if (!Number.isInteger(p) || p < 0) throw new ShapeError(`${nodeLabel(node)}: attribute pads = [${pads.join(', ')}] needs non-negative integers`);
  }
  return [pads.slice(0, rank), pads.slice(rank)];
}

/**
 * Geometry of Conv: output = floor((in + padBegin + padEnd − ((k − 1)·d + 1)) / s) + 1 for
 * explicit pads (NOTSET, VALID = no pads); SAME_UPPER/SAME_LOWER pick pads that make
 * output = ceil(in / s).
 */
export function convWindow(node: Node, input: readonly number[], kernel: readonly number[]): Window {
  return slidingWindow(node, input, kernel, true, false);
}

/**
 * Geometry of MaxPool / AveragePool: as Conv, plus ceil_mode (ceil instead of floor, dropping
 * a last window that would start in the end padding) and a kernel_shape attribute.
 */
export function poolWindow(node: Node, input: readonly number[]): Window {
  const kernel = attrInts(node, 'kernel_shape');
  if (kernel === undefined) throw new ShapeError(`${nodeLabel(node)}: attribute kernel_shape is required`);
  if (kernel.length !== input.length) {
    throw new ShapeError(`${nodeLabel(node)}: kernel_shape has ${kernel.length} values for ${input.length} spatial axes`);
  }
  return slidingWindow(node, input, kernel, true, attrInt(node, 'ceil_mode', 0) !== 0);
}

/** The last window computed per node, with what it was computed from: runs repeat the same shapes. */
interface CachedWindow {
  readonly input: readonly number[];
  readonly kernel: readonly number[];
  readonly ceilMode: boolean;
  readonly window: Window;
}
const lastWindow = new WeakMap<Node, CachedWindow>();

const sameNumbers = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

function slidingWindow(node: Node, input: readonly number[], kernel: readonly number[], withDilations: boolean, ceilMode: boolean): Window {
  // Nodes are immutable, so a window depends only on them and these arguments (withDilations is per op).
  const cached = lastWindow.get(node);
  if (cached !== undefined && cached.ceilMode === ceilMode && sameNumbers(cached.input, input) && sameNumbers(cached.kernel, kernel)) return cached.window;
  const window = computeWindow(node, input, kernel, withDilations, ceilMode);
  lastWindow.set(node, { input: [...input], kernel: [...kernel], ceilMode, window });
  return window;
}

function computeWindow(node: Node, input: readonly number[], kernel: readonly number[], withDilations: boolean, ceilMode: boolean): Window {
  const rank = input.length;
  const raw = readRaw(node, rank, kernel, withDilations);
  const output: number[] = [];
  let padBegin: number[];
  let padEnd: number[];
  if (raw.autoPad === 'SAME_UPPER' || raw.autoPad === 'SAME_LOWER') {
    padBegin = [];
    padEnd = [];
    for (let i = 0; i < rank; i++) {
      const out = Math.ceil(input[i] / raw.strides[i]);
      const effective = (raw.kernel[i] - 1) * raw.dilations[i] + 1;
      const [begin, end] = splitSame(Math.max(0, (out - 1) * raw.strides[i] + effective - input[i]), raw.autoPad);
      padBegin.push(begin);
      padEnd.push(end);
      output.push(out);
    }
  } else {
    [padBegin, padEnd] = explicitPads(node, raw, rank);
    for (let i = 0; i < rank; i++) {
      const effective = (raw.kernel[i] - 1) * raw.dilations[i] + 1;
      const span = input[i] + padBegin[i] + padEnd[i] - effective;
      let out = (ceilMode ? Math.ceil(span / raw.strides[i]) : Math.floor(span / raw.strides[i])) + 1;
      // ceil_mode: a window that would start inside the end padding is dropped.
      if (ceilMode && (out - 1) * raw.strides[i] >= input[i] + padBegin[i]) out--;
      output.push(out);
    }
  }
  for (let i = 0; i < rank; i++) {
    if (output[i] < 1) {
      throw new ShapeError(
        `${nodeLabel(node)}: input spatial shape [${input.join(', ')}] is smaller than the (dilated) kernel [${raw.kernel.join(', ')}] with pads; output would be [${output.join(', ')}]`,
      );
    }
  }
  return normalise(rank, input, output, raw, padBegin, padEnd);
}

/**
 * Geometry of ConvTranspose. Without output_shape: output = s·(in − 1) + output_padding +
 * (k − 1)·d + 1 − padBegin − padEnd (SAME_*: output = in·s). With output_shape (or SAME_*), the
 * total padding s·(in − 1) + output_padding + (k − 1)·d + 1 − output is split: SAME_UPPER puts
 * the smaller half first, otherwise the larger half first. A negative total (an output larger
 * than the natural size) gives negative pads: the extra positions receive only the bias.
 */
export function convTransposeWindow(node: Node, input: readonly number[], kernel: readonly number[]): Window {
  const rank = input.length;
  const label = nodeLabel(node);
  const raw = readRaw(node, rank, kernel, true);
  const outputPadding = attrInts(node, 'output_padding') ?? new Array<number>(rank).fill(0);
  if (outputPadding.length !== rank) throw new ShapeError(`${label}: attribute output_padding has ${outputPadding.length} values for ${rank} spatial axes`);
  for (let i = 0; i < rank; i++) {
    if (!Number.isInteger(outputPadding[i]) || outputPadding[i] < 0) {
      throw new ShapeError(`${label}: attribute output_padding = [${outputPadding.join(', ')}] needs non-negative integers`);
    }
  }
  let requested = attrInts(node, 'output_shape');
  if (requested !== undefined && requested.length === rank + 2) requested = requested.slice(2);
  if (requested !== undefined && requested.length !== rank) throw new ShapeError(`${label}: attribute output_shape has ${requested.length} values for ${rank} spatial axes`);
  const natural = (i: number): number => raw.strides[i] * (input[i] - 1) + outputPadding[i] + (raw.kernel[i] - 1) * raw.dilations[i] + 1;
  const output: number[] = [];
  let padBegin: number[] = [];
  let padEnd: number[] = [];
  if (requested !== undefined || raw.autoPad === 'SAME_UPPER' || raw.autoPad === 'SAME_LOWER') {
    for (let i = 0; i < rank; i++) {
      const out = requested !== undefined ? requested[i] : input[i] * raw.strides[i];
      const [begin, end] = splitSame(natural(i) - out, raw.autoPad === 'SAME_UPPER' ? 'SAME_UPPER' : 'SAME_LOWER');
      output.push(out);
      padBegin.push(begin);
      padEnd.push(end);
    }
  } else {
    [padBegin, padEnd] = explicitPads(node, raw, rank);
    for (let i = 0; i < rank; i++) output.push(natural(i) - padBegin[i] - padEnd[i]);
  }
  for (let i = 0; i < rank; i++) {
    if (!Number.isInteger(output[i]) || output[i] < 1) throw new ShapeError(`${label}: output spatial shape [${output.join(', ')}] is empty or invalid`);
  }
  return normalise(rank, input, output, raw, padBegin, padEnd);
}
