import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { float32 } from '../../../src/ir/tensor.ts';
import { perChannelValues } from '../../../src/ptq/passes/per-channel.ts';

/**
 * Broadcasts `t` (shape `tShape`) against `out` (numpy rules, plain index walk); undefined when
 * the shapes do not broadcast to exactly `out`.
 */
function broadcastTo(tShape: number[], data: number[], out: number[]): number[] | undefined {
  if (tShape.length > out.length) return undefined;
  const padded = [...Array<number>(out.length - tShape.length).fill(1), ...tShape];
  if (padded.some((d, i) => d !== 1 && d !== out[i])) return undefined;
  const size = out.reduce((a, b) => a * b, 1);
  const result: number[] = [];
  for (let flat = 0; flat < size; flat++) {
    let rest = flat;
    let index = 0;
    let stride = 1;
    for (let axis = out.length - 1; axis >= 0; axis--) {
      const coordinate = rest % out[axis];
      rest = Math.floor(rest / out[axis]);
      if (padded[axis] !== 1) index += coordinate * stride;
      stride *= padded[axis];
    }
    result.push(data[index]);
  }
  return result;
}

test('perChannelValues is defined exactly when the broadcast constant varies along axis 1 only, with those values', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 2, max: 4 }),
      fc.array(fc.integer({ min: 2, max: 3 }), { minLength: 0, maxLength: 2 }),
      fc.array(fc.constantFrom(1, 2, 3, 4, 'C' as const), { minLength: 0, maxLength: 4 }),
      (channels, spatial, dims) => {
        const out = [2, channels, ...spatial];
        const tShape = dims.map((d) => (d === 'C' ? channels : d));
        const data = Array.from({ length: tShape.reduce((a, b) => a * b, 1) }, (_, i) => i + 1);
        const values = perChannelValues(float32(tShape, data), out.length, channels);
        const broadcast = broadcastTo(tShape, data, out);
        // Per channel ⇔ it broadcasts to `out` and every element equals the value of its channel.
        const plane = out.slice(2).reduce((a, b) => a * b, 1);
        const perChannel = broadcast?.every((v, i) => v === broadcast[(Math.floor(i / plane) % channels) * plane]) ?? false;
        assert.equal(values !== undefined, perChannel, `t ${JSON.stringify(tShape)} against ${JSON.stringify(out)}`);
        if (values !== undefined) assert.deepEqual(Array.from(values), Array.from({ length: channels }, (_, c) => broadcast![c * plane]));
      },
    ),
    { seed: 7, numRuns: 300 },
  );
});
