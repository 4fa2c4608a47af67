import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LimitError, RangeArgumentError } from '../../src/errors.ts';
import { ByteBudget, checkLimit, DEFAULT_LIMITS, resolveLimits } from '../../src/ir/limits.ts';

test('defaults, overrides and bad overrides', () => {
  assert.equal(DEFAULT_LIMITS.maxTensorElements, 2 ** 31);
  assert.deepEqual(resolveLimits({ maxNodes: 10 }), { ...DEFAULT_LIMITS, maxNodes: 10 });
  assert.throws(() => resolveLimits({ maxNodes: -1 }), RangeArgumentError);
  assert.throws(() => resolveLimits({ maxNodes: 1.5 }), RangeArgumentError);
  assert.throws(() => resolveLimits({ bogus: 1 } as never), RangeArgumentError);
});

test('checkLimit and ByteBudget throw LimitError naming the object', () => {
  const limits = resolveLimits({ maxTotalBytes: 100, maxAttributeElements: 3 });
  assert.doesNotThrow(() => checkLimit(limits, 'maxAttributeElements', 3, 'pads'));
  assert.throws(() => checkLimit(limits, 'maxAttributeElements', 4, 'attribute "pads"'), (e: unknown) => e instanceof LimitError && /attribute "pads": 4/.test(e.message));
  const budget = new ByteBudget(limits);
  budget.add(60, 'a');
  assert.throws(() => budget.add(41, 'tensor "b"'), (e: unknown) => e instanceof LimitError && /tensor "b"/.test(e.message));
});
