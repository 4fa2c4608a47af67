/**
 * The attribute-to-input and attribute-cleanup upgrades (clip, slice, axes, pad, split, reshape,
 * concat, cast, gemm, dropout, batchnorm modules), each checked against onnxruntime running the
 * old form. Kept in one file: each test file pays for loading onnxruntime once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UnsupportedOpError } from '../../../src/errors.ts';
import { attrGraph } from '../../../src/ir/attributes.ts';
import { float32 } from '../../../src/ir/tensor.ts';
import { importModel } from '../../../src/onnx/import.ts';
import { type AttrValue, DT, floatTensor, modelBytes, node, value } from '../helpers/proto-builder.ts';
import { checkUpgrade, onlyNode } from '../helpers/upgrade-check.ts';

// clip: own scope for its fixtures.
{
  const x = float32([6], [-Infinity, -2, -0.5, 0.5, 3, Infinity]);

  test('Clip-6 min/max attributes become inputs; absent bounds keep the ∓FLT_MAX defaults', async () => {
    for (const attrs of [{ min: { f: -1 }, max: { f: 2 } }, { min: { f: 0 } }, {}] as Record<string, AttrValue>[]) {
      const { model, upgrades } = await checkUpgrade({
        old: { opset: 6, nodes: [node('Clip', ['x'], ['y'], attrs)], inputs: [value('x', DT.FLOAT, [6])], outputs: [value('y', DT.FLOAT)] },
        feeds: { x },
      });
      const clip = onlyNode(model, 'Clip');
      assert.deepEqual(clip.attributes, {});
      assert.equal(clip.inputs.length, 3);
      assert.deepEqual(upgrades.map((u) => [u.opType, u.fromOpset, u.toOpset]), [['Clip', 6, 11]]);
    }
  });
}

// slice: own scope for its fixtures.
{
  const x = float32([3, 4, 5], Array.from({ length: 60 }, (_, i) => i));

  test('Slice-1 starts/ends/axes attributes become int64 inputs', async () => {
    const cases: Record<string, { ints: number[] }>[] = [
      { starts: { ints: [1, -3] }, ends: { ints: [1000, -1] }, axes: { ints: [0, 2] } },
      { starts: { ints: [0, 1] }, ends: { ints: [2, 3] } },
    ];
    for (const attrs of cases) {
      const { model } = await checkUpgrade({
        old: { opset: 9, nodes: [node('Slice', ['x'], ['y'], attrs)], inputs: [value('x', DT.FLOAT, [3, 4, 5])], outputs: [value('y', DT.FLOAT)] },
        feeds: { x },
      });
      const slice = onlyNode(model, 'Slice');
      assert.deepEqual(slice.attributes, {});
      assert.equal(slice.inputs.length, 'axes' in attrs ? 4 : 3);
      assert.deepEqual(Array.from(model.graph.initializers.get(slice.inputs[1])!.data), attrs.starts.ints);
    }
  });
}

// axes: own scope for its fixtures.
{
  const x = float32([2, 1, 3], [1, -2, 3, 4, 5, -6]);

  async function check(op: string, opset: number, attrs: Record<string, AttrValue>, inputCount: number): Promise<void> {
    const { model, upgrades } = await checkUpgrade({
      old: { opset, nodes: [node(op, ['x'], ['y'], attrs)], inputs: [value('x', DT.FLOAT, [2, 1, 3])], outputs: [value('y', DT.FLOAT)] },
      feeds: { x },
    });
    const n = onlyNode(model, op);
    assert.ok(!('axes' in n.attributes), `${op}-${opset}: axes attribute removed`);
    assert.equal(n.inputs.length, inputCount, `${op}-${opset} inputs`);
    assert.equal(upgrades.length, 'axes' in attrs ? 1 : 0, 'recorded only when something changed');
  }

  test('Squeeze/Unsqueeze < 13: axes attribute → input (absent stays absent)', async () => {
    await check('Squeeze', 11, { axes: { ints: [1] } }, 2);
    await check('Squeeze', 1, {}, 1);
    await check('Unsqueeze', 11, { axes: { ints: [0, -1] } }, 2);
  });

  test('ReduceSum < 13 and the other Reduce* < 18: axes attribute → input', async () => {
    await check('ReduceSum', 1, { axes: { ints: [2] }, keepdims: { i: 0 } }, 2);
    await check('ReduceSum', 11, {}, 1);
    await check('ReduceMean', 13, { axes: { ints: [-1, 0] } }, 2);
    await check('ReduceMax', 13, { axes: { ints: [0] }, keepdims: { i: 0 } }, 2);
    await check('ReduceMin', 11, {}, 1);
    await check('ReduceProd', 17, { axes: { ints: [2] } }, 2);
  });
}

// pad: own scope for its fixtures.
{
  const x = float32([1, 2, 3], [1, 2, 3, 4, 5, 6]);
  const io = { inputs: [value('x', DT.FLOAT, [1, 2, 3])], outputs: [value('y', DT.FLOAT)] };

  test('Pad-2 pads/value attributes become inputs (constant and reflect modes)', async () => {
    for (const attrs of [{ pads: { ints: [0, 1, 2, 0, 0, 1] }, value: { f: 1.5 } }, { pads: { ints: [0, 1, 2, 0, 1, 1] }, mode: { s: 'reflect' } }] as Record<string, AttrValue>[]) {
      const { model } = await checkUpgrade({ old: { opset: 10, nodes: [node('Pad', ['x'], ['y'], attrs)], ...io }, feeds: { x } });
      const pad = onlyNode(model, 'Pad');
      assert.ok(!('pads' in pad.attributes) && !('value' in pad.attributes));
      assert.equal(pad.inputs.length, 'value' in attrs ? 3 : 2);
    }
  });

  test('Pad-1 `paddings` is Pad-2 `pads` (reference: the Pad-2 model, onnxruntime has no Pad-1)', async () => {
    const pads = [0, 1, 0, 0, 0, 2];
    await checkUpgrade({
      old: { opset: 1, nodes: [node('Pad', ['x'], ['y'], { paddings: { ints: pads }, value: { f: -1 } })], ...io },
      reference: { opset: 2, nodes: [node('Pad', ['x'], ['y'], { pads: { ints: pads }, value: { f: -1 } })], ...io },
      feeds: { x },
    });
  });
}

// split: own scope for its fixtures.
{
  const x = float32([2, 6], Array.from({ length: 12 }, (_, i) => i));
  const io = { inputs: [value('x', DT.FLOAT, [2, 6])], outputs: [value('a', DT.FLOAT), value('b', DT.FLOAT)] };

  test('Split < 13: split attribute → input', async () => {
    const { model } = await checkUpgrade({ old: { opset: 11, nodes: [node('Split', ['x'], ['a', 'b'], { axis: { i: 1 }, split: { ints: [2, 4] } })], ...io }, feeds: { x } });
    const split = onlyNode(model, 'Split');
    assert.deepEqual(Array.from(model.graph.initializers.get(split.inputs[1])!.data), [2, 4]);
    assert.ok(!('split' in split.attributes) && !('num_outputs' in split.attributes));
  });

  test('Split < 18 without sizes: equal parts become num_outputs', async () => {
    for (const opset of [2, 13]) {
      const { model } = await checkUpgrade({ old: { opset, nodes: [node('Split', ['x'], ['a', 'b'], { axis: { i: 1 } })], ...io }, feeds: { x } });
      assert.deepEqual(onlyNode(model, 'Split').attributes.num_outputs, { type: 'int', value: 2 });
    }
  });
}

// reshape: own scope for its fixtures.
{
  test('Reshape < 5: shape attribute → input (consumed_inputs dropped)', async () => {
    const x = float32([2, 3, 2], Array.from({ length: 12 }, (_, i) => i));
    const { model, upgrades } = await checkUpgrade({
      old: { opset: 4, nodes: [node('Reshape', ['x'], ['y'], { shape: { ints: [0, -1] }, consumed_inputs: { ints: [0] } })], inputs: [value('x', DT.FLOAT, [2, 3, 2])], outputs: [value('y', DT.FLOAT)] },
      feeds: { x },
    });
    const reshape = onlyNode(model, 'Reshape');
    assert.deepEqual(reshape.attributes, {});
    assert.deepEqual(Array.from(model.graph.initializers.get(reshape.inputs[1])!.data), [0, -1]);
    assert.deepEqual(upgrades.map((u) => u.toOpset), [5, 6]);
  });
}

// concat: own scope for its fixtures.
{
  test('Concat < 4 without axis concatenates on axis 1 (reference: Concat-4 axis 1)', async () => {
    const io = { inputs: [value('x', DT.FLOAT, [2, 2]), value('z', DT.FLOAT, [2, 1])], outputs: [value('y', DT.FLOAT)] };
    const { model } = await checkUpgrade({
      old: { opset: 3, nodes: [node('Concat', ['x', 'z'], ['y'])], ...io },
      reference: { opset: 4, nodes: [node('Concat', ['x', 'z'], ['y'], { axis: { i: 1 } })], ...io },
      feeds: { x: float32([2, 2], [1, 2, 3, 4]), z: float32([2, 1], [5, 6]) },
    });
    assert.deepEqual(onlyNode(model, 'Concat').attributes.axis, { type: 'int', value: 1 });
  });
}

// cast: own scope for its fixtures.
{
  test('Cast < 6: the `to` string names the TensorProto data type (reference: Cast-6)', async () => {
    const io = { inputs: [value('x', DT.FLOAT, [4])], outputs: [value('y', DT.INT32)] };
    const { model } = await checkUpgrade({
      old: { opset: 5, nodes: [node('Cast', ['x'], ['y'], { to: { s: 'INT32' } })], ...io },
      reference: { opset: 6, nodes: [node('Cast', ['x'], ['y'], { to: { i: DT.INT32 } })], ...io },
      feeds: { x: float32([4], [1.7, -2.2, 3, 0]) },
    });
    assert.deepEqual(onlyNode(model, 'Cast').attributes.to, { type: 'int', value: DT.INT32 });
  });
}

// gemm: own scope for its fixtures.
{
  test('Gemm < 7: broadcast attribute dropped, C broadcasts as before (reference: Gemm-7)', async () => {
    const io = { inputs: [value('a', DT.FLOAT, [2, 3])], outputs: [value('y', DT.FLOAT)], initializers: [floatTensor('b', [3, 4], Array.from({ length: 12 }, (_, i) => i / 4)), floatTensor('c', [4], [1, -1, 2, -2])] };
    const attrs = { alpha: { f: 0.5 }, beta: { f: 2 } };
    const { model } = await checkUpgrade({
      old: { opset: 6, nodes: [node('Gemm', ['a', 'b', 'c'], ['y'], { ...attrs, broadcast: { i: 1 } })], ...io },
      reference: { opset: 7, nodes: [node('Gemm', ['a', 'b', 'c'], ['y'], attrs)], ...io },
      feeds: { a: float32([2, 3], [1, 2, 3, 4, 5, 6]) },
    });
    assert.ok(!('broadcast' in onlyNode(model, 'Gemm').attributes));
  });
}

// dropout: own scope for its fixtures.
{
  const io = { inputs: [value('x', DT.FLOAT, [4])], outputs: [value('y', DT.FLOAT)] };
  const x = float32([4], [1, -2, 3, -4]);

  test('Dropout < 12: ratio attribute → input; inference output unchanged', async () => {
    const { model } = await checkUpgrade({ old: { opset: 10, nodes: [node('Dropout', ['x'], ['y'], { ratio: { f: 0.3 } })], ...io }, feeds: { x } });
    const dropout = onlyNode(model, 'Dropout');
    assert.deepEqual(dropout.attributes, {});
    assert.deepEqual(Array.from(model.graph.initializers.get(dropout.inputs[1])!.data), [Math.fround(0.3)]);
  });

  test('Dropout < 7: is_test dropped (reference: Dropout-7, onnxruntime has no Dropout-6)', async () => {
    await checkUpgrade({
      old: { opset: 6, nodes: [node('Dropout', ['x'], ['y'], { is_test: { i: 1 } })], ...io },
      reference: { opset: 7, nodes: [node('Dropout', ['x'], ['y'])], ...io },
      feeds: { x },
    });
  });
}

// batchnorm: own scope for its fixtures.
{
  const params = ['scale', 'bias', 'mean', 'var'].map((name, k) => floatTensor(name, [2], [0.5 + k, 1 + k * 0.25]));
  const io = { inputs: [value('x', DT.FLOAT, [1, 2, 2, 2])], outputs: [value('y', DT.FLOAT)], initializers: params };
  const x = float32([1, 2, 2, 2], [1, 2, 3, 4, -1, -2, -3, -4]);
  const inputs = ['x', 'scale', 'bias', 'mean', 'var'];

  test('BatchNormalization < 9: spatial = 1 and is_test/consumed_inputs dropped', async () => {
    const { model } = await checkUpgrade({ old: { opset: 7, nodes: [node('BatchNormalization', inputs, ['y'], { spatial: { i: 1 }, epsilon: { f: 0.01 } })], ...io }, feeds: { x } });
    assert.deepEqual(Object.keys(onlyNode(model, 'BatchNormalization').attributes), ['epsilon']);
    await checkUpgrade({
      old: { opset: 5, nodes: [node('BatchNormalization', inputs, ['y'], { is_test: { i: 1 }, consumed_inputs: { ints: [0, 0, 0, 1, 1] } })], ...io },
      reference: { opset: 9, nodes: [node('BatchNormalization', inputs, ['y'])], ...io },
      feeds: { x },
    });
  });

  test('BatchNormalization spatial = 0 and training outputs are rejected', () => {
    const spatial0 = modelBytes({ opset: 7, nodes: [node('BatchNormalization', inputs, ['y'], { spatial: { i: 0 } }, 'bn')], ...io });
    assert.throws(() => importModel(spatial0), (e: unknown) => e instanceof UnsupportedOpError && /node "bn".*spatial = 0/.test(e.message));
    const training = modelBytes({ opset: 9, nodes: [node('BatchNormalization', inputs, ['y', 'm'], {}, 'bn')], ...io, outputs: [value('y', DT.FLOAT), value('m', DT.FLOAT)] });
    assert.throws(() => importModel(training), UnsupportedOpError);
  });
}

// legacy: consumed_inputs, Selu defaults, TopK k, rejected forms; and how the table is applied.
{
  const io = { inputs: [value('x', DT.FLOAT, [2, 3])], outputs: [value('y', DT.FLOAT)] };
  const x = float32([2, 3], [-1.5, 0, 2, -3, 4, 0.25]);

  test('opset < 6: consumed_inputs dropped from every op (reference: Relu-6)', async () => {
    const { model, upgrades } = await checkUpgrade({
      old: { opset: 5, nodes: [node('Relu', ['x'], ['y'], { consumed_inputs: { ints: [0] } })], ...io },
      reference: { opset: 6, nodes: [node('Relu', ['x'], ['y'])], ...io },
      feeds: { x },
    });
    assert.deepEqual(onlyNode(model, 'Relu').attributes, {});
    assert.deepEqual(upgrades.map((u) => u.change), ['consumed_inputs attribute dropped']);
  });

  test('Selu < 6: the old default alpha/gamma made explicit (reference: Selu-6 with those values)', async () => {
    await checkUpgrade({
      old: { opset: 5, nodes: [node('Selu', ['x'], ['y'])], ...io },
      reference: { opset: 6, nodes: [node('Selu', ['x'], ['y'], { alpha: { f: 1.6732 }, gamma: { f: 1.0507 } })], ...io },
      feeds: { x },
    });
  });

  test('TopK < 10: k attribute → input K', async () => {
    const { model } = await checkUpgrade({
      old: { opset: 9, nodes: [node('TopK', ['x'], ['y', 'i'], { k: { i: 2 } })], ...io, outputs: [value('y', DT.FLOAT), value('i', DT.INT64)] },
      feeds: { x },
    });
    assert.deepEqual(Array.from(model.graph.initializers.get(onlyNode(model, 'TopK').inputs[1])!.data), [2]);
  });

  test('old forms without a newer equivalent are rejected naming op and opset', () => {
    const tile = modelBytes({ opset: 5, nodes: [node('Tile', ['x', 't', 'a'], ['y'], {}, 'tile')], inputs: [value('x', DT.FLOAT, [2]), value('t', DT.FLOAT, []), value('a', DT.FLOAT, [])], outputs: [value('y', DT.FLOAT)] });
    assert.throws(() => importModel(tile), (e: unknown) => e instanceof UnsupportedOpError && /node "tile".*Tile before opset 6.*opset 5/.test(e.message));
  });

  test('subgraphs are upgraded with the model opset; new constants get fresh names', async () => {
    const branch = (scale: number) => ({
      name: `b${scale}`,
      node: [node('Clip', ['x'], ['c'], { min: { f: 0 }, max: { f: scale } }), node('Unsqueeze', ['c'], ['o'], { axes: { ints: [0] } })],
      output: [value('o', DT.FLOAT)],
    });
    const bytes = {
      opset: 10,
      nodes: [{ op_type: 'If', input: ['cond'], output: ['y'], attribute: [{ name: 'then_branch', type: 5, g: branch(1) }, { name: 'else_branch', type: 5, g: branch(2) }] }],
      inputs: [value('cond', DT.BOOL, []), value('x', DT.FLOAT, [2, 3])],
      outputs: [value('y', DT.FLOAT)],
    };
    for (const cond of [0, 1]) {
      const feeds = { cond: { dtype: 'bool' as const, shape: [], data: Uint8Array.of(cond) }, x };
      const { model, upgrades } = await checkUpgrade({ old: bytes, feeds });
      assert.equal(upgrades.length, 4);
      const branches = (['then_branch', 'else_branch'] as const).map((key) => attrGraph(model.graph.nodes[0], key)!);
      const names = branches.flatMap((g) => [...g.initializers.keys()]);
      assert.equal(names.length, 6, 'min, max and axes constants in each branch');
      assert.equal(new Set(names).size, 6, 'constant names unique across branches');
    }
  });
}
