/**
 * Fake quantization on the tape: the quantizer ops of QAT (domain `quantkit.qat`). Each computes
 * y = dequantize(quantize(x)) with exactly the QuantizeLinear/DequantizeLinear arithmetic of
 * src/quant/quantize.ts (docs/QUANTIZATION.md eqs. (2), (3)) and float32 parameters, so the
 * exported QDQ model computes what training computed. They differ only in where the parameters
 * come from (fixed, the tensor's own range, a learned step, a learned clipping level) and in the
 * gradient they pass back (the straight-through estimator and its refinements).
 *
 * Every quantizer has outputs [y, scale]: the float32 scale it used, which the bias quantizer
 * reads (bias scale s_in·s_w, eq. (13)). Granularity is per tensor or per channel (an `axis`).
 */
import { ShapeError } from '../../errors.ts';
import { attrInt } from '../../ir/attributes.ts';
import type { Node } from '../../ir/graph.ts';
import { tensor, type Tensor } from '../../ir/tensor.ts';
import { scaleLayout, type ScaleLayout } from '../../quant/layout.ts';
import type { QuantParams } from '../../quant/params.ts';
import { fakeQuantize } from '../../quant/quantize.ts';
import { nodeLabel } from '../../runtime/kernels/float/node-io.ts';
import type { GradOp } from '../autograd/grad-op.ts';

/** The operator domain of the QAT-only ops (never exported: export goes through a QuantPlan). */
export const QAT_DOMAIN = 'quantkit.qat';

export interface QuantizerOp extends GradOp {
  /** The parameters the forward pass uses for these inputs: what the exported plan takes. */
  params(inputs: readonly (Tensor | undefined)[], node: Node): QuantParams;
}

/** The float32 input of a quantizer (fake quantization is float32 arithmetic by definition). */
export function float32Input(inputs: readonly (Tensor | undefined)[], index: number, node: Node, what: string): Tensor & { data: Float32Array } {
  const t = inputs[index];
  if (t === undefined || !(t.data instanceof Float32Array)) throw new ShapeError(`${nodeLabel(node)}: input ${index} (${what}) must be a float32 tensor`);
  return t as Tensor & { data: Float32Array };
}

/** The optional `axis` attribute (per-channel parameters), normalised against x's rank. */
export function quantAxis(node: Node, rank: number): number | undefined {
  const axis = attrInt(node, 'axis');
  return axis === undefined ? undefined : axis < 0 ? axis + rank : axis;
}

/** Outputs [y, scale] of a quantizer with parameters `params`. */
export function fakeQuantOutputs(x: Tensor & { data: Float32Array }, params: QuantParams): Tensor[] {
  const y = tensor('float32', x.shape, fakeQuantize(x.data, x.shape, params));
  const scale = tensor('float32', params.scale.length === 1 && params.axis === undefined ? [] : [params.scale.length], Float32Array.from(params.scale));
  return [y, scale];
}

/** The layout of params over x: per tensor or per channel. */
export function layoutOf(x: Tensor, params: QuantParams): ScaleLayout {
  if (params.groupSize !== undefined) throw new ShapeError('QAT quantizers are per tensor or per channel, not per group');
  return scaleLayout(x.shape, params.axis);
}

/**
 * Calls visit(j, start, end) for every run [start, end) of consecutive elements sharing scale
 * index j (per tensor: one run; per channel: runs of the elements after the axis).
 */
export function forEachScaleRun(layout: ScaleLayout, visit: (j: number, start: number, end: number) => void): void {
  const { outer, channels, inner } = layout;
  for (let o = 0, i = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++, i += inner) visit(layout.count === 1 ? 0 : c, i, i + inner);
  }
}

/**
 * The straight-through estimator: ∂L/∂x = ∂L/∂y inside the clip range
 * [s·(qmin − z), s·(qmax − z)], 0 outside (where the forward saturated).
 */
export function steGradient(x: Tensor & { data: Float32Array }, dy: Tensor, params: QuantParams): Tensor {
  const dx = tensor('float32', x.shape);
  forEachScaleRun(layoutOf(x, params), (j, start, end) => {
    const s = params.scale[j];
    const lo = s * (params.qmin - params.zeroPoint[j]);
    const hi = s * (params.qmax - params.zeroPoint[j]);
    for (let i = start; i < end; i++) if (x.data[i] >= lo && x.data[i] <= hi) dx.data[i] = dy.data[i];
  });
  return dx;
}

/** A quantizer whose gradient is the plain straight-through estimator: they differ only in their parameters. */
export function steQuantizer(op: string, params: QuantizerOp['params']): QuantizerOp {
  return {
    op,
    domain: QAT_DOMAIN,
    params,
    forward(inputs, node) {
      const x = float32Input(inputs, 0, node, 'x');
      const p = params(inputs, node);
      return { outputs: fakeQuantOutputs(x, p), backward: ([gy]) => [steGradient(x, gy!, p)] };
    },
  };
}
