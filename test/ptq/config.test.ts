import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONFIG, isExcluded, overrideFor, resolveConfig } from '../../src/ptq/config.ts';
import { RangeArgumentError } from '../../src/errors.ts';

test('defaults: W8A8, symmetric restricted int8 weights per channel, asymmetric uint8 activations, entropy', () => {
  const c = resolveConfig();
  assert.deepEqual(c, DEFAULT_CONFIG);
  assert.equal(c.weightBits, 8);
  assert.equal(c.weightScheme, 'symmetric');
  assert.equal(c.activationScheme, 'asymmetric');
  assert.equal(c.activationSigned, false);
  assert.equal(c.granularity, 'channel');
  assert.equal(c.method, 'entropy');
});

test('bad values are rejected naming the field', () => {
  const cases: [object, RegExp][] = [
    [{ weightBits: 1 }, /weightBits/],
    [{ activationBits: 17 }, /activationBits/],
    [{ method: 'kl' }, /unknown range method "kl"/],
    [{ granularity: 'row' }, /granularity/],
    [{ groupSize: 0 }, /groupSize/],
    [{ percentile: 0 }, /percentile/],
    [{ activationScheme: 'symmetric' }, /needs signed activations/],
    [{ weightScheme: 'unsigned' }, /weightScheme/],
    [{ overrides: { Conv: { weightBits: 40 } } }, /overrides\.Conv\.weightBits/],
  ];
  for (const [partial, message] of cases) assert.throws(() => resolveConfig(partial), (e) => e instanceof RangeArgumentError && message.test(e.message), JSON.stringify(partial));
});

test('exclusions and overrides match node names and op types (name wins)', () => {
  const c = resolveConfig({ exclude: ['Softmax', 'conv7'], overrides: { Conv: { weightBits: 4 }, conv1: { weightBits: 6, activationBits: 6 } } });
  assert.ok(isExcluded(c, 'x', 'Softmax'));
  assert.ok(isExcluded(c, 'conv7', 'Conv'));
  assert.ok(!isExcluded(c, 'conv1', 'Conv'));
  assert.deepEqual(overrideFor(c, 'conv1', 'Conv'), { weightBits: 6, activationBits: 6 });
  assert.deepEqual(overrideFor(c, 'conv2', 'Conv'), { weightBits: 4 });
});
