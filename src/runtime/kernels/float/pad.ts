/**
 * Pad(data, pads, constant_value?, axes?) with modes constant, reflect, edge and wrap. pads lists
 * the begin counts of every padded axis, then the end counts; negative counts remove elements.
 * Output position o of an axis reads input position i = o − begin; outside [0, dim) the mode
 * decides: constant → the value, edge → the nearest end, reflect → mirrored about the end
 * elements (period 2·(dim − 1)), wrap → periodic (period dim).
 */
import { ShapeError } from '../../../errors.ts';
import { attrString } from '../../../ir/attributes.ts';
import { formatShape, type Tensor } from '../../../ir/tensor.ts';
import type { KernelConfig } from '../../kernel.ts';
import { gatherAxisMaps } from './axis-map.ts';
import { integerListOf, nodeLabel, normalizeAxes, optionalInput, requireInput, requireOneOf, requireSameDtype, scalarOf } from './node-io.ts';

export type PadMode = 'constant' | 'reflect' | 'edge' | 'wrap';

function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}

/** The source index of output position o on one axis, or −1 for the constant. */
function sourceIndex(o: number, begin: number, dim: number, mode: PadMode): number {
  const i = o - begin;
  if (i >= 0 && i < dim) return i;
  switch (mode) {
    case 'constant':
      return -1;
    case 'edge':
      return i < 0 ? 0 : dim - 1;
    case 'wrap':
      return mod(i, dim);
    case 'reflect': {
      if (dim === 1) return 0;
      const r = mod(i, 2 * (dim - 1));
      return r < dim ? r : 2 * (dim - 1) - r;
    }
  }
}

/** x padded by `pads` ([begin per axis…, end per axis…], one pair per axis of x). */
export function padImpl(x: Tensor, pads: readonly number[], mode: PadMode = 'constant', value = 0, where = 'Pad'): Tensor {
  const rank = x.shape.length;
  if (pads.length !== 2 * rank) throw new ShapeError(`${where}: ${pads.length} pads for rank ${rank} (need ${2 * rank})`);
  const maps = x.shape.map((dim, a) => {
    const begin = pads[a];
    const length = dim + begin + pads[a + rank];
    if (length < 0) throw new ShapeError(`${where}: pads ${begin}, ${pads[a + rank]} remove more than the ${dim} elements of axis ${a}`);
    if (dim === 0 && length > 0 && mode !== 'constant') {
      throw new ShapeError(`${where}: ${mode} padding of the empty axis ${a} (shape ${formatShape(x.shape)})`);
    }
    return Int32Array.from({ length }, (_, o) => sourceIndex(o, begin, dim, mode));
  });
  return gatherAxisMaps(x, maps, value);
}

/** Full-rank pads from pads given for `axes` only (the other axes get 0). */
export function padsForAxes(pads: readonly number[], axes: readonly number[], rank: number, where = 'Pad'): number[] {
  if (pads.length !== 2 * axes.length) throw new ShapeError(`${where}: ${pads.length} pads for ${axes.length} axes`);
  const full = new Array<number>(2 * rank).fill(0);
  normalizeAxes(axes, rank, where).forEach((a, i) => {
    full[a] = pads[i];
    full[a + rank] = pads[i + axes.length];
  });
  return full;
}

export const padKernels: readonly KernelConfig[] = [
  {
    op: 'Pad',
    impl: (inputs, node) => {
      const where = nodeLabel(node);
      const x = requireInput(inputs, 0, node, 'data');
      const mode = requireOneOf(attrString(node, 'mode', 'constant'), ['constant', 'reflect', 'edge', 'wrap'], where, 'mode');
      let pads = integerListOf(requireInput(inputs, 1, node, 'pads'), where, 'pads');
      const axes = optionalInput(inputs, 3);
      if (axes) pads = padsForAxes(pads, integerListOf(axes, where, 'axes'), x.shape.length, where);
      const constant = optionalInput(inputs, 2);
      if (constant) requireSameDtype([x, constant], where);
      return [padImpl(x, pads, mode, constant ? scalarOf(constant, where, 'constant_value') : 0, where)];
    },
  },
];
