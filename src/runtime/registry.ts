/**
 * One registry per kernel set (float, simulated, integer): a plain map from (domain, op type) to
 * a kernel. Registering the same op twice is a programming error and throws.
 */
import type { KernelConfig } from './kernel.ts';

export class KernelRegistry {
  readonly name: string;
  private readonly kernels = new Map<string, KernelConfig>();

  constructor(name: string, configs: readonly KernelConfig[] = []) {
    this.name = name;
    for (const config of configs) this.register(config);
  }

  register(config: KernelConfig): void {
    const key = keyOf(config.op, config.domain ?? '');
    if (this.kernels.has(key)) throw new Error(`kernel ${key} is registered twice in the ${this.name} registry`);
    this.kernels.set(key, config);
  }

  get(op: string, domain = ''): KernelConfig | undefined {
    return this.kernels.get(keyOf(op, domain === 'ai.onnx' ? '' : domain));
  }

  has(op: string, domain = ''): boolean {
    return this.get(op, domain) !== undefined;
  }

  /** Registered op types as `op` (default domain) or `domain::op`, sorted. */
  ops(): string[] {
    return [...this.kernels.keys()].sort();
  }

  /** A new registry with this one's kernels plus `configs` (which may not repeat an op). */
  extend(name: string, configs: readonly KernelConfig[]): KernelRegistry {
    return new KernelRegistry(name, [...this.kernels.values(), ...configs]);
  }
}

function keyOf(op: string, domain: string): string {
  return domain === '' ? op : `${domain}::${op}`;
}
