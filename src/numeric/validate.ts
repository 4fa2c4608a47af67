/**
 * Argument checks shared by numeric/. Each throws a RangeArgumentError whose message names the
 * offending value and where it came from (`where` is "function(argument)").
 */
import { RangeArgumentError } from '../errors.ts';

/** A value as it should appear in an error message (keeps −0 and shows strings quoted). */
export function show(value: unknown): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

export function requireFinite(value: number, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new RangeArgumentError(`${where}: expected a finite number, got ${show(value)}`);
  }
  return value;
}

export function requireInteger(value: number, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new RangeArgumentError(`${where}: expected an integer, got ${show(value)}`);
  }
  return value;
}

/** An integer in [min, max]. */
export function requireIntegerIn(value: number, min: number, max: number, where: string): number {
  requireInteger(value, where);
  if (value < min || value > max) {
    throw new RangeArgumentError(`${where}: ${show(value)} is outside [${min}, ${max}]`);
  }
  return value;
}

/** Throws unless `value` is one of `allowed` (used for string-union options coming from JS callers). */
export function requireOneOf<T extends string>(value: T, allowed: readonly T[], where: string): T {
  if (!allowed.includes(value)) {
    throw new RangeArgumentError(`${where}: ${show(value)} is not one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
  }
  return value;
}
