// The whole integer executor on mnist-8 gives identical outputs with and without the wasm
// kernels: quantized with quantkit's PTQ (W8A8, entropy, per-channel) on 100 calibration images,
// then 300 t10k images through the integer executor twice — every output bit equal. The float
// executor agrees on the top-1 of every image (float32 sums differ in the last bits).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor } from '../../../src/ir/tensor.ts';
import { quantizeModel } from '../../../src/ptq/quantize-model.ts';
import { createExecutor } from '../../../src/runtime/executor.ts';
import { createIntegerExecutor } from '../../../src/runtime/integer/executor.ts';
import { floatKernels } from '../../../src/runtime/kernels/float/register.ts';
import { setWasmEnabled, wasmStatus } from '../../../src/runtime/wasm/index.ts';
import { mnistData, mnistModel } from '../../ptq/mnist.ts';
import { argmaxRows } from '../integer/helpers.ts';

const IMAGES = 300;

test('mnist-8: the integer executor gives identical outputs with and without wasm, the float one the same top-1', async () => {
  assert.equal(wasmStatus().active, true);
  const model = mnistModel();
  const { quantized } = await quantizeModel(model, mnistData('calib', 100).dataset, { calibrationLimit: 100 });
  const { images } = mnistData('t10k', IMAGES);
  const run = (wasm: boolean) => {
    setWasmEnabled(wasm);
    try {
      const integer = createIntegerExecutor(quantized);
      const float = createExecutor(model, floatKernels());
      const outputs: Float32Array[] = [];
      const floats: number[] = [];
      for (let i = 0; i < IMAGES; i++) {
        const feeds = { Input3: tensor('float32', [1, 1, 28, 28], images.slice(i * 784, (i + 1) * 784)) };
        outputs.push(Object.values(integer.runSync(feeds))[0].data as Float32Array);
        floats.push(...argmaxRows(Object.values(float.runSync(feeds))[0].data, 10));
      }
      return { outputs, floats };
    } finally {
      setWasmEnabled(true);
    }
  };
  const fast = run(true);
  const plain = run(false);
  for (let i = 0; i < IMAGES; i++) assert.deepEqual(fast.outputs[i], plain.outputs[i], `image ${i}`);
  assert.deepEqual(fast.floats, plain.floats);
});
