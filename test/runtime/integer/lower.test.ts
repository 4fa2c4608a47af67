// The lowering's structure and its decisions: what mnist-8 becomes, the accumulator bound (against
// K·255·max|w| computed here from the quantized weights), overflow reports, and bad or unusual
// input — a DequantizeLinear of a float tensor (ModelFormatError), of int16 (float fallback),
// mismatched scales (requantized bias, requantizing lookup, QLinearConcat, float fallback).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ModelFormatError } from '../../../src/errors.ts';
import { attrTensor } from '../../../src/ir/attributes.ts';
import { GraphBuilder } from '../../../src/ir/builder.ts';
import type { DType } from '../../../src/ir/dtype.ts';
import type { Model } from '../../../src/ir/graph.ts';
import { scalar, tensor, type Tensor } from '../../../src/ir/tensor.ts';
import { lowerToInteger, loweringSummary } from '../../../src/runtime/integer/lower.ts';
import { mnistData, mnistModel } from '../../ptq/mnist.ts';
import { quantizeModel } from '../../../src/ptq/quantize-model.ts';
import { ptq, uniformSamples } from './helpers.ts';

test('mnist-8 W8A8: every layer lowered, fused Relus absorbed, no float node left', async () => {
  const result = await quantizeModel(mnistModel(), mnistData('calib', 50).dataset, { calibrationLimit: 50, method: 'max' });
  const lowering = lowerToInteger(result.quantized);
  const ops = lowering.model.graph.nodes.map((n) => (n.domain === '' ? n.opType : `${n.domain}::${n.opType}`));
  assert.deepEqual(ops, ['QuantizeLinear', 'QLinearConv', 'MaxPool', 'QLinearConv', 'MaxPool', 'Reshape', 'com.microsoft::QGemm', 'DequantizeLinear']);
  assert.deepEqual(lowering.floatNodes, []);
  assert.deepEqual(lowering.lowered.find((l) => l.node === 'Convolution28')?.absorbed, ['ReLU32']);
  assert.equal(lowering.model.opsets.get('com.microsoft'), 1);
  // No float weight and no DequantizeLinear of a weight is left.
  for (const t of lowering.model.graph.initializers.values()) assert.notEqual(t.dtype === 'float32' && t.data.length > 16, true);

  // The bound K·max|a − z_a|·max|w − z_w| + max|bias code| with uint8 activations of zero point 0 (max 255).
  const maxAbs = (t: Tensor) => {
    let m = 0;
    for (const v of t.data) m = Math.max(m, Math.abs(v));
    return m;
  };
  const init = result.quantized.graph.initializers;
  const expected: [string, number, string, string | undefined][] = [
    ['Convolution28', 1 * 5 * 5, 'Parameter5_quantized', 'Convolution28_bias_quantized'],
    ['Convolution110', 8 * 5 * 5, 'Parameter87_quantized', 'Convolution110_bias_quantized'],
    ['Times212', 256, 'Parameter193_reshape1_quantized', 'Times212_bias_quantized'],
  ];
  for (const [node, k, weight, bias] of expected) {
    const bound = lowering.accumulators.find((a) => a.node === node)!;
    assert.equal(bound.k, k, node);
    assert.equal(bound.maxInput, 255, node);
    assert.equal(bound.maxWeight, maxAbs(init.get(weight)!), node);
    const maxBias = bias === undefined ? 0 : maxAbs(init.get(bias)!);
    assert.equal(bound.maxBias, maxBias, node);
    assert.equal(bound.bound, k * 255 * maxAbs(init.get(weight)!) + maxBias);
    assert.equal(bound.mayOverflow, false);
  }
});

interface Grid {
  readonly scale: number;
  readonly zero: number;
  readonly dtype: DType;
}

/** A hand-written QDQ graph builder: x float → Q → DQ, then the test's nodes. */
function qdqBuilder(name: string, shape: readonly (number | string)[], input: Grid) {
  const b = new GraphBuilder(name);
  b.addInput('x', 'float32', shape);
  const grid = (base: string, g: Grid) => [b.addInitializer(`${base}_scale`, scalar('float32', g.scale)), b.addInitializer(`${base}_zero`, scalar(g.dtype, g.zero))];
  const quantize = (value: string, base: string, g: Grid): string => {
    const [s, z] = grid(base, g);
    b.addNode('QuantizeLinear', [value, s, z], {}, { name: `${base}_q`, outputs: [`${base}_int`] });
    b.addNode('DequantizeLinear', [`${base}_int`, s, z], {}, { name: `${base}_dq`, outputs: [`${base}_real`] });
    return `${base}_real`;
  };
  const constant = (base: string, t: Tensor, scale: number | number[], axis?: number): string => {
    const s = b.addInitializer(`${base}_scale`, Array.isArray(scale) ? tensor('float32', [scale.length], Float32Array.from(scale)) : scalar('float32', scale));
    b.addNode('DequantizeLinear', [b.addInitializer(`${base}_int`, t), s], axis === undefined ? {} : { axis }, { name: `${base}_dq`, outputs: [`${base}_real`] });
    return `${base}_real`;
  };
  return { b, x: quantize('x', 'x', input), quantize, constant };
}

const U8: Grid = { scale: 0.02, zero: 128, dtype: 'uint8' };

function int8(shape: number[], fill: (i: number) => number): Tensor {
  const t = tensor('int8', shape);
  for (let i = 0; i < t.data.length; i++) t.data[i] = fill(i);
  return t;
}

test('a layer whose int32 accumulator could overflow is reported (K = 70,000 > 66,311)', () => {
  const k = 70_000;
  const { b, x, quantize, constant } = qdqBuilder('wide', [1, k], { scale: 0.02, zero: 0, dtype: 'uint8' });
  const w = constant('w', int8([k, 1], () => 127), 0.01);
  b.addNode('MatMul', [x, w], {}, { name: 'fc', outputs: ['y_float'] });
  b.addOutput(quantize('y_float', 'y', U8), 'float32');
  const lowering = lowerToInteger(b.buildModel());
  assert.equal(lowering.overflowRisks.length, 1);
  const risk = lowering.overflowRisks[0];
  assert.equal(risk.node, 'fc');
  assert.equal(risk.bound, k * 255 * 127); // uint8 with zero point 0: max |a − z| = 255
  assert.ok(risk.bound >= 2 ** 31);
});

test('a DequantizeLinear of a float tensor is a ModelFormatError naming the node', () => {
  const b = new GraphBuilder('bad');
  b.addInput('x', 'float32', [1, 4]);
  b.addNode('DequantizeLinear', ['x', b.addInitializer('s', scalar('float32', 0.1))], {}, { name: 'dq_of_float', outputs: ['r'] });
  b.addNode('Relu', ['r'], {}, { name: 'relu', outputs: ['y_float'] });
  b.addNode('QuantizeLinear', ['y_float', 's'], {}, { name: 'q', outputs: ['y'] });
  b.addOutput('y', 'uint8');
  assert.throws(() => lowerToInteger(b.buildModel()), (e: unknown) => e instanceof ModelFormatError && /dq_of_float/.test(e.message) && /float32/.test(e.message));
});

test('an int16 activation keeps its Conv in float, with the reason', () => {
  const int16: Grid = { scale: 0.001, zero: 0, dtype: 'int16' };
  const { b, x, quantize, constant } = qdqBuilder('wide_act', [1, 2, 4, 4], int16);
  const w = constant('w', int8([3, 2, 1, 1], (i) => i - 3), 0.05);
  b.addNode('Conv', [x, w], {}, { name: 'conv', outputs: ['c'] });
  b.addOutput(quantize('c', 'y', U8), 'float32');
  const lowering = lowerToInteger(b.buildModel());
  assert.deepEqual(lowering.floatNodes, ['conv']);
  assert.match(lowering.fallbacks[0].reason, /int16/);
  assert.equal(lowering.lowered.length, 0);
});

test('a per-axis activation scale and blocked weights stay in float; keepFloat is honoured', () => {
  const { b, x, quantize, constant } = qdqBuilder('axes', [1, 8], U8);
  // Weights quantized per block of 4 along K: no QOperator op takes them.
  const blocked = tensor('float32', [2, 2], Float32Array.from([0.1, 0.2, 0.3, 0.4]));
  const s = b.addInitializer('wb_scale', blocked);
  b.addNode('DequantizeLinear', [b.addInitializer('wb_int', int8([8, 2], (i) => i)), s], { axis: 0, block_size: 4 }, { name: 'wb_dq', outputs: ['wb'] });
  b.addNode('MatMul', [x, 'wb'], {}, { name: 'blocked', outputs: ['m'] });
  const m = quantize('m', 'm', U8);
  const w = constant('w', int8([2, 2], (i) => i + 1), 0.1);
  b.addNode('MatMul', [m, w], {}, { name: 'kept', outputs: ['y_float'] });
  b.addOutput(quantize('y_float', 'y', U8), 'float32');
  const lowering = lowerToInteger(b.buildModel(), { keepFloat: ['kept'] });
  assert.deepEqual(lowering.floatNodes, ['blocked', 'kept']);
  assert.match(lowering.fallbacks[0].reason, /block/);
  assert.match(lowering.fallbacks[1].reason, /request/);
});

test('mismatched scales: a bias not at s_x·s_w is requantized into int32, a MaxPool onto another grid gets a requantizing lookup', () => {
  const { b, x, quantize, constant } = qdqBuilder('scales', [1, 1, 4, 4], U8);
  const w = constant('w', int8([2, 1, 1, 1], (i) => 50 + i), 0.01);
  // Bias stored with scale 0.001 (not 0.02 · 0.01 = 0.0002) and values 3 and −7: 0.003 and −0.007.
  const bias = constant('bias', (() => { const t = tensor('int32', [2]); t.data.set([3, -7]); return t; })(), 0.001);
  b.addNode('Conv', [x, w, bias], {}, { name: 'conv', outputs: ['c'] });
  const c = quantize('c', 'c', U8);
  b.addNode('MaxPool', [c], { kernel_shape: [2, 2], strides: [2, 2] }, { name: 'pool', outputs: ['p'] });
  b.addOutput(quantize('p', 'p', { scale: 0.05, zero: 10, dtype: 'uint8' }), 'float32');
  const lowering = lowerToInteger(b.buildModel());
  assert.deepEqual(lowering.floatNodes, []);
  assert.equal(lowering.notes.length, 1);
  assert.match(lowering.notes[0], /bias/);
  const conv = lowering.model.graph.nodes.find((n) => n.opType === 'QLinearConv')!;
  const b32 = lowering.model.graph.initializers.get(conv.inputs[8])!;
  const accScale = Math.fround(Math.fround(0.02) * Math.fround(0.01));
  assert.deepEqual(Array.from(b32.data), [Math.round(Math.fround(0.003) / accScale), Math.round(Math.fround(-0.007) / accScale)]);
  assert.deepEqual(lowering.lowered.find((l) => l.node === 'pool')?.to, ['MaxPool', 'ai.quantkit::QLinearLookup']);
  // The lookup is the identity from the (0.02, 128) grid onto the (0.05, 10) one.
  const lookup = lowering.model.graph.nodes.find((n) => n.opType === 'QLinearLookup')!;
  const table = attrTensor(lookup, 'table')!;
  for (const q of [0, 100, 128, 200, 255]) {
    const real = Math.fround((q - 128) * Math.fround(0.02));
    assert.equal(table.data[q], Math.min(255, Math.max(0, Math.round(real / Math.fround(0.05)) + 10)), `entry ${q}`);
  }
});

test('Add of int8 and uint8 activations, and Sub of two activations, stay in float', () => {
  const { b, x, quantize } = qdqBuilder('mixed', [1, 4], U8);
  b.addNode('Relu', [x], {}, { name: 'relu', outputs: ['r'] });
  const r = quantize('r', 'r', { scale: 0.02, zero: 0, dtype: 'int8' });
  b.addNode('Add', [x, r], {}, { name: 'add', outputs: ['a'] });
  b.addNode('Sub', [x, x], {}, { name: 'sub', outputs: ['d'] });
  b.addOutput(quantize('a', 'a', U8), 'float32');
  b.addOutput(quantize('d', 'd', U8), 'float32');
  const lowering = lowerToInteger(b.buildModel());
  assert.deepEqual(lowering.floatNodes, ['add', 'sub']);
  assert.match(lowering.fallbacks[0].reason, /int8/);
  assert.match(lowering.fallbacks[1].reason, /Sub/);
});

test('a float model comes back unchanged, its compute nodes listed as float', async () => {
  const b = new GraphBuilder('float');
  b.addInput('x', 'float32', ['N', 4]);
  b.addNode('Relu', ['x'], {}, { name: 'relu', outputs: ['y'] });
  b.addOutput('y', 'float32');
  const model: Model = b.buildModel();
  const lowering = lowerToInteger(model);
  assert.equal(lowering.model, model);
  assert.deepEqual(lowering.floatNodes, ['relu']);
  // And a quantized one lowers (sanity: the same graph through PTQ).
  const quantized = (await ptq(model, uniformSamples(8, [4], 1), [4])).quantized;
  assert.deepEqual(lowerToInteger(quantized).floatNodes, []);
});

test('com.microsoft QuantizeLinear/DequantizeLinear read as the ONNX ops; the summary is plain JSON', () => {
  const { b, x, quantize, constant } = qdqBuilder('contrib', [1, 3], U8);
  const w = constant('w', int8([3, 2], (i) => 10 * i - 25), 0.01);
  b.addNode('MatMul', [x, w], {}, { name: 'fc', outputs: ['y_float'] });
  b.addOutput(quantize('y_float', 'y', U8), 'float32');
  const model = b.buildModel();
  const contrib: Model = {
    ...model,
    opsets: new Map([...model.opsets, ['com.microsoft', 1]]),
    graph: { ...model.graph, nodes: model.graph.nodes.map((n) => (n.opType === 'QuantizeLinear' || n.opType === 'DequantizeLinear' ? { ...n, domain: 'com.microsoft' } : n)) },
  };
  assert.ok(contrib.graph.nodes.filter((n) => n.domain === 'com.microsoft').length >= 4);
  const lowering = lowerToInteger(contrib);
  assert.deepEqual(lowering.lowered.map((l) => l.to), [['com.microsoft::QGemm']]);
  const summary = loweringSummary(lowering);
  assert.deepEqual(JSON.parse(JSON.stringify(summary)), summary);
  assert.equal(summary.accumulators[0].k, 3);
});
