// One small graph per lowering pattern, built with GraphBuilder and quantized with quantkit's PTQ
// on seeded random data (64 calibration samples, max ranges), lowered, and run three ways on 16
// other samples: the integer executor, the simulated executor on the QDQ model (the same math in
// float), and onnxruntime on the QOperator export. Every integer activation is compared: integer
// vs simulated within 1 LSB everywhere, onnxruntime vs integer within 1 LSB on ≥ 99%.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphBuilder } from '../../../src/ir/builder.ts';
import type { DType } from '../../../src/ir/dtype.ts';
import type { Model } from '../../../src/ir/graph.ts';
import { float32, scalar, tensor } from '../../../src/ir/tensor.ts';
import { seededRandom } from '../../../src/numeric/rounding.ts';
import { exportQOperator } from '../../../src/onnx/qoperator/export.ts';
import type { PtqConfig } from '../../../src/ptq/config.ts';
import { createExecutor } from '../../../src/runtime/executor.ts';
import { createIntegerExecutor } from '../../../src/runtime/integer/executor.ts';
import { simulatedKernels } from '../../../src/runtime/kernels/simulated/register.ts';
import { batch, compareLsb, fraction, integerActivations, ortRun, ortSession, ptq, uniformSamples, withOutputs, type LsbAgreement } from './helpers.ts';

const CALIBRATION = 64;
const EVALUATION = 16;

function weights(shape: readonly number[], seed: number, scale = 0.5) {
  const random = seededRandom(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return float32(shape, Array.from({ length: n }, () => (random() * 2 - 1) * scale));
}

interface Case {
  readonly name: string;
  readonly sampleShape: readonly number[];
  /** The float model (PTQ quantizes it), or a ready QDQ model (`qdq`). */
  readonly build: () => Model;
  readonly qdq?: boolean;
  readonly config?: Partial<PtqConfig>;
  /** Op types the lowered model must contain (domain::op for contrib ops). */
  readonly ops: readonly string[];
  /** Op types it must not contain. */
  readonly absent?: readonly string[];
  readonly floatNodes?: readonly string[];
  /** Integer tensors that must equal the simulated ones exactly (lookups of identical inputs). */
  readonly exact?: readonly string[];
}

/** x [N, C, 8, 8] → Conv(3×3, pad 1, bias) → activation → y. */
function convThen(activation: 'Relu' | 'Clip', channels: number, group = 1, strides = [1, 1]): () => Model {
  return () => {
    const b = new GraphBuilder('conv');
    b.addInput('x', 'float32', ['N', channels, 8, 8]);
    const out = group === 1 ? 4 : channels;
    const w = b.addInitializer('w', weights([out, channels / group, 3, 3], 1));
    const bias = b.addInitializer('b', weights([out], 2, 0.2));
    b.addNode('Conv', ['x', w, bias], { pads: [1, 1, 1, 1], group, strides }, { name: 'conv', outputs: ['c'] });
    if (activation === 'Relu') b.addNode('Relu', ['c'], {}, { name: 'act', outputs: ['y'] });
    else b.addNode('Clip', ['c', b.addInitializer('lo', scalar('float32', 0)), b.addInitializer('hi', scalar('float32', 0.75))], {}, { name: 'act', outputs: ['y'] });
    b.addOutput('y', 'float32');
    return b.buildModel();
  };
}

const CASES: readonly Case[] = [
  { name: 'Conv+Relu (uint8, zero point 0: the Relu is the saturation)', sampleShape: [3, 8, 8], build: convThen('Relu', 3), ops: ['QLinearConv'], absent: ['Clip', 'Relu', 'Conv'] },
  {
    name: 'Conv+Clip(0, 0.75) into int8: an integer Clip after QLinearConv',
    sampleShape: [3, 8, 8],
    build: convThen('Clip', 3),
    config: { activationSigned: true, activationScheme: 'symmetric' },
    ops: ['QLinearConv', 'Clip'],
    absent: ['Conv'],
  },
  { name: 'depthwise Conv (group = channels, stride 2) + Relu', sampleShape: [4, 8, 8], build: convThen('Relu', 4, 4, [2, 2]), ops: ['QLinearConv'], absent: ['Conv'] },
  {
    name: 'Gemm (transB, bias) → QGemm with B stored [K, N]',
    sampleShape: [16],
    build: () => {
      const b = new GraphBuilder('gemm');
      b.addInput('x', 'float32', ['N', 16]);
      b.addNode('Gemm', ['x', b.addInitializer('w', weights([8, 16], 3)), b.addInitializer('b', weights([8], 4, 0.3))], { transB: 1 }, { name: 'gemm', outputs: ['y'] });
      b.addOutput('y', 'float32');
      return b.buildModel();
    },
    ops: ['com.microsoft::QGemm'],
    absent: ['Gemm'],
  },
  {
    name: 'MatMul of two activations (attention-like x·xᵀ) → QLinearMatMul, the Transpose on integers',
    sampleShape: [4, 6],
    build: () => {
      const b = new GraphBuilder('attention');
      b.addInput('x', 'float32', ['N', 4, 6]);
      b.addNode('Transpose', ['x'], { perm: [0, 2, 1] }, { name: 'transpose', outputs: ['t'] });
      b.addNode('MatMul', ['x', 't'], {}, { name: 'scores', outputs: ['y'] });
      b.addOutput('y', 'float32');
      return b.buildModel();
    },
    ops: ['QLinearMatMul', 'Transpose'],
    absent: ['MatMul'],
  },
  {
    name: 'dedicated Q/DQ pairs (one per reader, as onnxruntime\'s quantizer may write) → Identity copies',
    sampleShape: [2, 4, 4],
    qdq: true,
    build: () => {
      const b = new GraphBuilder('dedicated');
      b.addInput('x', 'float32', ['N', 2, 4, 4]);
      const grid = (name: string, s: number, z: number) => [b.addInitializer(`${name}_s`, scalar('float32', s)), b.addInitializer(`${name}_z`, scalar('uint8', z))];
      const qdq = (input: string, name: string, g: string[]) => {
        b.addNode('QuantizeLinear', [input, g[0], g[1]], {}, { name: `${name}_q`, outputs: [`${name}_int`] });
        b.addNode('DequantizeLinear', [`${name}_int`, g[0], g[1]], {}, { name: `${name}_dq`, outputs: [`${name}_real`] });
        return `${name}_real`;
      };
      const x = qdq('x', 'x', grid('gx', 0.008, 128));
      const w = tensor('int8', [3, 2, 1, 1], Int8Array.from([90, -40, 17, 127, -127, 5]));
      b.addNode('DequantizeLinear', [b.addInitializer('w_int', w), b.addInitializer('w_s', tensor('float32', [3], Float32Array.from([0.004, 0.006, 0.005])))], { axis: 0 }, { name: 'w_dq', outputs: ['w_real'] });
      b.addNode('Conv', [x, 'w_real'], {}, { name: 'conv', outputs: ['c'] });
      const gc = grid('gc', 0.006, 120);
      const c1 = qdq('c', 'c1', gc);
      const c2 = qdq('c', 'c2', gc);
      b.addNode('MaxPool', [c1], { kernel_shape: [2, 2], strides: [2, 2] }, { name: 'pool', outputs: ['p'] });
      b.addNode('Sigmoid', [c2], {}, { name: 'sigmoid', outputs: ['s'] });
      b.addOutput(qdq('p', 'p', gc), 'float32');
      b.addOutput(qdq('s', 's', grid('gs', 1 / 256, 0)), 'float32');
      return b.buildModel();
    },
    ops: ['QLinearConv', 'Identity', 'MaxPool', 'com.microsoft::QLinearSigmoid'],
    absent: ['Conv', 'Sigmoid'],
  },
  {
    name: 'LeakyRelu, Mul and Add of two activations, Sigmoid',
    sampleShape: [2, 6, 6],
    build: () => {
      const b = new GraphBuilder('binary');
      b.addInput('x', 'float32', ['N', 2, 6, 6]);
      b.addNode('Conv', ['x', b.addInitializer('w1', weights([3, 2, 3, 3], 5))], { pads: [1, 1, 1, 1] }, { name: 'conv1', outputs: ['c1'] });
      b.addNode('LeakyRelu', ['c1'], { alpha: 0.1 }, { name: 'leaky', outputs: ['a'] });
      b.addNode('Conv', ['x', b.addInitializer('w2', weights([3, 2, 3, 3], 6))], { pads: [1, 1, 1, 1] }, { name: 'conv2', outputs: ['c2'] });
      b.addNode('Mul', ['a', 'c2'], {}, { name: 'mul', outputs: ['m'] });
      b.addNode('Add', ['m', 'a'], {}, { name: 'add', outputs: ['s'] });
      b.addNode('Sigmoid', ['s'], {}, { name: 'sigmoid', outputs: ['y'] });
      b.addOutput('y', 'float32');
      return b.buildModel();
    },
    ops: ['com.microsoft::QLinearLeakyRelu', 'com.microsoft::QLinearMul', 'com.microsoft::QLinearAdd', 'com.microsoft::QLinearSigmoid'],
    absent: ['Add', 'Mul', 'Sigmoid', 'LeakyRelu'],
  },
  {
    name: 'Concat of inputs on different grids (a QDQ model as another quantizer writes it) → QLinearConcat',
    sampleShape: [5, 4, 4],
    qdq: true,
    build: () => {
      const b = new GraphBuilder('concat');
      b.addInput('x', 'float32', ['N', 5, 4, 4]);
      b.addNode('Split', ['x', b.addInitializer('split_sizes', tensor('int64', [2], Float64Array.from([2, 3])))], { axis: 1 }, { name: 'split', outputs: ['x1', 'x2'] });
      const grid = (name: string, s: number, z: number) => [b.addInitializer(`${name}_s`, scalar('float32', s)), b.addInitializer(`${name}_z`, scalar('uint8', z))];
      const [s1, z1] = grid('g1', 0.011, 128);
      const [s2, z2] = grid('g2', 0.009, 100);
      const [s3, z3] = grid('g3', 0.012, 120);
      b.addNode('QuantizeLinear', ['x1', s1, z1], {}, { name: 'q1', outputs: ['x1_q'] });
      b.addNode('DequantizeLinear', ['x1_q', s1, z1], {}, { name: 'dq1', outputs: ['x1_dq'] });
      b.addNode('QuantizeLinear', ['x2', s2, z2], {}, { name: 'q2', outputs: ['x2_q'] });
      b.addNode('DequantizeLinear', ['x2_q', s2, z2], {}, { name: 'dq2', outputs: ['x2_dq'] });
      b.addNode('Concat', ['x1_dq', 'x2_dq'], { axis: 1 }, { name: 'concat', outputs: ['c'] });
      b.addNode('QuantizeLinear', ['c', s3, z3], {}, { name: 'q3', outputs: ['c_q'] });
      b.addNode('DequantizeLinear', ['c_q', s3, z3], {}, { name: 'dq3', outputs: ['y'] });
      b.addOutput('y', 'float32');
      return b.buildModel();
    },
    ops: ['com.microsoft::QLinearConcat'],
    absent: ['Concat'],
    floatNodes: ['split'],
  },
  {
    name: 'AveragePool and GlobalAveragePool',
    sampleShape: [3, 8, 8],
    build: () => {
      const b = new GraphBuilder('pool');
      b.addInput('x', 'float32', ['N', 3, 8, 8]);
      b.addNode('Conv', ['x', b.addInitializer('w', weights([4, 3, 3, 3], 7))], { pads: [1, 1, 1, 1] }, { name: 'conv', outputs: ['c'] });
      b.addNode('AveragePool', ['c'], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }, { name: 'avg', outputs: ['p'] });
      b.addNode('GlobalAveragePool', ['p'], {}, { name: 'gap', outputs: ['y'] });
      b.addOutput('y', 'float32');
      return b.buildModel();
    },
    ops: ['com.microsoft::QLinearAveragePool', 'com.microsoft::QLinearGlobalAveragePool'],
    absent: ['AveragePool', 'GlobalAveragePool'],
  },
  {
    name: 'HardSwish and Tanh through lookup tables (exact: tables come from the float kernels)',
    sampleShape: [2, 5, 5],
    build: () => {
      const b = new GraphBuilder('lookup');
      b.addInput('x', 'float32', ['N', 2, 5, 5]);
      b.addNode('HardSwish', ['x'], {}, { name: 'hswish', outputs: ['h'] });
      b.addNode('Tanh', ['h'], {}, { name: 'tanh', outputs: ['y'] });
      b.addOutput('y', 'float32');
      return b.buildModel();
    },
    config: { activationSigned: true },
    ops: ['ai.quantkit::QLinearLookup'],
    absent: ['HardSwish', 'Tanh'],
    exact: ['h_quantized', 'y_quantized'],
  },
  {
    name: 'a Softmax island stays float between its DequantizeLinear and QuantizeLinear',
    sampleShape: [10],
    build: () => {
      const b = new GraphBuilder('softmax');
      b.addInput('x', 'float32', ['N', 10]);
      b.addNode('Gemm', ['x', b.addInitializer('w1', weights([10, 10], 8, 2))], {}, { name: 'gemm1', outputs: ['g'] });
      b.addNode('Softmax', ['g'], { axis: -1 }, { name: 'softmax', outputs: ['p'] });
      b.addNode('Gemm', ['p', b.addInitializer('w2', weights([10, 4], 9))], {}, { name: 'gemm2', outputs: ['y'] });
      b.addOutput('y', 'float32');
      return b.buildModel();
    },
    ops: ['com.microsoft::QGemm', 'Softmax'],
    absent: ['Gemm'],
    floatNodes: ['softmax'],
  },
  {
    name: '6-bit activations (Clip kept on the integers) with 4-bit weights (held as int8)',
    sampleShape: [3, 8, 8],
    build: () => {
      const b = new GraphBuilder('narrow');
      b.addInput('x', 'float32', ['N', 3, 8, 8]);
      b.addNode('Conv', ['x', b.addInitializer('w', weights([4, 3, 3, 3], 10))], { pads: [1, 1, 1, 1] }, { name: 'conv', outputs: ['c'] });
      b.addNode('Relu', ['c'], {}, { name: 'relu', outputs: ['r'] });
      b.addNode('MaxPool', ['r'], { kernel_shape: [2, 2], strides: [2, 2] }, { name: 'pool', outputs: ['y'] });
      b.addOutput('y', 'float32');
      return b.buildModel();
    },
    config: { activationBits: 6, weightBits: 4 },
    ops: ['QLinearConv', 'Clip', 'MaxPool'],
    absent: ['Conv'],
  },
  {
    name: '4-bit activations (uint4 in the QDQ graph) held as uint8 with a Clip to [0, 15]',
    sampleShape: [3, 8, 8],
    build: convThen('Relu', 3),
    config: { activationBits: 4 },
    ops: ['QLinearConv', 'Clip'],
    absent: ['Conv'],
  },
];

function opsOf(model: Model): Set<string> {
  return new Set(model.graph.nodes.map((n) => (n.domain === '' ? n.opType : `${n.domain}::${n.opType}`)));
}

for (const c of CASES) {
  test(`lowering: ${c.name}`, async () => {
    const calibration = uniformSamples(CALIBRATION, c.sampleShape, 11);
    const qdq = c.qdq ? c.build() : (await ptq(c.build(), calibration, c.sampleShape, c.config)).quantized;
    const integer = createIntegerExecutor(qdq);
    const lowered = integer.lowering.model;
    const ops = opsOf(lowered);
    for (const op of c.ops) assert.ok(ops.has(op), `${op} in ${[...ops].join(', ')}`);
    for (const op of c.absent ?? []) assert.ok(!ops.has(op), `${op} left in ${[...ops].join(', ')}`);
    assert.deepEqual(integer.lowering.floatNodes, c.floatNodes ?? [], JSON.stringify(integer.lowering.fallbacks));

    const names = integerActivations(qdq);
    const feeds = { x: batch(uniformSamples(EVALUATION, c.sampleShape, 12), c.sampleShape, 0, EVALUATION) };
    const ours = integer.runSync(feeds, { fetch: names });
    const simulated = createExecutor(qdq, simulatedKernels()).runSync(feeds, { fetch: names });
    const dtypes = new Map<string, DType>(names.map((n) => [n, ours[n].dtype]));
    const session = await ortSession(exportQOperator(withOutputs(lowered, names, dtypes)));
    const theirs = await ortRun(session, feeds);
    await session.release();
    const report: string[] = [];
    for (const name of names) {
      assert.deepEqual(ours[name].shape, simulated[name].shape, name);
      const vsSim: LsbAgreement = compareLsb(ours[name].data, simulated[name].data);
      const vsOrt: LsbAgreement = compareLsb(ours[name].data, theirs[name]);
      report.push(`${name}: sim exact ${fraction(vsSim, 'exact').toFixed(4)} (max ${vsSim.maxDiff}), ort within 1 ${fraction(vsOrt, 'within1').toFixed(4)}`);
      assert.ok(vsSim.maxDiff <= 1, `${name}: integer vs simulated differ by ${vsSim.maxDiff} LSB`);
      if (c.exact?.includes(name)) assert.equal(vsSim.exact, vsSim.count, `${name}: lookup not exact`);
      assert.ok(fraction(vsOrt, 'within1') >= 0.99, `${name}: integer vs onnxruntime within 1 LSB on ${fraction(vsOrt, 'within1')}`);
    }
    console.log(`${c.name}\n  ${report.join('\n  ')}`);
  });
}
