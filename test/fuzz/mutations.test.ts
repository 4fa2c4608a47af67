import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { prepareCase } from '../../src/fuzz/campaign.ts';
import { loadCorpus } from '../../src/fuzz/corpus.ts';
import { MUTATIONS } from '../../src/fuzz/mutations.ts';
import { FuzzRandom } from '../../src/fuzz/random.ts';
import { decodeModelProto } from '../../src/onnx/proto/codec.ts';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url));
const mnist = read('models/mnist-8.onnx');

test('every mutation kind changes a copy of the model and leaves the input alone, even a Node Buffer', () => {
  const before = Uint8Array.from(mnist);
  for (const [kind, mutation] of Object.entries(MUTATIONS)) {
    if (kind === 'none' || kind === 'qparams') continue;
    let changed = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const out = mutation.apply(mnist, new FuzzRandom(seed), mnist);
      if (out !== undefined && Buffer.compare(out, mnist) !== 0) changed++;
      // A Buffer's slice() is a view: a mutator using it would damage the corpus itself.
      assert.equal(Buffer.compare(mnist, before), 0, `${kind} modified its input`);
      if (mutation.level === 'proto' && out !== undefined) assert.doesNotThrow(() => decodeModelProto(out), `${kind} must stay decodable`);
    }
    assert.ok(changed >= 15, `${kind} changed only ${changed} of 20 copies`);
  }
});

test('a case is the same for the same seed and index, whatever ran before; Q/DQ mutations need a quantized model', async () => {
  const corpus = await loadCorpus(read);
  const first = prepareCase(7, 123, corpus);
  prepareCase(7, 124, corpus);
  const again = prepareCase(7, 123, corpus);
  assert.deepEqual(again.spec, first.spec);
  assert.equal(Buffer.compare(again.bytes, first.bytes), 0);
  assert.notDeepEqual(prepareCase(8, 123, corpus).bytes, first.bytes);
  const qdq = corpus.find((e) => e.name === 'mnist-8.qdq')!.bytes;
  assert.equal(MUTATIONS.qparams.apply(mnist, new FuzzRandom(1), mnist), undefined);
  assert.ok(MUTATIONS.qparams.apply(qdq, new FuzzRandom(1), qdq) !== undefined);
});
