import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataError } from '../../src/errors.ts';
import { parseSummaryJSON } from '../../src/report/parse.ts';
import { fixtureSummary } from './fixture.ts';

const clone = () => JSON.parse(JSON.stringify(fixtureSummary())) as Partial<ReturnType<typeof fixtureSummary>>;

const DELETE = Symbol('delete');

/** Sets (or deletes) the value at `path` inside a JSON value. */
function spoil(json: unknown, path: readonly (string | number)[], value: unknown): void {
  let node = json as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (value === DELETE) delete node[last];
  else node[last] = value;
}

test('a summary read back from JSON is accepted unchanged', () => {
  const json = clone();
  assert.deepEqual(parseSummaryJSON(json, 'results.json'), json);
});

test('a summary without the report sections reads them as empty', () => {
  const json = clone();
  for (const key of ['distributions', 'weight_ranges', 'integer_agreement']) spoil(json, [key], DELETE);
  const parsed = parseSummaryJSON(json);
  assert.deepEqual([parsed.distributions, parsed.weight_ranges, parsed.integer_agreement], [[], [], []]);
});

test('a wrong field fails with a DataError naming the file and the field', () => {
  assert.throws(() => parseSummaryJSON(42, 'results.json'), { name: 'DataError', message: 'results.json: the top level must be an object, got 42' });
  const cases: [(string | number)[], unknown, RegExp][] = [
    [['layers'], DELETE, /^results\.json: layers must be an array, got nothing$/],
    [['layers', 1, 'sqnr_db'], 'high', /layers\[1\]\.sqnr_db must be a number or null, got "high"/],
    [['layers', 0, 'range', 1], '1', /layers\[0\]\.range\[1\] must be a number/],
    [['plan', 'activations', 'input', 'group'], DELETE, /plan\.activations\["input"\]\.group must be a string, got nothing/],
    [['config'], [], /config must be an object, got an array/],
    [['eval', 'integer'], null, /eval\.integer must be a number, got null/],
    [['distributions', 0, 'histogram', 'counts'], {}, /distributions\[0\]\.histogram\.counts must be an array/],
    [['weight_ranges', 0, 'maxs'], DELETE, /weight_ranges\[0\]\.maxs must be an array/],
    [['integer_agreement', 1, 'counts', 2], 'x', /integer_agreement\[1\]\.counts\[2\] must be a number/],
  ];
  for (const [path, value, message] of cases) {
    const json = clone();
    spoil(json, path, value);
    assert.throws(() => parseSummaryJSON(json, 'results.json'), (e: unknown) => e instanceof DataError && message.test(e.message), path.join('.'));
  }
});
