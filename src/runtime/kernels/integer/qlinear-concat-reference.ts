/**
 * The plain reference of QLinearConcat (qlinear-concat.ts): every output element located by its
 * position along the axis, read from its input and requantized one by one (requantizeOne,
 * docs/QUANTIZATION.md eq. (18)), or copied when the input's parameters are Y's. Same signature as `qlinearConcatImpl`, which must
 * agree with it exactly.
 */
import { normalizeAxis } from '../float/node-io.ts';
import { tensor, type Tensor } from '../../../ir/tensor.ts';
import { requantizeOne } from '../../../quant/output-stage.ts';
import type { ConcatPart } from './qlinear-concat.ts';

/** The inputs requantized to Y and joined along `axis`, element by element. */
export function qlinearConcatReference(xs: readonly Tensor[], parts: readonly ConcatPart[], axis: number, where: string): Tensor {
  const a = normalizeAxis(axis, xs[0].shape.length, where);
  const shape = [...xs[0].shape];
  shape[a] = xs.reduce((total, x) => total + x.shape[a], 0);
  const out = tensor(xs[0].dtype, shape);
  const inner = shape.slice(a + 1).reduce((p, d) => p * d, 1);
  for (let flat = 0; flat < out.data.length; flat++) {
    const k = flat % inner;
    let position = Math.floor(flat / inner) % shape[a];
    const o = Math.floor(flat / (inner * shape[a]));
    let i = 0;
    while (position >= xs[i].shape[a]) position -= xs[i++].shape[a];
    const q = xs[i].data[(o * xs[i].shape[a] + position) * inner + k];
    const part = parts[i];
    out.data[flat] = part.stage === undefined ? q : requantizeOne(part.stage, 0, q - part.zeroPoint);
  }
  return out;
}
