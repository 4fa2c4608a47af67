/**
 * `max` — no saturation (TensorRT's first slide): the range is the observed [min, max]
 * (±max|x| for symmetric schemes). Every value is representable; outliers stretch the scale.
 */
import { schemeRange, type TensorRangeMethod } from './method.ts';

export const maxMethod: TensorRangeMethod = {
  name: 'max',
  level: 'tensor',
  summary: 'no saturation: the observed [min, max] (±max|x| when symmetric)',
  needsHistogram: false,
  choose(stats, request) {
    return schemeRange(stats.min, stats.max, request.scheme);
  },
};
