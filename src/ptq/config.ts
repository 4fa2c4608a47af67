/**
 * PTQ configuration: bit widths, schemes, granularity, the activation range method and which
 * nodes stay in float. Every field has a default; `resolveConfig` validates a partial config and
 * names the offending field.
 */
import { RangeArgumentError } from '../errors.ts';
import type { Granularity } from '../quant/granularity.ts';
import type { QuantScheme } from '../quant/params.ts';
import { rangeMethod } from '../calib/methods/registry.ts';

/** What a per-node override may change. */
export interface NodeOverride {
  readonly weightBits?: number;
  readonly activationBits?: number;
  readonly granularity?: Granularity;
}

export interface PtqConfig {
  /** Weight bits, 2–16 (default 8). */
  readonly weightBits: number;
  /** Activation bits, 2–16 (default 8). */
  readonly activationBits: number;
  /** Weight scheme (default symmetric, restricted range: the lecture's unbiased choice). */
  readonly weightScheme: QuantScheme;
  /** Activation scheme (default asymmetric). */
  readonly activationScheme: QuantScheme;
  /** Activation storage signedness (default unsigned: uint8 activations, int8 weights, as onnxruntime's u8s8). */
  readonly activationSigned: boolean;
  /** Weight granularity (default channel). Activations are always per tensor. */
  readonly granularity: Granularity;
  /** Elements per group along the weight's input-channel axis, for granularity 'group' (default 32). */
  readonly groupSize: number;
  /** Activation range method, a name of calib/methods/registry.ts (default entropy). */
  readonly method: string;
  /** For the percentile method (default 99.99). */
  readonly percentile: number;
  /** Calibration samples used at most (default 1,000). */
  readonly calibrationLimit: number;
  /** Samples the fixed-point methods run per candidate (default 64). */
  readonly fixedPointSamples: number;
  /** Node names or op types left in float. */
  readonly exclude: readonly string[];
  /** Per-node (by name) or per-op-type changes. */
  readonly overrides: Readonly<Record<string, NodeOverride>>;
  /** Drop calibration samples with NaN/±∞ activations (counted) instead of failing. */
  readonly skipNonFinite: boolean;
  /**
   * Quantize weights with one bit less than weightBits (7-bit values in int8, as onnxruntime's
   * reduce_range): halves the int32 accumulator's worst case when the plan warns of overflow.
   */
  readonly reduceRange: boolean;
}

export const DEFAULT_CONFIG: PtqConfig = {
  weightBits: 8,
  activationBits: 8,
  weightScheme: 'symmetric',
  activationScheme: 'asymmetric',
  activationSigned: false,
  granularity: 'channel',
  groupSize: 32,
  method: 'entropy',
  percentile: 99.99,
  calibrationLimit: 1000,
  fixedPointSamples: 64,
  exclude: [],
  overrides: {},
  skipNonFinite: false,
  reduceRange: false,
};

const SCHEMES: readonly QuantScheme[] = ['symmetric', 'symmetric-full', 'asymmetric', 'unsigned'];
const GRANULARITIES: readonly Granularity[] = ['tensor', 'channel', 'group'];

/** The defaults overridden by `partial`, validated. */
export function resolveConfig(partial: Partial<PtqConfig> = {}): PtqConfig {
  const config: PtqConfig = { ...DEFAULT_CONFIG, ...stripUndefined(partial) };
  checkBits(config.weightBits, 'weightBits');
  checkBits(config.activationBits, 'activationBits');
  if (!SCHEMES.includes(config.weightScheme)) throw new RangeArgumentError(`weightScheme must be one of ${SCHEMES.join(', ')}, got ${JSON.stringify(config.weightScheme)}`);
  if (!SCHEMES.includes(config.activationScheme)) throw new RangeArgumentError(`activationScheme must be one of ${SCHEMES.join(', ')}, got ${JSON.stringify(config.activationScheme)}`);
  if (!GRANULARITIES.includes(config.granularity)) throw new RangeArgumentError(`granularity must be one of ${GRANULARITIES.join(', ')}, got ${JSON.stringify(config.granularity)}`);
  if (!Number.isInteger(config.groupSize) || config.groupSize < 1) throw new RangeArgumentError(`groupSize must be a positive integer, got ${config.groupSize}`);
  rangeMethod(config.method);
  if (!(config.percentile > 0 && config.percentile <= 100)) throw new RangeArgumentError(`percentile must be in (0, 100], got ${config.percentile}`);
  if (!Number.isInteger(config.calibrationLimit) || config.calibrationLimit < 1) throw new RangeArgumentError(`calibrationLimit must be a positive integer, got ${config.calibrationLimit}`);
  if (!Number.isInteger(config.fixedPointSamples) || config.fixedPointSamples < 1) throw new RangeArgumentError(`fixedPointSamples must be a positive integer, got ${config.fixedPointSamples}`);
  if (config.reduceRange && config.weightBits < 3) throw new RangeArgumentError(`reduceRange needs weightBits ≥ 3, got ${config.weightBits}`);
  if (config.weightScheme === 'unsigned') throw new RangeArgumentError("weightScheme 'unsigned' would drop negative weights; use symmetric, symmetric-full or asymmetric");
  if (config.activationScheme === 'unsigned' && config.activationSigned) throw new RangeArgumentError("activationScheme 'unsigned' needs activationSigned: false");
  if ((config.activationScheme === 'symmetric' || config.activationScheme === 'symmetric-full') && !config.activationSigned) {
    throw new RangeArgumentError(`activationScheme '${config.activationScheme}' (zero point 0) needs signed activations (activationSigned: true)`);
  }
  for (const [key, override] of Object.entries(config.overrides)) {
    if (override.weightBits !== undefined) checkBits(override.weightBits, `overrides.${key}.weightBits`);
    if (override.activationBits !== undefined) checkBits(override.activationBits, `overrides.${key}.activationBits`);
    if (override.granularity !== undefined && !GRANULARITIES.includes(override.granularity)) {
      throw new RangeArgumentError(`overrides.${key}.granularity must be one of ${GRANULARITIES.join(', ')}`);
    }
  }
  return config;
}

/** The override that applies to a node: by name first, then by op type. */
export function overrideFor(config: PtqConfig, nodeName: string, opType: string): NodeOverride {
  return { ...config.overrides[opType], ...config.overrides[nodeName] };
}

export function isExcluded(config: PtqConfig, nodeName: string, opType: string): boolean {
  return config.exclude.includes(nodeName) || config.exclude.includes(opType);
}

function checkBits(bits: number, field: string): void {
  if (!Number.isInteger(bits) || bits < 2 || bits > 16) throw new RangeArgumentError(`${field} must be an integer from 2 to 16, got ${bits}`);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
