// ONNX backend node tests (vendored in test/fixtures/onnx-node) through importModel and the
// simulated executor (every float kernel plus the quantization kernels). Every test not listed
// in conformance-exceptions.ts must pass; every listed test must really fail (so a stale entry
// is caught). Floats compare with rtol 1e-3, atol 1e-5 (NaN equals NaN); integers and bools
// exactly; shapes and dtypes exactly. (test/runtime/kernels/quant/conformance-exact.test.ts
// holds the quantization ops' float outputs to exact equality.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importModel } from '../../src/onnx/import.ts';
import { decodeTensorProtoBytes } from '../../src/onnx/tensor.ts';
import { createExecutor } from '../../src/runtime/executor.ts';
import { simulatedKernels } from '../../src/runtime/kernels/simulated/register.ts';
import { isFloat } from '../../src/ir/dtype.ts';
import { formatShape, type Tensor } from '../../src/ir/tensor.ts';
import { describeError, UnsupportedOpError } from '../../src/errors.ts';
import { CONFORMANCE_EXCEPTIONS } from './conformance-exceptions.ts';

const ROOT = 'test/fixtures/onnx-node';
const registry = simulatedKernels();
const RTOL = 1e-3;
const ATOL = 1e-5;

interface IndexEntry {
  readonly test: string;
  readonly ops: readonly string[];
}

type Outcome = { status: 'pass' } | { status: 'unsupported' | 'error' | 'mismatch'; message: string };

/** First difference between an output and its expected value, or undefined if they agree. */
function compare(name: string, actual: Tensor | undefined, expected: Tensor): string | undefined {
  if (actual === undefined) return `output ${name} was not returned`;
  if (actual.dtype !== expected.dtype) return `output ${name}: dtype ${actual.dtype}, expected ${expected.dtype}`;
  if (formatShape(actual.shape) !== formatShape(expected.shape)) return `output ${name}: shape ${formatShape(actual.shape)}, expected ${formatShape(expected.shape)}`;
  const float = isFloat(expected.dtype);
  for (let i = 0; i < expected.data.length; i++) {
    const a = actual.data[i];
    const e = expected.data[i];
    if (a === e || (Number.isNaN(a) && Number.isNaN(e))) continue;
    if (float && Math.abs(a - e) <= ATOL + RTOL * Math.abs(e)) continue;
    return `output ${name}: element ${i} is ${a}, expected ${e}`;
  }
  return undefined;
}

function readTensor(path: string): { name: string; tensor: Tensor } {
  return decodeTensorProtoBytes(new Uint8Array(readFileSync(path)));
}

/** Imports, runs and compares one node test. */
function runNodeTest(name: string): Outcome {
  const dir = join(ROOT, name);
  try {
    const model = importModel(new Uint8Array(readFileSync(join(dir, 'model.onnx'))));
    const executor = createExecutor(model, registry);
    for (const set of readdirSync(dir).filter((f) => f.startsWith('test_data_set_')).sort()) {
      const files = (prefix: string) =>
        readdirSync(join(dir, set))
          .filter((f) => f.startsWith(prefix) && f.endsWith('.pb'))
          .sort((a, b) => Number(a.slice(prefix.length, -3)) - Number(b.slice(prefix.length, -3)))
          .map((f) => readTensor(join(dir, set, f)));
      const inputs = files('input_');
      const feeds: Record<string, Tensor> = {};
      // input_i.pb feeds the i-th graph input (its stored name, when present, says the same).
      inputs.forEach((input, i) => {
        const declared = model.graph.inputs[i]?.name ?? input.name;
        feeds[declared] = input.tensor;
      });
      const result = executor.runSync(feeds);
      const outputs = files('output_');
      for (let i = 0; i < outputs.length; i++) {
        const outputName = model.graph.outputs[i]?.name ?? outputs[i].name;
        const problem = compare(outputName, result[outputName], outputs[i].tensor);
        if (problem !== undefined) return { status: 'mismatch', message: `${set}: ${problem}` };
      }
    }
    return { status: 'pass' };
  } catch (error) {
    return { status: error instanceof UnsupportedOpError ? 'unsupported' : 'error', message: describeError(error) };
  }
}

const index = JSON.parse(readFileSync(join(ROOT, 'INDEX.json'), 'utf8')) as IndexEntry[];

test('the vendored node tests and the exception list agree with each other', () => {
  assert.ok(index.length >= 391, `INDEX.json lists ${index.length} tests`);
  for (const entry of index) assert.ok(existsSync(join(ROOT, entry.test, 'model.onnx')), `${entry.test}: model.onnx missing`);
  const names = new Set(index.map((entry) => entry.test));
  for (const name of Object.keys(CONFORMANCE_EXCEPTIONS)) assert.ok(names.has(name), `conformance-exceptions.ts lists ${name}, which is not a vendored test`);
});

for (const entry of index) {
  const reason = CONFORMANCE_EXCEPTIONS[entry.test];
  test(`${entry.test} [${entry.ops.join(', ')}]`, () => {
    const outcome = runNodeTest(entry.test);
    if (reason === undefined) {
      if (outcome.status !== 'pass') assert.fail(`${entry.test} ${outcome.status}: ${outcome.message}`);
    } else {
      assert.notEqual(outcome.status, 'pass', `${entry.test} is listed as an exception (${reason}) but passes: remove it from conformance-exceptions.ts`);
    }
  });
}
