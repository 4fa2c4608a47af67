/**
 * Learning-rate schedules, in one registry keyed by name: the factor by which step t of T
 * (counted from 0) multiplies the base rate. Each may start with a linear warmup.
 *   constant: 1
 *   cosine:   ½·(1 + cos(π·t'/T')) over the steps after the warmup (t', T'), down to 0
 *   step:     γ^⌊t / stepSize⌋ (e.g. ×0.1 every stepSize steps)
 */
import { RangeArgumentError } from '../../errors.ts';

export type Schedule = (step: number, totalSteps: number) => number;

export interface ScheduleOptions {
  /** Steps of linear warmup from lr/warmup to lr (default 0). */
  readonly warmupSteps?: number;
  /** step: steps between decays. */
  readonly stepSize?: number;
  /** step: the decay factor γ (default 0.1). */
  readonly gamma?: number;
}

function withWarmup(warmup: number, after: Schedule): Schedule {
  return (t, total) => (t < warmup ? (t + 1) / warmup : after(t - warmup, Math.max(1, total - warmup)));
}

export const SCHEDULES: ReadonlyMap<string, (options: ScheduleOptions) => Schedule> = new Map<string, (options: ScheduleOptions) => Schedule>([
  ['constant', (o) => withWarmup(o.warmupSteps ?? 0, () => 1)],
  ['cosine', (o) => withWarmup(o.warmupSteps ?? 0, (t, total) => 0.5 * (1 + Math.cos((Math.PI * Math.min(t, total)) / total)))],
  [
    'step',
    (o) => {
      const size = o.stepSize;
      if (size === undefined || !Number.isInteger(size) || size < 1) throw new RangeArgumentError(`step schedule: stepSize must be a positive integer, got ${size}`);
      const gamma = o.gamma ?? 0.1;
      return withWarmup(o.warmupSteps ?? 0, (t) => gamma ** Math.floor(t / size));
    },
  ],
]);

export function createSchedule(name: string, options: ScheduleOptions = {}): Schedule {
  const make = SCHEDULES.get(name);
  if (make === undefined) throw new RangeArgumentError(`schedule ${JSON.stringify(name)} is not one of ${[...SCHEDULES.keys()].join(', ')}`);
  return make(options);
}
