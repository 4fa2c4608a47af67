import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError } from '../../../../src/errors.ts';
import type { DType } from '../../../../src/ir/dtype.ts';
import type { Attribute } from '../../../../src/ir/graph.ts';
import type { Tensor } from '../../../../src/ir/tensor.ts';
import { requantizeMultipliers } from '../../../../src/quant/requantize.ts';
import { convDims } from '../../../../src/runtime/kernels/float/conv.ts';
import { convWindow } from '../../../../src/runtime/kernels/float/window.ts';
import type { ConvOperands } from '../../../../src/runtime/kernels/integer/conv-operands.ts';
import { outputStage } from '../../../../src/quant/output-stage.ts';
import { isDepthwise, qlinearConvImpl } from '../../../../src/runtime/kernels/integer/qlinear-conv.ts';
import { qlinearConvReference } from '../../../../src/runtime/kernels/integer/qlinear-conv-reference.ts';
import { int, ints, make, Rng, size, str } from '../float/kernel-test-utils.ts';
import { convAttributes, convShapes, plainConv, randomInts, type ConvCase } from '../quant/conv-test-utils.ts';
import { assertMostlyIdentical, assertNodeError, compareWithExact, compareWithOrt, integerNode, runInOrt, runNode, type OrtComparison } from './integer-test-utils.ts';

const RANGE: Record<string, [number, number]> = { int8: [-128, 127], uint8: [0, 255] };

/** Random geometry: 1-D to 3-D, groups, depthwise, strides, dilations, pads, odd sizes (`scale` > 1: larger 2-D layers). */
function randomCase(rng: Rng, kind: 'any' | 'depthwise' | 'pointwise' = 'any', scale = 1): ConvCase {
  const rank = scale > 1 ? 2 : kind === 'pointwise' ? rng.int(1, 2) : rng.int(1, 3);
  const kernel = Array.from({ length: rank }, () => (kind === 'pointwise' ? 1 : rng.int(1, rank === 3 ? 2 : 3)));
  const dilations = Array.from({ length: rank }, () => (kind === 'pointwise' ? 1 : rng.int(1, 2)));
  const pads = Array.from({ length: 2 * rank }, () => (kind === 'pointwise' ? 0 : rng.int(0, 2)));
  const spatial = kernel.map((k, a) => Math.max(1, (k - 1) * dilations[a] + 1 - pads[a] - pads[a + rank]) + rng.int(0, rank === 3 ? 2 : 5 * scale));
  const group = kind === 'depthwise' ? rng.int(2, 5 * scale) : rng.int(1, 2);
  return {
    batch: rng.int(1, 2),
    group,
    inPerGroup: kind === 'depthwise' ? 1 : rng.int(1, 5 * scale),
    outPerGroup: rng.int(1, kind === 'depthwise' ? 2 : 5 * scale),
    spatial,
    kernel,
    strides: Array.from({ length: rank }, () => (kind === 'pointwise' ? 1 : rng.int(1, 2))),
    dilations,
    pads,
  };
}

interface Quantized {
  readonly c: ConvCase;
  readonly inputs: (Tensor | undefined)[];
  readonly attributes: Record<string, Attribute>;
  readonly yType: DType;
  /** The exact real result per output element in output units, zero point included (float64). */
  readonly exact: number[];
}

/**
 * A random QLinearConv whose multipliers come from its own accumulators (TFLite's trick): per
 * output channel, M·max|acc| ≈ 100–200 output steps, so the outputs spread over the range.
 */
function randomQuantized(rng: Rng, c: ConvCase, xType: DType, wType: DType, yType: DType, perChannel: boolean, withBias: boolean): Quantized {
  const shapes = convShapes(c);
  const maps = shapes.w[0];
  const x = randomInts(rng, xType, size(shapes.x));
  const w = randomInts(rng, wType, size(shapes.w));
  const xZero = randomInts(rng, xType, 1)[0];
  const wZero = randomInts(rng, wType, perChannel ? maps : 1);
  const yZero = rng.int(RANGE[yType][0] + 40, RANGE[yType][1] - 40);
  const bias = Array.from({ length: maps }, () => rng.int(-2000, 2000));
  const sums = plainConv(c, x, xZero, w, (m) => wZero[perChannel ? m : 0]);
  const plane = size(shapes.y.slice(2));
  const acc = sums.map((s, i) => s + (withBias ? bias[Math.floor(i / plane) % maps] : 0));
  const channelMax = Array.from({ length: maps }, (_, m) => Math.max(1, ...acc.filter((_, i) => Math.floor(i / plane) % maps === m).map(Math.abs)));
  const xScale = Math.fround(0.01 + 0.05 * rng.uniform());
  const yScale = Math.fround(0.02 + 0.1 * rng.uniform());
  const target = (m: number): number => (100 + 100 * rng.uniform()) / channelMax[m];
  const wScale = perChannel ? Array.from({ length: maps }, (_, m) => Math.fround((target(m) * yScale) / xScale)) : [Math.fround((target(0) * yScale) / xScale)];
  const channelShape = (values: readonly number[]): number[] => (values.length === 1 ? [] : [values.length]);
  const inputs: (Tensor | undefined)[] = [
    make(xType, shapes.x, x),
    make('float32', [], [xScale]),
    make(xType, [], [xZero]),
    make(wType, shapes.w, w),
    make('float32', channelShape(wScale), wScale),
    make(wType, channelShape(wZero), wZero),
    make('float32', [], [yScale]),
    make(yType, [], [yZero]),
  ];
  if (withBias) inputs.push(make('int32', [maps], bias));
  // dequantize → convolve in float64 → divide by s_y: (s_x·s_w[m]·acc) / s_y + z_y
  const exact = acc.map((a, i) => (xScale * wScale[perChannel ? Math.floor(i / plane) % maps : 0] * a) / yScale + yZero);
  return { c, inputs, attributes: convAttributes(c), yType, exact };
}

/** The ConvOperands of a random case, for calling the fast path and the reference directly. */
function operands(q: Quantized): ConvOperands {
  const node = integerNode('QLinearConv', '', q.attributes);
  const [x, xScale, xZero, w, wScale, wZero, yScale, yZero, bias] = q.inputs as Tensor[];
  const dims = convDims(node, x, w, undefined);
  const window = convWindow(node, x.shape.slice(2), w.shape.slice(2));
  const multipliers = requantizeMultipliers(xScale.data[0], wScale.data, yScale.data[0]);
  return {
    x: x.data as Int8Array,
    xZero: xZero.data[0],
    w: w.data as Int8Array,
    wZero: Int32Array.from(wZero.data),
    bias: bias?.data as Int32Array | undefined,
    dims,
    window,
    stage: outputStage(multipliers, yZero.data[0], RANGE[q.yType][0], RANGE[q.yType][1]),
  };
}

const TYPES: readonly DType[] = ['int8', 'uint8'];

test('QLinearConv: im2col GEMM, pointwise and depthwise paths equal the plain reference exactly', (t: TestContext) => {
  const rng = new Rng(0xc0);
  let depthwise = 0;
  let elements = 0;
  for (let trial = 0; trial < 60; trial++) {
    const kind = trial % 3 === 0 ? 'depthwise' : trial % 3 === 1 ? 'pointwise' : 'any';
    const q = randomQuantized(rng, randomCase(rng, kind), TYPES[rng.int(0, 1)], TYPES[rng.int(0, 1)], TYPES[rng.int(0, 1)], rng.int(0, 1) === 0, rng.int(0, 1) === 0);
    const op = operands(q);
    if (isDepthwise(op)) depthwise++;
    const size = op.dims.batch * op.dims.featureMaps * op.window.output.reduce((p, d) => p * d, 1);
    const fast = q.yType === 'int8' ? new Int8Array(size) : new Uint8Array(size);
    const reference = q.yType === 'int8' ? new Int8Array(size) : new Uint8Array(size);
    qlinearConvImpl(op, fast);
    qlinearConvReference(op, reference);
    assert.deepEqual(fast, reference, `trial ${trial}: ${JSON.stringify(q.c)}`);
    // the kernel (inputs read from tensors, weights packed once per node) gives the same
    const node = integerNode('QLinearConv', '', q.attributes);
    assert.deepEqual(runNode(node, q.inputs).data, reference, `trial ${trial} through the kernel`);
    assert.deepEqual(runNode(node, q.inputs).data, reference, `trial ${trial} second run (prepared weights)`);
    // multipliers from the accumulators: not everything saturates
    assert.ok(Array.from(reference).some((v) => v > RANGE[q.yType][0] && v < RANGE[q.yType][1]), `trial ${trial}: outputs inside the range`);
    elements += size;
  }
  assert.ok(depthwise >= 15, `${depthwise} depthwise cases`);
  t.diagnostic(`QLinearConv fast = reference: ${elements} outputs, ${depthwise} depthwise cases`);
});

test('QLinearConv is float64 math rounded: within 1 LSB, equal except within 1e-6 of a tie', (t: TestContext) => {
  const rng = new Rng(0xc1);
  let total = 0;
  let differing = 0;
  let nearTies = 0;
  for (let trial = 0; trial < 40; trial++) {
    const kind = trial % 4 === 0 ? 'depthwise' : 'any';
    const q = randomQuantized(rng, randomCase(rng, kind), TYPES[rng.int(0, 1)], TYPES[rng.int(0, 1)], TYPES[rng.int(0, 1)], rng.int(0, 1) === 0, rng.int(0, 1) === 0);
    const y = runNode(integerNode('QLinearConv', '', q.attributes), q.inputs);
    const c = compareWithExact(y.data, q.exact, RANGE[q.yType][0], RANGE[q.yType][1], `trial ${trial}`);
    total += c.total;
    differing += c.differing;
    nearTies += c.nearTies;
  }
  t.diagnostic(`QLinearConv vs float64: ${total} outputs, ${differing} differ from the rounded exact value, ${nearTies} within 1e-6 of a tie`);
  assert.ok(differing <= nearTies, `${differing} differing, ${nearTies} near ties`);
});

test('QLinearConv with int4-valued weights held in int8, and a 4-bit output', () => {
  const rng = new Rng(0xc4);
  const c = randomCase(rng);
  const shapes = convShapes(c);
  const w = Array.from({ length: size(shapes.w) }, () => rng.int(-8, 7));
  const x = randomInts(rng, 'uint8', size(shapes.x));
  const sums = plainConv(c, x, 3, w, () => 0);
  const maxAcc = Math.max(1, ...sums.map(Math.abs));
  const [xScale, wScale] = [0.02, Math.fround(0.5 / maxAcc)];
  const yScale = Math.fround((xScale * wScale * maxAcc) / 6);
  const inputs = [
    make('uint8', shapes.x, x), make('float32', [], [xScale]), make('uint8', [], [3]),
    make('int8', shapes.w, w), make('float32', [], [wScale]), make('int8', [], [0]),
    make('float32', [], [yScale]), make('int4', [], [-1]),
  ];
  const y = runNode(integerNode('QLinearConv', '', convAttributes(c)), inputs);
  assert.equal(y.dtype, 'int4');
  const exact = sums.map((s) => (Math.fround(xScale) * wScale * s) / yScale - 1);
  compareWithExact(y.data, exact, -8, 7, 'int4 output');
  assert.ok(Array.from(y.data).every((v) => v >= -8 && v <= 7), 'int4 range');
});

test('QLinearConv with auto_pad SAME_UPPER / SAME_LOWER / VALID takes the float Conv geometry', () => {
  const rng = new Rng(0xc5);
  for (const autoPad of ['SAME_UPPER', 'SAME_LOWER', 'VALID']) {
    const c: ConvCase = { batch: 1, group: 1, inPerGroup: 2, outPerGroup: 3, spatial: [7, 6], kernel: [3, 2], strides: [2, 1], dilations: [1, 1], pads: [0, 0, 0, 0] };
    const q = randomQuantized(rng, c, 'uint8', 'int8', 'uint8', true, true);
    const attributes: Record<string, Attribute> = { ...q.attributes, auto_pad: str(autoPad) };
    delete attributes.pads;
    const y = runNode(integerNode('QLinearConv', '', attributes), q.inputs);
    const op = operands({ ...q, attributes });
    const reference = new Uint8Array(y.data.length);
    qlinearConvReference(op, reference);
    assert.deepEqual(y.data, reference, autoPad);
    assert.deepEqual(y.shape, autoPad === 'VALID' ? [1, 3, 3, 5] : [1, 3, 4, 6]);
  }
});

// onnxruntime's QLinearConv type combinations (y has x's type)
const ORT_TYPES: readonly (readonly [DType, DType])[] = [['uint8', 'uint8'], ['uint8', 'int8'], ['int8', 'int8']];

test('QLinearConv agrees with onnxruntime-node: within 1 LSB everywhere, identical on ≥ 99%', async (t: TestContext) => {
  const rng = new Rng(0xc2);
  const counts: OrtComparison[] = [];
  for (let trial = 0; trial < 12; trial++) {
    const [xType, wType] = ORT_TYPES[trial % ORT_TYPES.length];
    const kind = trial % 4 === 0 ? 'depthwise' : 'any';
    const c = randomCase(rng, kind, 3);
    const q = randomQuantized(rng, c, xType, wType, xType, trial % 2 === 0, trial % 3 !== 0);
    if (wType === 'int8') q.inputs[5] = make('int8', q.inputs[5]!.shape, new Array(q.inputs[5]!.data.length).fill(0));
    const y = runNode(integerNode('QLinearConv', '', q.attributes), q.inputs);
    const attributes = { group: q.c.group, strides: q.c.strides, dilations: q.c.dilations, pads: q.c.pads, kernel_shape: q.c.kernel };
    counts.push(compareWithOrt(y, await runInOrt('QLinearConv', '', q.inputs, attributes, xType), `trial ${trial}`));
  }
  const { total, identical } = assertMostlyIdentical(counts, 'QLinearConv');
  t.diagnostic(`QLinearConv vs onnxruntime: ${identical} of ${total} identical`);
});

test('QLinearConv rejects bad inputs with typed errors naming the node', () => {
  const rng = new Rng(0xc3);
  const c: ConvCase = { batch: 1, group: 1, inPerGroup: 2, outPerGroup: 3, spatial: [4], kernel: [2], strides: [1], dilations: [1], pads: [0, 0] };
  const q = randomQuantized(rng, c, 'uint8', 'int8', 'uint8', true, false);
  const node = integerNode('QLinearConv', '', q.attributes);
  const withInput = (i: number, value: Tensor | undefined): (Tensor | undefined)[] => q.inputs.map((t, j) => (j === i ? value : t));
  assertNodeError(() => runNode(node, withInput(4, make('float32', [2], [0.1, 0.2]))), ShapeError, /w_scale has shape \[2\].*output channel \(\[3\]\)/);
  assertNodeError(() => runNode(node, withInput(5, make('int8', [4], [0, 0, 0, 0]))), ShapeError, /w_zero_point/);
  assertNodeError(() => runNode(node, withInput(2, make('int8', [], [0]))), ShapeError, /x_zero_point is int8 but x is uint8/);
  assertNodeError(() => runNode(node, q.inputs.slice(0, 7)), ShapeError, /expects 8 to 9 inputs, got 7/);
  assertNodeError(() => runNode(node, withInput(1, make('float32', [2], [0.1, 0.1]))), ShapeError, /x_scale has shape \[2\].*per tensor/);
  assertNodeError(() => runNode(node, [...q.inputs, make('int32', [2], [1, 2])]), ShapeError, /bias B has shape \[2\], expected \[3\]/);
  assertNodeError(() => runNode(integerNode('QLinearConv', '', { ...q.attributes, group: int(2) }), q.inputs), ShapeError, /group 2/);
  assertNodeError(() => runNode(integerNode('QLinearConv', '', { ...q.attributes, strides: ints([1, 1]) }), q.inputs), ShapeError, /strides/);
});
