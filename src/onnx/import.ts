/**
 * ONNX ModelProto bytes → Model. Decodes (protobufjs, with limits checked before allocation),
 * upgrades every default-domain node from the model's opset to the newest form
 * (src/onnx/upgrade/), and validates the result. Every failure is a typed QuantkitError naming
 * the file, and where known the node and tensor.
 */
import { ModelFormatError, RangeArgumentError } from '../errors.ts';
import type { Model } from '../ir/graph.ts';
import { ByteBudget, resolveLimits, type Limits } from '../ir/limits.ts';
import { uniqueNamesFor } from '../ir/names.ts';
import { decodeGraph, normalizeDomain, type DecodeContext } from './decode-graph.ts';
import { decodeModelProto, int64ToNumber } from './proto/codec.ts';
import type { ExternalDataResolver } from './tensor.ts';
import { upgradeGraph } from './upgrade/apply.ts';
import type { UpgradeRecord } from './upgrade/types.ts';
import { validateGraph } from './validate.ts';

export type { ExternalDataResolver } from './tensor.ts';
export type { UpgradeRecord } from './upgrade/types.ts';

export interface ImportOptions {
  /** Names the model in messages (default 'model'). */
  readonly fileName?: string;
  readonly limits?: Partial<Limits>;
  /** Supplies external tensor data; without it, external tensors are a ModelFormatError. */
  readonly externalData?: ExternalDataResolver;
}

export interface ImportResult {
  readonly model: Model;
  /** What the opset upgrade changed, node by node. */
  readonly upgrades: readonly UpgradeRecord[];
}

/** Decodes, upgrades and validates an ONNX model, also returning the upgrade record (for `inspect`). */
export function importModelWithReport(bytes: Uint8Array, options: ImportOptions = {}): ImportResult {
  const file = options.fileName ?? 'model';
  if (!(bytes instanceof Uint8Array)) throw new RangeArgumentError(`importModel: ${file}: expected the model as a Uint8Array`);
  const limits = resolveLimits(options.limits);
  const proto = decodeModelProto(bytes, file);
  const opsets = new Map<string, number>();
  for (const entry of proto.opset_import ?? []) opsets.set(normalizeDomain(entry.domain), int64ToNumber(entry.version));
  const opset = opsets.get('');
  if (opset === undefined || !Number.isInteger(opset) || opset < 1) {
    throw new ModelFormatError(`${file}: no valid opset_import for the default ONNX domain (${bytes.length} bytes; is this an ONNX model?)`);
  }
  if (!proto.graph) throw new ModelFormatError(`${file}: the model has no graph`);
  if ((proto.functions ?? []).length > 0) throw new ModelFormatError(`${file}: model-local functions are not supported`);
  const ctx: DecodeContext = { limits, budget: new ByteBudget(limits), externalData: options.externalData, nodeCount: 0 };
  const decoded = decodeGraph(proto.graph, ctx, 0, file);
  const upgrades: UpgradeRecord[] = [];
  const graph = upgradeGraph(decoded, opset, { what: file, names: uniqueNamesFor(decoded), records: upgrades });
  validateGraph(graph, file);
  const metadata = new Map((proto.metadata_props ?? []).map((e) => [e.key ?? '', e.value ?? '']));
  const model: Model = {
    irVersion: int64ToNumber(proto.ir_version),
    opsets,
    ...(proto.producer_name ? { producerName: proto.producer_name } : {}),
    ...(proto.producer_version ? { producerVersion: proto.producer_version } : {}),
    ...(proto.doc_string ? { docString: proto.doc_string } : {}),
    ...(metadata.size > 0 ? { metadata } : {}),
    graph,
    limits,
  };
  return { model, upgrades };
}

/**
 * Imports an ONNX model (IR version 3 and later, any opset of the default domain; older op forms
 * are upgraded to the newest, see src/onnx/upgrade/table.ts).
 * @throws ModelFormatError for malformed files, unknown data types, cycles, dangling or doubly
 *   produced values; UnsupportedOpError for old op forms without a newer equivalent; LimitError
 *   above the configured limits.
 */
export function importModel(bytes: Uint8Array, options: ImportOptions = {}): Model {
  return importModelWithReport(bytes, options).model;
}
