import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EXIT_FAILURE, EXIT_USAGE, exitCodeFor, formatError, UsageError } from '../../src/cli/errors.ts';
import { DataError, QuantkitError } from '../../src/errors.ts';
import { quantkitBatch } from './batch.ts';

const MODEL = 'models/mnist-8.onnx';

test('every kind of CLI error prints one line `quantkit: <code>: <message>` and exits 2', () => {
  const cases: [string[], RegExp][] = [
    [['frobnicate'], /^quantkit: E_USAGE: unknown command 'frobnicate' \(run with --help for usage\)$/],
    [['inspect'], /^quantkit: E_USAGE: missing required argument 'model' \(run with --help for usage\)$/],
    [['inspect', MODEL, '--bogus'], /^quantkit: E_USAGE: unknown option '--bogus' \(run with --help for usage\)$/],
    [['eval', MODEL, '--data', 'x', '--limit', '0'], /^quantkit: E_USAGE: .*--limit/],
    [['inspect', 'nowhere.onnx'], /^quantkit: E_USAGE: model nowhere\.onnx does not exist$/],
    [['inspect', 'README.md'], /^quantkit: E_MODEL_FORMAT: README\.md: not a valid ModelProto/],
    [['eval', MODEL, '--data', 'README.md'], /^quantkit: E_DATA: README\.md: not an IDX file/],
  ];
  const results = quantkitBatch(cases.map(([argv]) => argv));
  cases.forEach(([argv, pattern], i) => {
    const { status, stderr } = results[i];
    assert.equal(status, 2, argv.join(' '));
    assert.ok(stderr.endsWith('\n') && !stderr.trimEnd().includes('\n'), `${argv.join(' ')}: not one line: ${JSON.stringify(stderr)}`);
    assert.match(stderr.trimEnd(), pattern);
  });
});

test('--verbose adds the stack after the one-line message, before or after the command', () => {
  const [after, before] = quantkitBatch([['eval', MODEL, '--data', 'README.md', '--verbose'], ['--verbose', 'inspect', 'README.md']]);
  for (const { stderr } of [after, before]) {
    const [line, ...stack] = stderr.trimEnd().split('\n');
    assert.match(line, /^quantkit: E_(DATA|MODEL_FORMAT): README\.md/);
    assert.ok(stack.some((l) => /^\s+at /.test(l)), stderr);
  }
});

test('formatError folds multi-line messages; exit codes: 2 for typed input errors, 1 for quantkit failures', () => {
  assert.equal(formatError(new DataError('a\n   b'), false), 'quantkit: E_DATA: a b');
  assert.equal(formatError(new TypeError('x is undefined'), false), 'quantkit: x is undefined');
  assert.equal(formatError('thrown string', true), 'quantkit: thrown string');
  assert.equal(exitCodeFor(new UsageError('u')), EXIT_USAGE);
  assert.equal(exitCodeFor(new QuantkitError('E_KERNEL', 'k')), EXIT_FAILURE);
  assert.equal(exitCodeFor(new TypeError('t')), EXIT_FAILURE);
});
