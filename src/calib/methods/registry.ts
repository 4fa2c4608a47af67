/** The range methods, by name: adding one is adding a module and a line here. */
import { RangeArgumentError } from '../../errors.ts';
import { dfpMethod } from './dfp.ts';
import { entropyMethod } from './entropy.ts';
import { maxMethod } from './max.ts';
import type { RangeMethod } from './method.ts';
import { mseMethod } from './mse.ts';
import { percentileMethod } from './percentile.ts';
import { sfpMethod } from './sfp.ts';

export const RANGE_METHODS: ReadonlyMap<string, RangeMethod> = new Map(
  [maxMethod, percentileMethod, mseMethod, entropyMethod, dfpMethod, sfpMethod].map((m) => [m.name, m]),
);

export function rangeMethod(name: string): RangeMethod {
  const method = RANGE_METHODS.get(name);
  if (method === undefined) throw new RangeArgumentError(`unknown range method ${JSON.stringify(name)}; choose one of ${[...RANGE_METHODS.keys()].join(', ')}`);
  return method;
}
