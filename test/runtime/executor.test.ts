import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createExecutor } from '../../src/runtime/executor.ts';
import { planGraph } from '../../src/runtime/plan.ts';
import { KernelRegistry } from '../../src/runtime/registry.ts';
import type { KernelConfig } from '../../src/runtime/kernel.ts';
import { floatKernels } from '../../src/runtime/kernels/float/register.ts';
import type { Graph, Model, Node, ValueInfo } from '../../src/ir/graph.ts';
import { float32, tensor, type Tensor } from '../../src/ir/tensor.ts';
import { ModelFormatError, QuantkitError, ShapeError, UnsupportedOpError } from '../../src/errors.ts';
import { assertClose } from './helpers.ts';

function node(name: string, opType: string, inputs: string[], outputs: string[], attributes: Node['attributes'] = {}): Node {
  return { name, opType, domain: '', inputs, outputs, attributes };
}

function model(nodes: Node[], inputs: ValueInfo[], outputs: string[], initializers: [string, Tensor][] = [], valueInfo: ValueInfo[] = []): Model {
  const graph: Graph = {
    name: 'test-graph',
    inputs,
    outputs: outputs.map((name) => ({ name })),
    initializers: new Map(initializers),
    nodes,
    valueInfo: new Map(valueInfo.map((v) => [v.name, v])),
  };
  return { irVersion: 8, opsets: new Map([['', 13]]), graph };
}

/** Test kernels: elementwise +1 and ×2 over float32, a two-input add, and one that records its inputs. */
const calls: string[] = [];
const map = (op: string, f: (v: number) => number): KernelConfig => ({
  op,
  impl: (inputs, n) => {
    calls.push(n.name);
    const x = inputs[0]!;
    return [tensor('float32', x.shape, Float32Array.from(x.data, f))];
  },
});
const testKernels = new KernelRegistry('test', [
  map('AddOne', (v) => v + 1),
  map('Double', (v) => v * 2),
  { op: 'Plus', impl: (inputs) => [tensor('float32', inputs[0]!.shape, Float32Array.from(inputs[0]!.data, (v, i) => v + (inputs[1]?.data[i] ?? 100)))] },
  { op: 'Fail', impl: () => { throw new ShapeError('input 0 does not fit'); } },
  { op: 'Crash', impl: () => { throw new TypeError('cannot read properties of undefined'); } },
  { op: 'Wrong', impl: () => [tensor('float32', [7])] },
  { op: 'Split2', impl: (inputs) => [inputs[0]!, float32([1], [5])] },
]);

const x = float32([2, 3], [1, 2, 3, 4, 5, 6]);
const chain = model(
  [node('n1', 'AddOne', ['x'], ['a']), node('n2', 'Double', ['a'], ['b']), node('n3', 'AddOne', ['b'], ['c']), node('n4', 'Plus', ['c', 'a'], ['y'])],
  [{ name: 'x', dtype: 'float32', shape: ['batch', 3] }],
  ['y'],
);

test('runs nodes in order and returns the graph outputs', async () => {
  const result = await createExecutor(chain, testKernels).run({ x });
  assert.deepEqual(Object.keys(result), ['y']);
  // y = ((x + 1)·2 + 1) + (x + 1)
  assert.deepEqual([...result.y.data], [...x.data].map((v) => (v + 1) * 2 + 1 + (v + 1)));
  assert.deepEqual(createExecutor(chain, testKernels).runSync({ x }).y.data, result.y.data);
});

test('unsupported ops are all named, with node and opset, before anything runs', () => {
  calls.length = 0;
  const m = model([node('first', 'AddOne', ['x'], ['a']), node('conv_7', 'Frobnicate', ['a'], ['b']), node('other', 'Quux', ['b'], ['c']), node('conv_8', 'Frobnicate', ['c'], ['y'])], [{ name: 'x' }], ['y']);
  assert.throws(
    () => createExecutor(m, testKernels),
    (e: unknown) =>
      e instanceof UnsupportedOpError &&
      /Frobnicate \(domain ai\.onnx, opset 13\) at nodes "conv_7", "conv_8"/.test(e.message) &&
      /Quux \(domain ai\.onnx, opset 13\) at node "other"/.test(e.message) &&
      /test kernel set/.test(e.message),
  );
  assert.deepEqual(calls, []);
});

test('broken wiring is a ModelFormatError at creation', () => {
  assert.throws(() => createExecutor(model([node('n', 'AddOne', ['nowhere'], ['y'])], [], ['y']), testKernels), (e: unknown) => e instanceof ModelFormatError && /"nowhere"/.test(e.message));
  assert.throws(() => createExecutor(model([node('n', 'AddOne', ['x'], ['x'])], [{ name: 'x' }], ['x']), testKernels), /defined twice/);
  assert.throws(() => createExecutor(model([], [{ name: 'x' }], ['y']), testKernels), /graph output "y" is never defined/);
});

test('feeds are checked: missing, unknown, wrong dtype, wrong shape, inconsistent symbolic dims', () => {
  const two = model([node('n', 'Plus', ['x', 'z'], ['y'])], [{ name: 'x', dtype: 'float32', shape: ['batch', 3] }, { name: 'z', dtype: 'float32', shape: ['batch', null] }], ['y']);
  const run = createExecutor(two, testKernels).runSync;
  const z = float32([2, 3], [0, 0, 0, 0, 0, 0]);
  assert.throws(() => run({ x }), (e: unknown) => e instanceof ShapeError && /graph input "z" is missing/.test(e.message));
  assert.throws(() => run({ x, z, extra: x }), (e: unknown) => e instanceof ShapeError && /feed "extra" is not an input/.test(e.message));
  assert.throws(() => run({ x: tensor('float64', [2, 3]), z }), (e: unknown) => e instanceof ShapeError && /"x": dtype float64, declared float32/.test(e.message));
  assert.throws(() => run({ x: float32([2, 4], new Array(8).fill(0)), z }), /"x": shape \[2, 4\] does not match the declared \[batch, 3\] \(axis 1 is 4, expected 3\)/);
  assert.throws(() => run({ x, z: float32([3, 2], [0, 0, 0, 0, 0, 0]) }), /"z".*"batch" is already 2/);
  assert.throws(() => run({ x: float32([6], [1, 2, 3, 4, 5, 6]), z }), /rank 1 vs 2/);
  assert.throws(() => run({ x: { dtype: 'float32', shape: [2, 3], data: new Float32Array(5) }, z }), /needs 6 elements, data has 5/);
  assert.throws(() => run({ x: { dtype: 'float32', shape: [2, 3], data: new Float64Array(6) }, z }), /Float64Array cannot hold float32/);
  // The same symbol may take another value in the next run; unknown (null) dims accept anything.
  assert.equal(run({ x: float32([1, 3], [1, 2, 3]), z: float32([1, 3], [1, 1, 1]) }).y.data[2], 4);
});

test('onValue sees the inputs, then every node output in execution order with its producer', () => {
  const seen: [string, string | undefined, number][] = [];
  createExecutor(chain, testKernels).runSync({ x }, { onValue: (name, value, producer) => seen.push([name, producer?.name, value.data[0]]) });
  assert.deepEqual(seen, [
    ['x', undefined, 1],
    ['a', 'n1', 2],
    ['b', 'n2', 4],
    ['c', 'n3', 5],
    ['y', 'n4', 7],
  ]);
});

test('intermediates are released after their last consumer; fetch keeps them', () => {
  const plan = planGraph(chain, testKernels);
  // a is read by n2 and n4 (last), b by n3, c by n4; x by n1; y is produced by n4.
  assert.deepEqual(plan.steps.map((s) => [...s.release].sort()), [['x'], [], ['b'], ['a', 'c', 'y']]);
  const result = createExecutor(chain, testKernels).runSync({ x }, { fetch: ['a', 'b', 'x'] });
  assert.deepEqual(Object.keys(result).sort(), ['a', 'b', 'x', 'y']);
  assert.deepEqual([...result.a.data], [2, 3, 4, 5, 6, 7]);
  assert.deepEqual([...result.b.data], [4, 6, 8, 10, 12, 14]);
  assert.equal(result.x, x);
  assert.throws(() => createExecutor(chain, testKernels).runSync({ x }, { fetch: ['nope'] }), /fetched value "nope" is not defined/);
});

test('initializers are constants for kernels, omitted inputs arrive as undefined, omitted outputs are skipped', () => {
  const w = float32([2, 3], [10, 20, 30, 40, 50, 60]);
  const m = model(
    [node('p', 'Plus', ['x', 'w'], ['s']), node('q', 'Plus', ['s', ''], ['t']), node('r', 'Split2', ['t'], ['', 'five']), node('u', 'Plus', ['t', 'w'], ['y'])],
    [{ name: 'x', dtype: 'float32', shape: [2, 3] }],
    ['y', 'five', 'w'],
    [['w', w]],
  );
  const result = createExecutor(m, testKernels).runSync({ x });
  assert.deepEqual([...result.y.data], [...x.data].map((v, i) => v + w.data[i] + 100 + w.data[i]));
  assert.deepEqual([...result.five.data], [5]);
  assert.equal(result.w, w);
  assert.deepEqual(planGraph(m, testKernels).steps.flatMap((s) => s.release).includes('w'), false);
});

test('kernel failures name the node: QuantkitErrors are prefixed, other errors wrapped', () => {
  const failing = model([node('bad_node', 'Fail', ['x'], ['y'])], [{ name: 'x' }], ['y']);
  assert.throws(() => createExecutor(failing, testKernels).runSync({ x }), (e: unknown) => e instanceof ShapeError && e.message === 'node "bad_node" (Fail): input 0 does not fit');
  const crashing = model([node('crash_node', 'Crash', ['x'], ['y'])], [{ name: 'x' }], ['y']);
  assert.throws(
    () => createExecutor(crashing, testKernels).runSync({ x }),
    (e: unknown) => e instanceof QuantkitError && e.code === 'E_KERNEL' && /crash_node/.test(e.message) && (e.cause as Error) instanceof TypeError,
  );
});

test('checkDeclaredValues compares node outputs with the declared value_info', () => {
  const m = model([node('w_node', 'Wrong', ['x'], ['y'])], [{ name: 'x' }], ['y'], [], [{ name: 'y', dtype: 'float32', shape: [2, 3] }]);
  assert.equal(createExecutor(m, testKernels).runSync({ x }).y.shape[0], 7);
  assert.throws(() => createExecutor(m, testKernels, { checkDeclaredValues: true }).runSync({ x }), /node "w_node" \(Wrong\) output "y": shape \[7\] does not match the declared \[2, 3\]/);
});

test('the float kernel set runs a Gemm → Softmax graph', () => {
  const weights = float32([3, 2], [1, -1, 0.5, 2, -1, 0]);
  const bias = float32([2], [0.25, -0.25]);
  const m = model(
    [node('fc', 'Gemm', ['x', 'w', 'b'], ['logits']), node('sm', 'Softmax', ['logits'], ['p'])],
    [{ name: 'x', dtype: 'float32', shape: ['n', 3] }],
    ['p'],
    [['w', weights], ['b', bias]],
  );
  const { p } = createExecutor(m, floatKernels()).runSync({ x });
  const expected: number[] = [];
  for (let i = 0; i < 2; i++) {
    const logits = [0, 1].map((j) => bias.data[j] + [0, 1, 2].reduce((s, k) => s + x.data[i * 3 + k] * weights.data[k * 2 + j], 0));
    const e = logits.map((v) => Math.exp(v));
    expected.push(...e.map((v) => v / (e[0] + e[1])));
  }
  assert.deepEqual(p.shape, [2, 2]);
  assertClose(p.data, expected, 'Gemm → Softmax', 1e-6, 1e-7);
});

test('unnamed nodes are named by their index in messages', () => {
  const m = model([node('', 'AddOne', ['x'], ['a']), node('', 'Fail', ['a'], ['y'])], [{ name: 'x' }], ['y']);
  assert.throws(() => createExecutor(m, testKernels).runSync({ x }), (e: unknown) => e instanceof ShapeError && /^node #1 \(Fail\): /.test(e.message));
  const unsupported = model([node('', 'Nope', ['x'], ['y'])], [{ name: 'x' }], ['y']);
  assert.throws(() => createExecutor(unsupported, testKernels), /Nope \(domain ai\.onnx, opset 13\) at node #0/);
});

test('run() rejects (instead of throwing synchronously) on bad feeds', async () => {
  const executor = createExecutor(chain, testKernels);
  const pending = executor.run({});
  assert.ok(pending instanceof Promise);
  await assert.rejects(pending, /graph input "x" is missing/);
});
