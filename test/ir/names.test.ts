import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { GraphBuilder } from '../../src/ir/builder.ts';
import { namesIn, UniqueNames } from '../../src/ir/names.ts';

test('UniqueNames returns the base when free, then base_1, base_2, ... skipping taken names', () => {
  const names = new UniqueNames(['w', 'w_2']);
  assert.equal(names.next('x'), 'x');
  assert.equal(names.next('w'), 'w_1');
  assert.equal(names.next('w'), 'w_3');
  assert.equal(names.next(''), '_1');
  fc.assert(
    fc.property(fc.array(fc.constantFrom('a', 'b', 'a_1', ''), { maxLength: 30 }), (bases) => {
      const unique = new UniqueNames(['a']);
      const got = bases.map((b) => unique.next(b));
      assert.equal(new Set([...got, 'a']).size, got.length + 1);
    }),
  );
});

test('namesIn collects values, nodes and initializers', () => {
  const b = new GraphBuilder('g');
  b.addInput('x', 'float32', [1]);
  b.addInitializer('w', { dtype: 'float32', shape: [1], data: Float32Array.of(1) });
  const [y] = b.addNode('Add', ['x', 'w'], {}, { name: 'add', outputs: ['y'] });
  b.addOutput(y);
  assert.deepEqual([...namesIn(b.build())].sort(), ['add', 'w', 'x', 'y']);
});
