/**
 * The opset-version differences quantkit converts, as a table: op type → upgrade steps, each
 * applying to models whose default-domain opset is below the step's `since`. Steps of one op
 * run in ascending `since` order. The IR then holds one form per op, the newest (opset 22).
 *
 * Forms that changed only by added attributes or inputs whose defaults keep the old behaviour
 * need no step: Conv/ConvTranspose (dilations/strides default 1), AveragePool (count_include_pad
 * since 7, ceil_mode since 10, dilations since 19, all defaulting to the old behaviour), MaxPool
 * (storage_order since 8, ceil_mode/dilations since 10), Gemm-11 (C optional), Resize-18/19
 * (antialias, axes, keep_aspect_ratio_policy), Reshape-14 (allowzero = 0), Shape-15 (start/end),
 * Pad-18 (axes), Cast-19 (saturate).
 */
import { axesSteps } from './axes.ts';
import { batchNormSteps } from './batchnorm.ts';
import { broadcastSteps } from './broadcast.ts';
import { castSteps } from './cast.ts';
import { clipSteps } from './clip.ts';
import { concatSteps } from './concat.ts';
import { dropoutSteps } from './dropout.ts';
import { gemmSteps } from './gemm.ts';
import { legacySteps } from './legacy.ts';
import { padSteps } from './pad.ts';
import { reshapeSteps } from './reshape.ts';
import { resizeSteps } from './resize.ts';
import { sliceSteps } from './slice.ts';
import { softmaxSteps } from './softmax.ts';
import { splitSteps } from './split.ts';
import type { UpgradeStep } from './types.ts';

function merge(...tables: Readonly<Record<string, readonly UpgradeStep[]>>[]): Record<string, readonly UpgradeStep[]> {
  const merged: Record<string, UpgradeStep[]> = {};
  for (const table of tables) for (const [op, steps] of Object.entries(table)) (merged[op] ??= []).push(...steps);
  for (const steps of Object.values(merged)) steps.sort((a, b) => a.since - b.since);
  return merged;
}

export const UPGRADES: Readonly<Record<string, readonly UpgradeStep[]>> = merge(
  { Clip: clipSteps, Slice: sliceSteps, Pad: padSteps, Split: splitSteps, Concat: concatSteps, Reshape: reshapeSteps },
  { Cast: castSteps, Gemm: gemmSteps, Dropout: dropoutSteps, BatchNormalization: batchNormSteps },
  axesSteps,
  softmaxSteps,
  broadcastSteps,
  resizeSteps,
  legacySteps,
);
