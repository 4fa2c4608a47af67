// `quantize --report`, `quantkit report <results.json>`: the same page from the job and from its
// saved summary; bad input ends with exit code 2 and one line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quantkitBatch } from './batch.ts';

const CALIB = 'data/mnist/calib-images-idx3-ubyte.gz';
const T10K = 'data/mnist/t10k-images-idx3-ubyte.gz';

function dataBlock(html: string): { title: string; accuracy: { rows: { top1: number }[] }; layers: { tensor: string; sqnrDb: number | null }[] } {
  const m = html.match(/<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/);
  assert.ok(m);
  return JSON.parse(m[1]);
}

test('quantize --report and report <results.json> write the same self-contained page; bad input exits 2; --help has examples', () => {
  const dir = mkdtempSync(join(tmpdir(), 'quantkit-report-'));
  try {
    const page = join(dir, 'report.html');
    const [q] = quantkitBatch([['quantize', 'models/mnist-8.onnx', '--calib', CALIB, '--calib-limit', '20', '--eval', T10K, '--eval-limit', '30', '-o', join(dir, 'q.onnx'), '--report', page, '--json']]);
    assert.equal(q.status, 0, q.stderr);
    assert.equal(q.stderr, '');
    const results = JSON.parse(q.stdout);
    assert.equal(results.model, 'models/mnist-8.onnx');
    assert.ok(results.distributions.length > 0 && results.weight_ranges.length === 3 && results.integer_agreement.length > 0);
    const html = readFileSync(page, 'utf8');
    const data = dataBlock(html);
    assert.equal(data.title, 'quantkit report: mnist-8.onnx');
    assert.deepEqual(data.accuracy.rows.map((r) => r.top1), [results.eval.float, results.eval.simulated, results.eval.integer]);
    assert.deepEqual(data.layers.map((l) => [l.tensor, l.sqnrDb]), results.layers.map((l: { tensor: string; sqnr_db: number | null }) => [l.tensor, l.sqnr_db]));

    const resultsFile = join(dir, 'results.json');
    writeFileSync(resultsFile, q.stdout);
    const notJson = join(dir, 'bad.json');
    writeFileSync(notJson, '{"layers": [');
    const notSummary = join(dir, 'other.json');
    writeFileSync(notSummary, JSON.stringify({ ...results, layers: {} }));
    const otherStats = join(dir, 'other-stats.json');
    const minmax = { kind: 'minmax', min: 0, max: 1, count: 1 };
    writeFileSync(otherStats, JSON.stringify({ kind: 'quantkit-calibration', version: 1, model: 'other.onnx', samples: 1, skipped: 0, tensors: { Input3: { minmax } } }));
    const again = join(dir, 'again.html');
    const [help, r, ...bad] = quantkitBatch([
      ['report', '--help'],
      ['report', resultsFile, '-o', again, '--json'],
      ['report', resultsFile, '-o', again],
      ['report', notJson, '-o', join(dir, 'x.html')],
      ['report', notSummary, '-o', join(dir, 'x.html')],
      ['report', join(dir, 'nowhere.json'), '-o', join(dir, 'x.html')],
      ['report', resultsFile, '--stats', otherStats, '-o', join(dir, 'x.html')],
    ]);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /Usage: quantkit report \[options\] <results>/);
    assert.match(help.stdout, /Examples:\n {2}quantkit quantize .* --json > out\/results\.json/);
    assert.equal(r.status, 0, r.stderr);
    const printed = JSON.parse(r.stdout);
    assert.equal(printed.output, again);
    assert.equal(printed.sections.length, 9);
    assert.equal(readFileSync(again, 'utf8'), html);
    assert.equal(printed.bytes, Buffer.byteLength(html));
    // Existing output without --force, a file that is not JSON, a JSON that is no summary, no file, statistics of
    // another model: exit 2, one line.
    const messages = [/output .*again\.html exists; pass --force/, /E_DATA: results .*bad\.json is not JSON/, /E_DATA: .*other\.json: layers must be an array, got an object/, /E_USAGE: results .*nowhere\.json does not exist/, /E_DATA: .*other-stats\.json has no statistics for tensor ReLU32_Output_0 of this summary's model/];
    bad.forEach((b, i) => {
      assert.equal(b.status, 2, String(messages[i]));
      assert.match(b.stderr, messages[i]);
      assert.equal(b.stderr.trim().split('\n').length, 1);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
