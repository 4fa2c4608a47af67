/**
 * The ops the tape can differentiate: a plain map from (domain, op type) to a GradOp, filled from
 * an explicit list (ops/index.ts) plus the quantizer ops of qat/quantizers. Registering an op
 * twice throws.
 */
import { UnsupportedOpError } from '../../errors.ts';
import type { Node } from '../../ir/graph.ts';
import type { GradOp } from './grad-op.ts';

export class GradRegistry {
  private readonly ops = new Map<string, GradOp>();

  constructor(ops: readonly GradOp[] = []) {
    for (const op of ops) this.register(op);
  }

  register(op: GradOp): void {
    const key = keyOf(op.op, op.domain ?? '');
    if (this.ops.has(key)) throw new Error(`gradient op ${key} is registered twice`);
    this.ops.set(key, op);
  }

  /** The op of `node`; UnsupportedOpError naming the node when the tape cannot differentiate it. */
  require(node: Node): GradOp {
    const op = this.ops.get(keyOf(node.opType, node.domain));
    if (op === undefined) {
      throw new UnsupportedOpError(`node ${JSON.stringify(node.name)} (${keyOf(node.opType, node.domain)}): no gradient; the tape differentiates ${this.names().join(', ')}`);
    }
    return op;
  }

  names(): string[] {
    return [...this.ops.keys()].sort();
  }
}

function keyOf(op: string, domain: string): string {
  return domain === '' || domain === 'ai.onnx' ? op : `${domain}::${op}`;
}
