import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DTYPES, storageMatches, type DType } from '../../../../src/ir/dtype.ts';
import type { Attribute } from '../../../../src/ir/graph.ts';
import { tensor, type Tensor } from '../../../../src/ir/tensor.ts';
import { KernelRegistry } from '../../../../src/runtime/registry.ts';
import { tensorKernels } from '../../../../src/runtime/kernels/float/tensor-kernels.ts';
import { i64, int, runKernel, str } from './kernel-test-utils.ts';

const REQUIRED = [
  'Add', 'Sub', 'Mul', 'Div', 'Pow', 'Min', 'Max', 'Sum', 'Mean', 'Mod',
  'Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual', 'Not', 'And', 'Or', 'Xor', 'Where',
  'Sqrt', 'Exp', 'Log', 'Neg', 'Abs', 'Erf', 'Tanh', 'Relu', 'LeakyRelu', 'Clip', 'Sigmoid', 'HardSigmoid', 'HardSwish',
  'Identity', 'Dropout', 'Cast', 'CastLike', 'Floor', 'Ceil', 'Round', 'Reciprocal', 'Sign', 'Sin', 'Cos', 'Gelu',
  'Reshape', 'Flatten', 'Transpose', 'Concat', 'Split', 'Slice', 'Squeeze', 'Unsqueeze', 'Gather', 'Shape', 'Size',
  'Expand', 'Tile', 'ConstantOfShape', 'Constant', 'Pad',
  'ReduceMean', 'ReduceSum', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceL2', 'ArgMax', 'ArgMin', 'Resize',
];

test('the tensor kernel list registers every op once', () => {
  const registry = new KernelRegistry('tensor-test', tensorKernels);
  for (const op of REQUIRED) assert.ok(registry.has(op), `${op} is missing`);
  assert.equal(registry.ops().length, tensorKernels.length);
});

test('data-movement kernels keep every dtype and move its values like float64 ones', () => {
  const ops: [string, (x: Tensor) => (Tensor | undefined)[], Record<string, Attribute>?][] = [
    ['Transpose', (x) => [x]],
    ['Reshape', (x) => [x, i64([3, 2])]],
    ['Flatten', (x) => [x], { axis: int(0) }],
    ['Unsqueeze', (x) => [x, i64([1])]],
    ['Concat', (x) => [x, x], { axis: int(1) }],
    ['Slice', (x) => [x, i64([2]), i64([-9]), i64([1]), i64([-1])]],
    ['Gather', (x) => [x, i64([1, -1])], { axis: int(1) }],
    ['Expand', (x) => [x, i64([2, 2, 3])]],
    ['Tile', (x) => [x, i64([2, 1])]],
    ['Pad', (x) => [x, i64([1, 0, 0, 1])], { mode: str('reflect') }],
    ['Identity', (x) => [x]],
  ];
  for (const dtype of Object.keys(DTYPES) as DType[]) {
    const info = DTYPES[dtype];
    const values = Array.from({ length: 6 }, (_, i) => (info.kind === 'float' ? i * 0.5 : (info.min as number) + (i % ((info.max as number) - (info.min as number) + 1))));
    const x = tensor(dtype, [2, 3]);
    values.forEach((v, i) => (x.data[i] = v));
    const reference = tensor('float64', [2, 3], Float64Array.from(x.data));
    for (const [op, inputs, attrs] of ops) {
      const [out] = runKernel(tensorKernels, op, inputs(x), attrs);
      const [want] = runKernel(tensorKernels, op, inputs(reference), attrs);
      assert.equal(out.dtype, dtype, `${op} ${dtype}`);
      assert.ok(storageMatches(dtype, out.data), `${op} ${dtype} storage`);
      assert.deepEqual(out.shape, want.shape, `${op} ${dtype} shape`);
      assert.deepEqual(Array.from(out.data), Array.from(want.data), `${op} ${dtype} values`);
    }
  }
});
