import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UnsupportedOpError } from '../../../src/errors.ts';
import { attrString } from '../../../src/ir/attributes.ts';
import { float32 } from '../../../src/ir/tensor.ts';
import { importModel } from '../../../src/onnx/import.ts';
import { checkUpgrade } from '../helpers/upgrade-check.ts';
import { DT, floatTensor, int64Tensor, modelBytes, node, value } from '../helpers/proto-builder.ts';

const x = float32([1, 1, 4, 6], Array.from({ length: 24 }, (_, i) => i * 1.5 - 7));
const io = { inputs: [value('x', DT.FLOAT, [1, 1, 4, 6])], outputs: [value('y', DT.FLOAT)] };

test('Upsample-7 (scales attribute) and Upsample-9 (scales input) → Resize, asymmetric', async () => {
  for (const mode of ['nearest', 'linear']) {
    const { model } = await checkUpgrade({ old: { opset: 8, nodes: [node('Upsample', ['x'], ['y'], { mode: { s: mode }, scales: { floats: [1, 1, 2, 3] } })], ...io }, feeds: { x } });
    assert.deepEqual(model.graph.nodes.map((n) => [n.opType, n.inputs[1]]), [['Resize', '']]);
    assert.equal(attrString(model.graph.nodes[0], 'coordinate_transformation_mode'), 'asymmetric');
    await checkUpgrade({ old: { opset: 9, nodes: [node('Upsample', ['x', 's'], ['y'], { mode: { s: mode } })], ...io, initializers: [floatTensor('s', [4], [1, 1, 1.5, 2.5])] }, feeds: { x } });
  }
});

test('Upsample-1 height_scale/width_scale, bilinear (reference: Upsample-7 linear)', async () => {
  await checkUpgrade({
    old: { opset: 6, nodes: [node('Upsample', ['x'], ['y'], { mode: { s: 'bilinear' }, height_scale: { f: 2 }, width_scale: { f: 3 } })], ...io },
    reference: { opset: 7, nodes: [node('Upsample', ['x'], ['y'], { mode: { s: 'linear' }, scales: { floats: [1, 1, 2, 3] } })], ...io },
    feeds: { x },
  });
});

test('Resize-10 nearest: ceil on downsampled axes, floor on upsampled ones (split when both)', async () => {
  for (const scales of [[1, 1, 0.6, 0.4], [1, 1, 2, 1.5], [1, 1, 0.6, 1.7]]) {
    const { model } = await checkUpgrade({ old: { opset: 10, nodes: [node('Resize', ['x', 's'], ['y'])], ...io, initializers: [floatTensor('s', [4], scales)] }, feeds: { x } });
    const both = scales.some((s) => s < 1) && scales.some((s) => s > 1);
    assert.equal(model.graph.nodes.length, both ? 2 : 1);
  }
  await checkUpgrade({ old: { opset: 10, nodes: [node('Resize', ['x', 's'], ['y'], { mode: { s: 'linear' } })], ...io, initializers: [floatTensor('s', [4], [1, 1, 0.5, 1.7])] }, feeds: { x } });
});

test('Resize-11: empty roi and scales tensors become omitted inputs', async () => {
  const empty = floatTensor('empty', [0], []);
  const { model } = await checkUpgrade({
    old: { opset: 11, nodes: [node('Resize', ['x', 'empty', 'empty', 'sizes'], ['y'], { mode: { s: 'linear' } })], ...io, initializers: [empty, int64Tensor('sizes', [4], [1, 1, 3, 9])] },
    feeds: { x },
  });
  assert.deepEqual(model.graph.nodes[0].inputs.slice(1, 3), ['', '']);
  await checkUpgrade({
    old: { opset: 12, nodes: [node('Resize', ['x', 'roi', 's'], ['y'], { coordinate_transformation_mode: { s: 'pytorch_half_pixel' }, mode: { s: 'cubic' } })], ...io, initializers: [floatTensor('roi', [0], []), floatTensor('s', [4], [1, 1, 1.5, 0.5])] },
    feeds: { x },
  });
});

test('Resize tf_half_pixel_for_nn (removed in opset 13) is rejected', () => {
  const bytes = modelBytes({ opset: 11, nodes: [node('Resize', ['x', 'roi', 's'], ['y'], { coordinate_transformation_mode: { s: 'tf_half_pixel_for_nn' } }, 'rs')], ...io, initializers: [floatTensor('roi', [0], []), floatTensor('s', [4], [1, 1, 2, 2])] });
  assert.throws(() => importModel(bytes), (e: unknown) => e instanceof UnsupportedOpError && /node "rs".*tf_half_pixel_for_nn/.test(e.message));
});
