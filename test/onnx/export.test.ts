import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import * as ort from 'onnxruntime-node';
import { ModelFormatError, UnsupportedOpError } from '../../src/errors.ts';
import { GraphBuilder } from '../../src/ir/builder.ts';
import type { Graph, Model } from '../../src/ir/graph.ts';
import { float32, tensor } from '../../src/ir/tensor.ts';
import { exportModel, exportOpset } from '../../src/onnx/export.ts';
import { importModel } from '../../src/onnx/import.ts';
import { runOrt } from './helpers/ort.ts';
import { readFields } from './helpers/wire.ts';

const MNIST = readFileSync(new URL('../../models/mnist-8.onnx', import.meta.url));

/** The first `count` images of the MNIST t10k set (IDX: magic, count, rows, cols, then pixels). */
function mnistImages(count: number): Float32Array[] {
  const idx = gunzipSync(readFileSync(new URL('../../data/mnist/t10k-images-idx3-ubyte.gz', import.meta.url)));
  const view = new DataView(idx.buffer, idx.byteOffset, idx.byteLength);
  assert.equal(view.getUint32(0), 0x803);
  const pixels = view.getUint32(8) * view.getUint32(12);
  return Array.from({ length: count }, (_, i) => Float32Array.from(idx.subarray(16 + i * pixels, 16 + (i + 1) * pixels)));
}

test('exported mnist-8 runs in onnxruntime with outputs bit-identical to the original', async () => {
  const exported = exportModel(importModel(MNIST));
  const [original, ours] = await Promise.all([ort.InferenceSession.create(MNIST), ort.InferenceSession.create(exported)]);
  for (const image of mnistImages(4)) {
    const feeds = { Input3: new ort.Tensor('float32', image, [1, 1, 28, 28]) };
    const [a, b] = await Promise.all([original.run(feeds), ours.run(feeds)]);
    assert.deepEqual(b.Plus214_Output_0.data, a.Plus214_Output_0.data);
  }
  await Promise.all([original.release(), ours.release()]);
});

test('inferShapes: true writes value_info for every intermediate value, which onnxruntime accepts', async () => {
  const bytes = exportModel(importModel(MNIST), { inferShapes: true });
  const again = importModel(bytes);
  assert.equal(again.graph.valueInfo.size, 11);
  assert.deepEqual(again.graph.valueInfo.get('Pooling66_Output_0'), { name: 'Pooling66_Output_0', dtype: 'float32', shape: [1, 8, 14, 14] });
  const [image] = mnistImages(1);
  const x = float32([1, 1, 28, 28], image);
  assert.deepEqual((await runOrt(bytes, { Input3: x })).Plus214_Output_0, (await runOrt(MNIST, { Input3: x })).Plus214_Output_0);
});

test('mnist-8 keeps opset 8 and IR 3, and lists initializers as graph inputs as IR 3 requires', () => {
  const model = importModel(MNIST);
  const bytes = exportModel(model);
  const again = importModel(bytes);
  assert.equal(again.opsets.get(''), 8);
  assert.equal(again.irVersion, 3);
  const graph = readFields(readFields(bytes).find((f) => f.field === 7)!.bytes!);
  assert.equal(graph.filter((f) => f.field === 11).length, 9);
  assert.deepEqual(again.graph, model.graph);
});

function roundTrip(model: Model): Model {
  return importModel(exportModel(model));
}

/** Conformance tests whose models use types quantkit does not represent: the import error they give. */
const UNSUPPORTED: Record<string, RegExp> = {
  test_dequantizelinear_float4e2m1: /FLOAT4E2M1/,
  test_quantizelinear_float4e2m1: /FLOAT4E2M1/,
  test_equal_string: /STRING/,
  test_equal_string_broadcast: /STRING/,
  test_identity_opt: /optional type/,
  test_identity_sequence: /sequence type/,
  test_if_opt: /optional type/,
  test_if_seq: /sequence type/,
};

interface IndexEntry {
  test: string;
  inputs: { name: string; type: string; shape: number[] | null }[];
}

test('every ONNX backend test model: import → export → import preserves the graph', () => {
  const root = new URL('../fixtures/onnx-node/', import.meta.url);
  const index = JSON.parse(readFileSync(new URL('INDEX.json', root), 'utf8')) as IndexEntry[];
  assert.equal(index.length, 391);
  let roundTripped = 0;
  for (const entry of index) {
    const bytes = readFileSync(new URL(`${entry.test}/model.onnx`, root));
    const unsupported = UNSUPPORTED[entry.test];
    if (unsupported !== undefined) {
      assert.throws(() => importModel(bytes, { fileName: entry.test }), (e: unknown) => e instanceof ModelFormatError && unsupported.test(e.message), entry.test);
      continue;
    }
    const model = importModel(bytes, { fileName: entry.test });
    const again = roundTrip(model);
    assert.deepEqual(again.graph, model.graph, entry.test);
    // Upgraded forms may need a newer opset than the file had (e.g. Reduce* axes inputs: 18).
    assert.equal(again.opsets.get(''), exportOpset(model), entry.test);
    assert.ok(exportOpset(model) >= model.opsets.get('')!, entry.test);
    assert.deepEqual(model.graph.inputs.map((v) => [v.name, v.dtype, v.shape]), entry.inputs.map((v) => [v.name, v.type, v.shape]), entry.test);
    roundTripped++;
  }
  assert.equal(roundTripped, 383);
});

function qdqMatMul(zeroPointDtype: 'int4' | 'uint8'): Graph {
  const b = new GraphBuilder('qdq');
  const x = b.addInput('x', 'float32', [2, 3]);
  const signed = zeroPointDtype === 'int4';
  const w = b.addInitializer('w', tensor(zeroPointDtype, [3, 2], signed ? Int8Array.from([-8, 7, 1, -1, 0, 3]) : Uint8Array.from([0, 255, 1, 128, 7, 3])));
  const scale = b.addInitializer('scale', float32([], [0.5]));
  const zeroPoint = b.addInitializer('zp', tensor(zeroPointDtype, [], signed ? Int8Array.of(-2) : Uint8Array.of(128)));
  const [wf] = b.addNode('DequantizeLinear', [w, scale, zeroPoint]);
  const [y] = b.addNode('MatMul', [x, wf]);
  b.addOutput(y, 'float32', [2, 2]);
  return b.build();
}

test('int4 weights: the exporter picks opset 21, packs them, and onnxruntime computes (w − z)·s·x', async () => {
  const graph = qdqMatMul('int4');
  const model: Model = { irVersion: 7, opsets: new Map([['', 13]]), graph };
  assert.equal(exportOpset(model), 21);
  const bytes = exportModel(model);
  assert.deepEqual(roundTrip(model).graph, graph);
  const x = float32([2, 3], [1, 2, 3, -1, 0.5, 2]);
  const w = [-8, 7, 1, -1, 0, 3].map((q) => (q + 2) * 0.5);
  const expected = [0, 1].flatMap((i) => [0, 1].map((j) => [0, 1, 2].reduce((s, k) => s + x.data[i * 3 + k] * w[k * 2 + j], 0)));
  const { [graph.outputs[0].name]: y } = await runOrt(bytes, { x });
  assert.deepEqual(y.data, expected);
  assert.equal(exportOpset({ ...model, graph: qdqMatMul('uint8') }), 13, 'uint8 per-tensor Q/DQ needs only opset 10: the model opset stays');
});

test('opset choice: the IR form of Softmax needs 13; a requested lower opset is reached by trivial rewrites or refused', async () => {
  const b = new GraphBuilder('g');
  const x = b.addInput('x', 'float32', [2, 3, 4]);
  const axes = b.addInitializer('axes', tensor('int64', [1], Float64Array.of(1)));
  const [m] = b.addNode('ReduceMean', [x, axes], { keepdims: 1 });
  const [s] = b.addNode('Softmax', [m], { axis: -1 });
  b.addOutput(s, 'float32', [2, 1, 4]);
  const model = b.buildModel({ opset: 9 });
  assert.equal(exportOpset(model), 18, 'ReduceMean with an axes input is the opset-18 form');
  const input = float32([2, 3, 4], Array.from({ length: 24 }, (_, i) => Math.sin(i)));
  const reference = await runOrt(exportModel(model), { x: input });
  const at11 = exportModel(model, { opset: 11 });
  const old = importModel(at11);
  assert.equal(old.opsets.get(''), 11);
  assert.deepEqual((await runOrt(at11, { x: input }))[s].data, reference[s].data);
  const ln = new GraphBuilder('ln');
  const lx = ln.addInput('x', 'float32', [2, 4]);
  const [ly] = ln.addNode('LayerNormalization', [lx, ln.addInitializer('g', float32([4], [1, 1, 1, 1]))], {}, { name: 'norm' });
  ln.addOutput(ly);
  assert.throws(() => exportModel(ln.buildModel({ opset: 17 }), { opset: 11 }), (e: unknown) => e instanceof UnsupportedOpError && /node "norm".*17.*11/.test(e.message));
});
