/**
 * Conv (any groups, so depthwise too). With X̂ the im2col matrix of one image and group
 * (rows: input channel × kernel tap, columns: output positions), the forward is Y_g = W_g · X̂_g,
 * so the backward is two GEMMs per image and group:
 *   ∂L/∂W_g += ∂L/∂Y_g · X̂_gᵀ,      ∂L/∂X̂_g = W_gᵀ · ∂L/∂Y_g  → col2im (the adjoint of im2col),
 * and ∂L/∂B[m] = Σ over images and positions of ∂L/∂Y[n, m, ·].
 */
import type { Node } from '../../../ir/graph.ts';
import type { Tensor } from '../../../ir/tensor.ts';
import { gemm } from '../../../runtime/kernels/float/blas.ts';
import { convDims, type ConvDims } from '../../../runtime/kernels/float/conv.ts';
import type { FloatArray } from '../../../runtime/kernels/float/float-io.ts';
import { col2im, im2col, im2colRows } from '../../../runtime/kernels/float/im2col.ts';
import { convWindow, type Window } from '../../../runtime/kernels/float/window.ts';
import type { GradOp, OpRecord } from '../grad-op.ts';
import { floatForward, zerosLike } from './kernels.ts';

/** The window col2im needs to scatter columns of `window`'s output positions back onto its input. */
function adjointWindow(window: Window): Window {
  return { ...window, input: window.output, output: window.input };
}

const product = (dims: readonly number[]): number => dims[0] * dims[1] * dims[2];

/** Pointwise (1×1, stride 1, no padding): X̂ is the image itself. */
function isPointwise(window: Window): boolean {
  return product(window.kernel) === 1 && window.strides.every((s) => s === 1) && window.padBegin.every((p) => p === 0) && product(window.input) === product(window.output);
}

/** ∂L/∂X and ∂L/∂W (those asked for) of a convolution, from ∂L/∂Y. */
export function convBackward(x: FloatArray, w: FloatArray, dy: FloatArray, dims: ConvDims, window: Window, dx: FloatArray | undefined, dw: FloatArray | undefined): void {
  const { batch, channels, featureMaps, group } = dims;
  const groupChannels = channels / group;
  const groupMaps = featureMaps / group;
  const inSize = product(window.input);
  const outSize = product(window.output);
  const rows = im2colRows(groupChannels, window);
  const pointwise = isPointwise(window);
  const col = pointwise ? undefined : new (x.constructor as Float32ArrayConstructor)(rows * outSize);
  const adjoint = adjointWindow(window);
  for (let n = 0; n < batch; n++) {
    for (let g = 0; g < group; g++) {
      const xOffset = (n * channels + g * groupChannels) * inSize;
      const gy = dy.subarray((n * featureMaps + g * groupMaps) * outSize);
      const wg = w.subarray(g * groupMaps * rows);
      if (dw !== undefined) {
        let columns: FloatArray;
        if (col === undefined) columns = x.subarray(xOffset, xOffset + rows * outSize);
        else {
          im2col(x, xOffset, groupChannels, window, col);
          columns = col;
        }
        gemm(false, true, groupMaps, rows, outSize, 1, gy, outSize, columns, outSize, 1, dw.subarray(g * groupMaps * rows), rows);
      }
      if (dx !== undefined) {
        if (col === undefined) gemm(true, false, rows, outSize, groupMaps, 1, wg, rows, gy, outSize, 0, dx.subarray(xOffset), outSize);
        else {
          gemm(true, false, rows, outSize, groupMaps, 1, wg, rows, gy, outSize, 0, col, outSize);
          col2im(col, groupChannels, adjoint, dx, xOffset);
        }
      }
    }
  }
}

/** ∂L/∂B[m] = Σ_n Σ_positions ∂L/∂Y[n, m, ·]. */
export function biasGradient(dy: FloatArray, batch: number, featureMaps: number, plane: number, db: FloatArray): void {
  for (let n = 0; n < batch; n++) {
    for (let m = 0; m < featureMaps; m++) {
      let sum = 0;
      const start = (n * featureMaps + m) * plane;
      for (let i = start; i < start + plane; i++) sum += dy[i];
      db[m] += sum;
    }
  }
}

function forward(inputs: readonly (Tensor | undefined)[], node: Node): OpRecord {
  const outputs = floatForward(inputs, node);
  const [x, w, bias] = inputs as [Tensor, Tensor, Tensor | undefined];
  return {
    outputs,
    backward([gy], wanted) {
      const dims = convDims(node, x, w, bias);
      const window = convWindow(node, x.shape.slice(2), w.shape.slice(2));
      const dy = gy!.data as FloatArray;
      const dx = wanted[0] ? zerosLike(x) : undefined;
      const dw = wanted[1] ? zerosLike(w) : undefined;
      convBackward(x.data as FloatArray, w.data as FloatArray, dy, dims, window, dx?.data as FloatArray | undefined, dw?.data as FloatArray | undefined);
      let db: Tensor | undefined;
      if (wanted[2] && bias !== undefined) {
        db = zerosLike(bias);
        biasGradient(dy, dims.batch, dims.featureMaps, product(window.output), db.data as FloatArray);
      }
      return [dx, dw, db];
    },
  };
}

export const convGrad: GradOp = { op: 'Conv', forward };
