import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LimitError } from '../../src/errors.ts';
import type { Graph, Model, Node } from '../../src/ir/graph.ts';
import { resolveLimits } from '../../src/ir/limits.ts';
import { float32, tensor, type Tensor } from '../../src/ir/tensor.ts';
import { createExecutor } from '../../src/runtime/executor.ts';
import { floatKernels } from '../../src/runtime/kernels/float/register.ts';
import { integerKernels } from '../../src/runtime/kernels/integer/register.ts';
import { KernelRegistry } from '../../src/runtime/registry.ts';

/** One node `op(x, ...constants) → y` with x fed at run time. */
function single(op: string, constants: [string, Tensor][], attributes: Node['attributes'] = {}, maxTensorElements?: number, domain = ''): Model {
  const graph: Graph = {
    name: 'g',
    inputs: [{ name: 'x' }],
    outputs: [{ name: 'y' }],
    initializers: new Map(constants),
    nodes: [{ name: 'big', opType: op, domain, inputs: ['x', ...constants.map(([name]) => name)], outputs: ['y'], attributes }],
    valueInfo: new Map(),
  };
  return { irVersion: 8, opsets: new Map([['', 21]]), graph, ...(maxTensorElements === undefined ? {} : { limits: resolveLimits({ maxTensorElements }) }) };
}

const int64 = (values: number[]) => tensor('int64', [values.length], Float64Array.from(values));
const refused = (pattern: RegExp) => (e: unknown) => e instanceof LimitError && /node "big"/.test(e.message) && pattern.test(e.message);

test('outputs sized by inputs or attributes past maxTensorElements are refused before the kernel allocates', () => {
  const x = float32([1, 2], [1, 2]);
  // Each of these would allocate (and fill) gigabytes if the kernel ran: the test would not finish.
  const cases: [string, Model, Tensor][] = [
    ['Expand', single('Expand', [['shape', int64([2 ** 16, 2 ** 16, 1])]]), float32([1, 1, 2], [1, 2])],
    ['Tile', single('Tile', [['repeats', int64([2 ** 20, 2 ** 20])]]), x],
    ['Pad', single('Pad', [['pads', int64([0, 0, 2 ** 30, 2 ** 30])]]), x],
    ['ConstantOfShape', single('ConstantOfShape', []), int64([2 ** 20, 2 ** 20])],
    // Zero elements, but Pad and Resize build an index map as long as each output dim.
    ['Pad of an empty axis', single('Pad', [['pads', int64([0, 0, 0, 2 ** 31])]]), float32([0, 2], [])],
    ['Resize', single('Resize', [['roi', float32([0], [])], ['scales', float32([0], [])], ['sizes', int64([0, 2 ** 32])]]), x],
  ];
  for (const [what, model, input] of cases) {
    assert.throws(() => createExecutor(model, floatKernels()).runSync({ x: input }), refused(/maxTensorElements = 2147483648/), what);
  }
});

test("the model's configured maxTensorElements applies to every computed tensor", () => {
  const fill = (shape: number[], limit: number) => createExecutor(single('ConstantOfShape', [], {}, limit), floatKernels()).runSync({ x: int64(shape) });
  assert.deepEqual(fill([10, 10], 100).y.shape, [10, 10]);
  assert.throws(() => fill([10, 11], 100), refused(/shape \[10, 11\], more than the limit maxTensorElements = 100/));
  // Ops without a shape rule are held to it after they run.
  const custom = new KernelRegistry('custom', [{ op: 'Grow', domain: 'x.test', impl: () => [tensor('float32', [101])] }]);
  assert.throws(() => createExecutor(single('Grow', [], {}, 100, 'x.test'), custom).runSync({ x: float32([1], [1]) }), (e: unknown) => e instanceof LimitError && /node "big" \(Grow\) output "y"/.test(e.message));
  // And to the feeds.
  assert.throws(() => fill(Array.from({ length: 101 }, () => 1), 100), (e: unknown) => e instanceof LimitError && /graph input "x"/.test(e.message));
});

test('the integer contrib ops are checked before they run too (QLinearAdd broadcasting [64, 1] with [1, 64])', () => {
  const u8 = (shape: number[]) => tensor('uint8', shape, new Uint8Array(shape.reduce((a, b) => a * b, 1)));
  const scale = float32([], [0.5]);
  const graph: Graph = {
    name: 'g',
    inputs: [{ name: 'x' }],
    outputs: [{ name: 'y' }],
    initializers: new Map<string, Tensor>([['s', scale], ['z', tensor('uint8', [], Uint8Array.of(0))], ['b', u8([1, 64])]]),
    nodes: [{ name: 'big', opType: 'QLinearAdd', domain: 'com.microsoft', inputs: ['x', 's', 'z', 'b', 's', 'z', 's', 'z'], outputs: ['y'], attributes: {} }],
    valueInfo: new Map(),
  };
  const model: Model = { irVersion: 8, opsets: new Map([['', 21], ['com.microsoft', 1]]), graph, limits: resolveLimits({ maxTensorElements: 1000 }) };
  const run = (rows: number) => createExecutor(model, integerKernels()).runSync({ x: u8([rows, 1]) });
  assert.deepEqual(run(15).y.shape, [15, 64]);
  assert.throws(() => run(64), refused(/would have shape \[64, 64\], more than the limit maxTensorElements = 1000/));
});
