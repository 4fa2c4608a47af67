import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prepared } from '../../../../src/runtime/kernels/integer/prepare-cache.ts';
import { integerNode } from './integer-test-utils.ts';
import { make } from '../float/kernel-test-utils.ts';

test('prepared builds once per node while its keys are the same objects, and rebuilds when one changes', () => {
  const node = integerNode('QLinearConv');
  const other = integerNode('QLinearConv');
  const scale = make('float32', [], [0.5]);
  let builds = 0;
  const build = (): { n: number } => ({ n: ++builds });
  const first = prepared(node, [scale, 3], build);
  assert.equal(prepared(node, [scale, 3], build), first);
  assert.equal(builds, 1);
  // an equal but distinct tensor (a scale fed at run time) is another key
  const rebuilt = prepared(node, [make('float32', [], [0.5]), 3], build);
  assert.notEqual(rebuilt, first);
  assert.equal(prepared(node, [scale, 4], build).n, 3);
  assert.equal(prepared(other, [scale, 4], build).n, 4, 'per node');
});
