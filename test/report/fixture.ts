// A small hand-written job summary for the rendering tests: two activation groups (one named to
// break careless HTML), one weighted layer, a float fallback, and numbers easy to check.
import { DEFAULT_CONFIG } from '../../src/ptq/config.ts';
import type { JobSummaryJSON } from '../../src/ptq/job.ts';

/** A tensor name with everything that must be escaped in HTML and in script blocks. */
export const HOSTILE = 'act</script><!--"&\'<b>';

const params = { bits: 8, signed: false, qmin: 0, qmax: 255, scale: [0.5], zeroPoint: [0] };

export function fixtureSummary(): JobSummaryJSON {
  return {
    eval: { samples: 200, float: 0.99, simulated: 0.985, integer: 0.98 },
    layers: [
      { tensor: 'input', range: [0, 1.25], sqnr_db: null, clipped_fraction: 0, bits: 8, scale: 0.5, zero_point: 0 },
      { tensor: HOSTILE, range: [-3, 5], sqnr_db: 31.5, clipped_fraction: 0.001, bits: 8, scale: 8 / 255, zero_point: 96 },
    ],
    sizes: { float: 40000, quantized: 12000, weights: { float: 32000, quantized: 8000 } },
    calibration: { samples: 64, skipped: 0 },
    accumulator_risks: [{ node: 'fc', k: 70000, bound: 4.5e9 }],
    format: 'qdq',
    integer: { float_nodes: ['softmax'], fallbacks: [{ node: 'softmax', opType: 'Softmax', reason: 'no integer form for Softmax' }], accumulators: [], notes: ['bias of fc requantized'] },
    config: { ...DEFAULT_CONFIG, calibrationLimit: 64, method: 'entropy' },
    preparation: ['fold-batchnorm: folded bn into conv'],
    float_nodes: ['softmax'],
    seconds: { quantize: 1, evaluate: 2 },
    distributions: [
      {
        tensor: 'input',
        members: ['input'],
        bits: 8,
        histogram: { start: 0, binWidth: 0.5, counts: [10, 0, 5, 1], count: 16, min: 0, max: 1.9 },
        picks: [
          { method: 'max', min: 0, max: 1.9 },
          { method: 'entropy', min: 0, max: 1.25 },
        ],
        curves: [{ method: 'entropy', label: 'KL divergence', x: [0.75, 1.25, 1.75], y: [null, 0.02, 0.5] }],
      },
      {
        tensor: HOSTILE,
        members: [HOSTILE, 'pool'],
        bits: 8,
        histogram: { start: -4, binWidth: 1, counts: [1, 2, 4, 8, 4, 2, 1, 1, 1], count: 24, min: -3.5, max: 4.5 },
        picks: [
          { method: 'max', min: -3.5, max: 4.5 },
          { method: 'mse', min: -3, max: 4 },
        ],
        curves: [{ method: 'mse', label: 'expected squared error', x: [2, 3, 4, 4.5], y: [9, 4, 1, 2] }],
      },
    ],
    weight_ranges: [
      {
        node: 'fc',
        opType: 'Gemm',
        weight: 'W',
        input: HOSTILE,
        output: 'logits',
        shape: [3, 2],
        axis: 1,
        mins: [-1, -0.25],
        maxs: [0.5, 2],
        bits: 4,
        granularity: 'channel',
        scales: [1 / 7, 2 / 7],
      },
    ],
    integer_agreement: [
      { tensor: 'input', value: 'input_quantized', samples: 10, elements: 1000, counts: [1000, 0, 0], maxLsb: 0 },
      { tensor: HOSTILE, value: 'h_quantized', samples: 10, elements: 500, counts: [480, 19, 1], maxLsb: 3 },
    ],
    plan: {
      config: { ...DEFAULT_CONFIG, calibrationLimit: 64 },
      activations: {
        input: { ...params, range: [0, 1.25], group: 'input', clippedFraction: 0 },
        [HOSTILE]: { ...params, range: [-3, 5], group: HOSTILE, clippedFraction: 0.001 },
        pool: { ...params, range: [-3, 5], group: HOSTILE, clippedFraction: 0.001 },
      },
      weights: { W: { ...params, bits: 4, signed: true, node: 'fc', granularity: 'channel' } },
      biases: { b: { ...params, bits: 32, signed: true, node: 'fc' } },
      fused: {},
      floatNodes: [],
    },
  };
}
