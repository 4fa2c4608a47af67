// The ONNX backend node tests of the quantization ops (vendored in test/fixtures/onnx-node) on
// the simulated kernel set, compared exactly: every element, floats included (float16 and float8
// outputs as their values), where test/onnx/conformance.test.ts allows a float tolerance.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importModel } from '../../../../src/onnx/import.ts';
import { decodeTensorProtoBytes } from '../../../../src/onnx/tensor.ts';
import { createExecutor } from '../../../../src/runtime/executor.ts';
import { simulatedKernels } from '../../../../src/runtime/kernels/simulated/register.ts';
import type { Tensor } from '../../../../src/ir/tensor.ts';

const ROOT = 'test/fixtures/onnx-node';
const OPS = ['QuantizeLinear', 'DequantizeLinear', 'DynamicQuantizeLinear', 'MatMulInteger', 'ConvInteger', 'QLinearMatMul', 'QLinearConv'];
/** float4e2m1 is not an IR dtype: the importer rejects these (listed in conformance-exceptions.ts). */
const NOT_IN_IR = new Set(['test_dequantizelinear_float4e2m1', 'test_quantizelinear_float4e2m1']);

const index = JSON.parse(readFileSync(join(ROOT, 'INDEX.json'), 'utf8')) as { test: string; ops: string[] }[];
const cases = index.filter((entry) => entry.ops.some((op) => OPS.includes(op)) && !NOT_IN_IR.has(entry.test));
const registry = simulatedKernels();

function read(dir: string, prefix: string): Tensor[] {
  return readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.pb'))
    .sort((a, b) => Number(a.slice(prefix.length, -3)) - Number(b.slice(prefix.length, -3)))
    .map((f) => decodeTensorProtoBytes(new Uint8Array(readFileSync(join(dir, f)))).tensor);
}

test('every vendored node test of the quantization ops is covered (45 tests, 43 in the IR)', () => {
  assert.equal(cases.length, 43);
  for (const op of OPS) assert.ok(cases.some((entry) => entry.ops.includes(op)), `no node test of ${op}`);
});

for (const entry of cases) {
  test(`${entry.test} matches bit for bit`, () => {
    const dir = join(ROOT, entry.test);
    const model = importModel(new Uint8Array(readFileSync(join(dir, 'model.onnx'))));
    const executor = createExecutor(model, registry);
    for (const set of readdirSync(dir).filter((f) => f.startsWith('test_data_set_'))) {
      const feeds: Record<string, Tensor> = {};
      read(join(dir, set), 'input_').forEach((t, i) => (feeds[model.graph.inputs[i].name] = t));
      const result = executor.runSync(feeds);
      read(join(dir, set), 'output_').forEach((expected, i) => {
        const actual = result[model.graph.outputs[i].name];
        assert.equal(actual.dtype, expected.dtype, `${set} output ${i} dtype`);
        assert.deepEqual([...actual.shape], [...expected.shape], `${set} output ${i} shape`);
        assert.deepEqual(Array.from(actual.data), Array.from(expected.data), `${set} output ${i}`);
      });
    }
  });
}
