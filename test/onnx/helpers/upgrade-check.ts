/**
 * Checks an opset upgrade against onnxruntime: the old-opset model (or, where onnxruntime has no
 * kernel for the old form, a hand-written equivalent in a newer form) and quantkit's
 * import → export of it must give identical outputs.
 */
import assert from 'node:assert/strict';
import type { Model } from '../../../src/ir/graph.ts';
import type { Tensor } from '../../../src/ir/tensor.ts';
import { exportModel } from '../../../src/onnx/export.ts';
import { importModelWithReport, type UpgradeRecord } from '../../../src/onnx/import.ts';
import { runOrt } from './ort.ts';
import { modelBytes, type ModelSpec } from './proto-builder.ts';

export interface UpgradeCase {
  readonly old: ModelSpec;
  readonly feeds: Record<string, Tensor>;
  /** A model of the same meaning that onnxruntime can run, when it cannot run the old form. */
  readonly reference?: ModelSpec;
}

export interface UpgradeResult {
  readonly model: Model;
  readonly upgrades: readonly UpgradeRecord[];
  readonly exported: Uint8Array;
}

export async function checkUpgrade(c: UpgradeCase): Promise<UpgradeResult> {
  const oldBytes = modelBytes(c.old);
  const { model, upgrades } = importModelWithReport(oldBytes, { fileName: 'old.onnx' });
  const exported = exportModel(model);
  const expected = await runOrt(c.reference === undefined ? oldBytes : modelBytes(c.reference), c.feeds);
  const actual = await runOrt(exported, c.feeds);
  assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort());
  for (const name of Object.keys(expected)) {
    assert.deepEqual(actual[name].dims, expected[name].dims, `${name} dims`);
    assert.deepEqual(actual[name].data, expected[name].data, `${name} values`);
  }
  return { model, upgrades, exported };
}

/** The single node of the upgraded model with this op type. */
export function onlyNode(model: Model, opType: string) {
  const nodes = model.graph.nodes.filter((n) => n.opType === opType);
  assert.equal(nodes.length, 1, `one ${opType} node`);
  return nodes[0];
}
