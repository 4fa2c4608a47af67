/**
 * Add, Sub and Mul (numpy broadcasting), Relu and Clip.
 *   Add: ∂L/∂A = Σ_broadcast ∂L/∂Y (Sub: −∂L/∂Y for B);  Mul: ∂L/∂A = Σ_broadcast ∂L/∂Y·B.
 *   Relu: ∂L/∂X = ∂L/∂Y where X > 0, else 0.
 *   Clip: ∂L/∂X = ∂L/∂Y where min ≤ X ≤ max (the clamp's subgradient), else 0; the bounds are
 *   constants and get no gradient.
 */
import type { Node } from '../../../ir/graph.ts';
import type { Tensor } from '../../../ir/tensor.ts';
import type { GradOp, OpRecord } from '../grad-op.ts';
import { reduceProductToShape, reduceToShape } from './broadcast-grad.ts';
import { floatForward, zerosLike } from './kernels.ts';

function negated(t: Tensor): Tensor {
  return { ...t, data: t.data.map((v) => -v) };
}

function binary(kind: 'Add' | 'Sub' | 'Mul') {
  return (inputs: readonly (Tensor | undefined)[], node: Node): OpRecord => {
    const outputs = floatForward(inputs, node);
    const [a, b] = inputs as [Tensor, Tensor];
    return {
      outputs,
      backward([gy], wanted) {
        const dy = gy!;
        if (kind === 'Mul') return [wanted[0] ? reduceProductToShape(dy, b, a.shape) : undefined, wanted[1] ? reduceProductToShape(dy, a, b.shape) : undefined];
        const db = wanted[1] ? reduceToShape(dy, b.shape) : undefined;
        return [wanted[0] ? reduceToShape(dy, a.shape) : undefined, db !== undefined && kind === 'Sub' ? negated(db) : db];
      },
    };
  };
}

/** ∂L/∂X = ∂L/∂Y where lo ≤ X ≤ hi, else 0. */
function masked(x: Tensor, dy: Tensor, lo: number, hi: number): Tensor {
  const dx = zerosLike(x);
  const d = dx.data;
  const g = dy.data;
  const v = x.data;
  for (let i = 0; i < d.length; i++) if (v[i] >= lo && v[i] <= hi) d[i] = g[i];
  return dx;
}

function relu(inputs: readonly (Tensor | undefined)[], node: Node): OpRecord {
  const outputs = floatForward(inputs, node);
  const x = inputs[0]!;
  // X > 0 is X ≥ the smallest positive double.
  return { outputs, backward: ([gy]) => [masked(x, gy!, Number.MIN_VALUE, Infinity)] };
}

function clip(inputs: readonly (Tensor | undefined)[], node: Node): OpRecord {
  const outputs = floatForward(inputs, node);
  const [x, min, max] = inputs;
  const lo = min === undefined || min.data.length === 0 ? -Infinity : min.data[0];
  const hi = max === undefined || max.data.length === 0 ? Infinity : max.data[0];
  return { outputs, backward: ([gy]) => [masked(x!, gy!, lo, hi)] };
}

export const elementwiseGrads: readonly GradOp[] = [
  { op: 'Add', forward: binary('Add') },
  { op: 'Sub', forward: binary('Sub') },
  { op: 'Mul', forward: binary('Mul') },
  { op: 'Relu', forward: relu },
  { op: 'Clip', forward: clip },
];
