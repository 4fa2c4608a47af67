// QOperator export and import: the lookup written as Cast + Gather and read back, the
// ConvInteger/MatMulInteger form in onnxruntime, form detection, and the two import paths — a QDQ
// file lowered on load, a QOperator file run as it is — giving exactly the integers of the
// in-memory lowering. mnist-8 is quantized here with quantkit's PTQ (W8A8, entropy, per channel)
// on the first 100 calibration images; comparisons run on the first 200 (300 for onnxruntime)
// t10k images.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { attrInt, attrTensor } from '../../src/ir/attributes.ts';
import { GraphBuilder } from '../../src/ir/builder.ts';
import type { Model } from '../../src/ir/graph.ts';
import type { Tensor } from '../../src/ir/tensor.ts';
import { exportModel } from '../../src/onnx/export.ts';
import { importModel } from '../../src/onnx/import.ts';
import { exportQOperator, toQOperatorModel } from '../../src/onnx/qoperator/export.ts';
import { fromQOperatorModel } from '../../src/onnx/qoperator/import.ts';
import { decodeTensorProtoBytes } from '../../src/onnx/tensor.ts';
import { quantizeModel, type PtqResult } from '../../src/ptq/quantize-model.ts';
import { createExecutor } from '../../src/runtime/executor.ts';
import { createIntegerExecutor } from '../../src/runtime/integer/executor.ts';
import { loadQuantizedModel } from '../../src/runtime/integer/load.ts';
import { lowerToInteger } from '../../src/runtime/integer/lower.ts';
import { integerKernels } from '../../src/runtime/kernels/integer/register.ts';
import { mnistData } from '../ptq/mnist.ts';
import { batch, batchedMnist, compareLsb, fraction, integerActivations, ortRun, ortSession, ptq, uniformSamples } from '../runtime/integer/helpers.ts';

let mnist: Promise<PtqResult> | undefined;
function quantizedMnist(): Promise<PtqResult> {
  mnist ??= quantizeModel(batchedMnist(), mnistData('calib', 100).dataset, { calibrationLimit: 100 });
  return mnist;
}
const images = () => mnistData('t10k', 300).images;

function hardSwishNet(signed: boolean): Promise<PtqResult> {
  const b = new GraphBuilder('hswish');
  b.addInput('x', 'float32', ['N', 8]);
  b.addNode('HardSwish', ['x'], {}, { name: 'hswish', outputs: ['y'] });
  b.addOutput('y', 'float32');
  return ptq(b.buildModel(), uniformSamples(32, [8], 3, -4, 4), [8], { activationSigned: signed });
}

for (const signed of [false, true]) {
  test(`QLinearLookup (${signed ? 'int8' : 'uint8'}) is written as Cast + Gather on a rotated table, read back as it was, and runs exactly in onnxruntime`, async () => {
    const lowered = lowerToInteger((await hardSwishNet(signed)).quantized).model;
    const lookup = lowered.graph.nodes.find((n) => n.opType === 'QLinearLookup')!;
    const table = attrTensor(lookup, 'table')!;
    const offset = attrInt(lookup, 'input_offset', -1);
    assert.equal(offset, signed ? 128 : 0);

    const file = toQOperatorModel(lowered);
    assert.ok(!file.graph.nodes.some((n) => n.domain === 'ai.quantkit') && !file.opsets.has('ai.quantkit'));
    const gather = file.graph.nodes.find((n) => n.opType === 'Gather')!;
    const rotated = file.graph.initializers.get(gather.inputs[0])!;
    for (let q = signed ? -128 : 0; q <= (signed ? 127 : 255); q++) assert.equal(rotated.data[q < 0 ? q + 256 : q], table.data[q + offset], `q = ${q}`);

    const back = fromQOperatorModel(importModel(exportQOperator(lowered)));
    const again = back.graph.nodes.find((n) => n.opType === 'QLinearLookup')!;
    assert.equal(attrInt(again, 'input_offset', -1), offset);
    assert.deepEqual(Array.from(attrTensor(again, 'table')!.data), Array.from(table.data));
    assert.ok(!back.graph.nodes.some((n) => n.opType === 'Gather' || n.opType === 'Cast'));

    const feeds = { x: batch(uniformSamples(64, [8], 4, -5, 5), [8], 0, 64) };
    const ours = createExecutor(lowered, integerKernels()).runSync(feeds);
    const session = await ortSession(exportQOperator(lowered));
    const theirs = await ortRun(session, feeds);
    await session.release();
    assert.deepEqual(Array.from(theirs.y), Array.from(ours.y.data));
  });
}

test('the ConvInteger / MatMulInteger form runs in onnxruntime within 1 LSB of the integer executor', async () => {
  const result = await quantizedMnist();
  const integer = createIntegerExecutor(result.quantized);
  const file = toQOperatorModel(integer.lowering.model, { form: 'integer' });
  const ops = new Set(file.graph.nodes.map((n) => n.opType));
  for (const op of ['ConvInteger', 'MatMulInteger']) assert.ok(ops.has(op), op);
  for (const op of ['QLinearConv', 'QGemm']) assert.ok(!ops.has(op), op);
  const output = 'Plus214_Output_0_quantized';
  const withOutput: Model = { ...file, graph: { ...file.graph, outputs: [...file.graph.outputs, { name: output, dtype: 'uint8' }] } };
  const session = await ortSession(exportModel(withOutput));
  const feeds = { Input3: batch(images(), [1, 28, 28], 0, 300) };
  const theirs = await ortRun(session, feeds);
  await session.release();
  const agreement = compareLsb(integer.runSync(feeds, { fetch: [output] })[output].data, theirs[output]);
  console.log(`integer form vs integer executor: exact ${fraction(agreement, 'exact')}, within 1 LSB ${fraction(agreement, 'within1')}`);
  assert.ok(fraction(agreement, 'within1') >= 0.99);
});

test('loadQuantizedModel tells the forms apart: float, QDQ, QOperator', async () => {
  const result = await quantizedMnist();
  assert.equal(loadQuantizedModel(readFileSync('models/mnist-8.onnx')).form, 'float');
  const qdq = loadQuantizedModel(exportModel(result.quantized));
  assert.equal(qdq.form, 'qdq');
  assert.ok(qdq.lowering.lowered.length > 0);
  const qop = loadQuantizedModel(exportQOperator(lowerToInteger(result.quantized).model));
  assert.equal(qop.form, 'qoperator');
  assert.equal(qop.lowering.lowered.length, 0);
});

/** Every integer activation of `names` from two runs, exactly equal. */
function assertSameIntegers(a: Record<string, Tensor>, b: Record<string, Tensor>, names: readonly string[]): void {
  for (const name of names) {
    assert.ok(a[name] !== undefined && b[name] !== undefined, name);
    assert.equal(a[name].dtype, b[name].dtype, name);
    assert.deepEqual(Array.from(a[name].data), Array.from(b[name].data), name);
  }
}

test('a QDQ file re-imported (lowered on load) and a QOperator file re-imported (run as is) give the in-memory integers exactly', async () => {
  const result = await quantizedMnist();
  const names = integerActivations(result.quantized);
  const reference = createIntegerExecutor(result.quantized);
  const feeds = { Input3: batch(images(), [1, 28, 28], 0, 200) };
  const expected = reference.runSync(feeds, { fetch: names });
  for (const bytes of [exportModel(result.quantized), exportQOperator(reference.lowering.model)]) {
    const loaded = loadQuantizedModel(bytes);
    assertSameIntegers(createExecutor(loaded.model, integerKernels()).runSync(feeds, { fetch: names }), expected, names);
  }
});

test('QOperator node tests from files (QLinearConv, QLinearMatMul) run directly in the integer executor', () => {
  const root = 'test/fixtures/onnx-node';
  for (const name of ['test_qlinearconv', 'test_qlinearmatmul_2D_uint8_float32', 'test_qlinearmatmul_3D_int8_float32']) {
    const dir = join(root, name);
    const loaded = loadQuantizedModel(readFileSync(join(dir, 'model.onnx')));
    assert.equal(loaded.form, 'qoperator', name);
    const set = join(dir, 'test_data_set_0');
    const feeds: Record<string, Tensor> = {};
    for (const f of readdirSync(set).filter((f) => f.startsWith('input_')).sort()) {
      const index = Number(f.slice(6, -3));
      feeds[loaded.model.graph.inputs[index].name] = decodeTensorProtoBytes(new Uint8Array(readFileSync(join(set, f)))).tensor;
    }
    const expected = decodeTensorProtoBytes(new Uint8Array(readFileSync(join(set, 'output_0.pb')))).tensor;
    const actual = createExecutor(loaded.model, integerKernels()).runSync(feeds)[loaded.model.graph.outputs[0].name];
    assert.equal(actual.dtype, expected.dtype, name);
    assert.deepEqual(actual.shape, expected.shape, name);
    // Fixed-point requantization (docs §6) vs the reference's float rounding: at most 1 apart.
    assert.equal(compareLsb(actual.data, expected.data).maxDiff <= 1, true, name);
  }
});

