/**
 * Shape rules of data-movement ops. Where an op's output is a small integer tensor computed from
 * known values (Shape → Gather → Concat → Reshape chains), the rule also returns that value so
 * later rules can read it like a constant.
 */
import { ShapeError } from '../../errors.ts';
import { attrInt, attrInts, attrTensor } from '../attributes.ts';
import type { Dim, Node } from '../graph.ts';
import { formatShape, tensor, type Tensor } from '../tensor.ts';
import { broadcastShapes, dimProduct, intValues, normalizeAxis, provablyDifferent } from './dims.ts';
import type { InferredType, RuleContext, ShapeRule } from './types.ts';

/** Largest computed value carried along (shape tensors are tiny). */
const MAX_VALUE_ELEMENTS = 64;

function int64Value(values: readonly number[], shape: readonly number[] = [values.length]): Tensor {
  return tensor('int64', shape, Float64Array.from(values));
}

/** A 1-D computed value in the same dtype as `like`. */
function valueLike(like: Tensor, values: readonly number[], shape: readonly number[] = [values.length]): Tensor | undefined {
  if (values.length > MAX_VALUE_ELEMENTS) return undefined;
  if (like.dtype === 'int64') return int64Value(values, shape);
  if (like.dtype === 'int32') return tensor('int32', shape, Int32Array.from(values));
  return undefined;
}

function product(dims: readonly Dim[]): Dim {
  return dims.length === 1 ? dims[0] : dimProduct(dims);
}

const flatten: ShapeRule = (node, ctx) => {
  const info = ctx.info(node.inputs[0]);
  if (info?.shape === undefined) return [{ dtype: info?.dtype }];
  const rank = info.shape.length;
  const axis = attrInt(node, 'axis', 1);
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a > rank) throw new ShapeError(`${ctx.what}: Flatten axis ${axis} is out of range for rank ${rank}`);
  return [{ dtype: info.dtype, shape: [product(info.shape.slice(0, a)), product(info.shape.slice(a))] }];
};

const reshape: ShapeRule = (node, ctx) => {
  const info = ctx.info(node.inputs[0]);
  const target = intValues(ctx.constant(node.inputs[1]));
  if (target === undefined) {
    const shape = rankFromShapeInput(ctx, node.inputs[1]);
    return [{ dtype: info?.dtype, ...(shape === undefined ? {} : { shape }) }];
  }
  const input = info?.shape;
  const allowZero = attrInt(node, 'allowzero', 0) !== 0;
  if (target.filter((t) => t === -1).length > 1 || target.some((t) => t < -1)) {
    throw new ShapeError(`${ctx.what}: invalid Reshape target ${formatShape(target)}`);
  }
  const out: Dim[] = target.map((t, i) => {
    if (t === 0 && !allowZero) {
      if (input !== undefined && i >= input.length) throw new ShapeError(`${ctx.what}: Reshape target ${formatShape(target)} copies dim ${i} of ${formatShape(input)}`);
      return input === undefined ? null : input[i];
    }
    return t === -1 ? null : t;
  });
  const total = input === undefined ? null : dimProduct(input);
  const inferred = target.indexOf(-1);
  if (inferred >= 0) {
    const rest = dimProduct(out.filter((_, i) => i !== inferred));
    if (total !== null && rest !== null) {
      if (rest === 0 || total % rest !== 0) throw new ShapeError(`${ctx.what}: cannot reshape ${formatShape(input!)} to ${formatShape(target)}`);
      out[inferred] = total / rest;
    }
  } else {
    const size = dimProduct(out);
    if (total !== null && size !== null && total !== size) throw new ShapeError(`${ctx.what}: cannot reshape ${formatShape(input!)} (${total} elements) to ${formatShape(target)}`);
  }
  const value = ctx.constant(node.inputs[0]);
  const numeric = out.every((d): d is number => typeof d === 'number');
  return [{ dtype: info?.dtype, shape: out, ...(value && numeric ? { value: { ...value, shape: out } } : {}) }];
};

const transpose: ShapeRule = (node, ctx) => {
  const info = ctx.info(node.inputs[0]);
  if (info?.shape === undefined) return [{ dtype: info?.dtype }];
  const rank = info.shape.length;
  const perm = attrInts(node, 'perm') ?? info.shape.map((_, i) => rank - 1 - i);
  if (perm.length !== rank || [...perm].sort((a, b) => a - b).some((p, i) => p !== i)) {
    throw new ShapeError(`${ctx.what}: perm ${formatShape(perm)} is not a permutation of rank ${rank}`);
  }
  return [{ dtype: info.dtype, shape: perm.map((p) => info.shape![p]) }];
};

const concat: ShapeRule = (node, ctx) => {
  const infos = node.inputs.filter((n) => n !== '').map((n) => ctx.info(n));
  const dtype = infos.find((i) => i?.dtype)?.dtype;
  const shapes = infos.map((i) => i?.shape);
  if (shapes.length === 0 || shapes.some((s) => s === undefined)) return [{ dtype }];
  const rank = shapes[0]!.length;
  const axis = normalizeAxis(attrInt(node, 'axis', 0), rank, ctx.what);
  const out: Dim[] = [...shapes[0]!];
  let sum: number | null = 0;
  for (const shape of shapes as (readonly Dim[])[]) {
    if (shape.length !== rank) throw new ShapeError(`${ctx.what}: Concat inputs have ranks ${rank} and ${shape.length}`);
    shape.forEach((d, i) => {
      if (i === axis) return;
      if (provablyDifferent(out[i], d)) throw new ShapeError(`${ctx.what}: Concat inputs differ in dim ${i}: ${out[i]} vs ${d}`);
      if (typeof out[i] !== 'number' && d !== null) out[i] = d;
    });
    const d = shape[axis];
    sum = sum !== null && typeof d === 'number' ? sum + d : null;
  }
  out[axis] = sum;
  const values = node.inputs.map((n) => ctx.constant(n));
  const known = rank === 1 && values.every((v) => v !== undefined);
  const value = known ? valueLike(values[0]!, values.flatMap((v) => Array.from(v!.data as ArrayLike<number>))) : undefined;
  return [{ dtype, shape: out, ...(value ? { value } : {}) }];
};

const split: ShapeRule = (node, ctx) => {
  const info = ctx.info(node.inputs[0]);
  const count = node.outputs.length;
  const unknown = node.outputs.map(() => ({ dtype: info?.dtype }));
  if (info?.shape === undefined) return unknown;
  const axis = normalizeAxis(attrInt(node, 'axis', 0), info.shape.length, ctx.what);
  const dim = info.shape[axis];
  let sizes: (number | null)[];
  const given = node.inputs[1] ? intValues(ctx.constant(node.inputs[1])) : undefined;
  if (given !== undefined) {
    if (given.length !== count) throw new ShapeError(`${ctx.what}: split has ${given.length} sizes for ${count} outputs`);
    if (typeof dim === 'number' && given.reduce((a, b) => a + b, 0) !== dim) {
      throw new ShapeError(`${ctx.what}: split sizes ${formatShape(given)} do not add up to dim ${dim}`);
    }
    sizes = given;
  } else if (node.inputs[1]) {
    sizes = new Array<null>(count).fill(null);
  } else {
    const parts = attrInt(node, 'num_outputs', count);
    // Equal parts; with num_outputs the last part may be smaller (opset 18).
    const chunk = typeof dim === 'number' ? Math.ceil(dim / parts) : null;
    sizes = node.outputs.map((_, i) => (chunk === null ? null : i < count - 1 ? chunk : (dim as number) - chunk * (count - 1)));
  }
  return sizes.map((size) => ({ dtype: info.dtype, shape: info.shape!.map((d, i) => (i === axis ? size : d)) }));
};

/** Slice bounds of one axis per the ONNX Slice spec; returns the output length. */
function sliceLength(d: number, start: number, end: number, step: number): number {
  const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
  if (step > 0) {
    const s = clamp(start < 0 ? start + d : start, 0, d);
    const e = clamp(end < 0 ? end + d : end, 0, d);
    return Math.max(0, Math.ceil((e - s) / step));
  }
  const s = clamp(start < 0 ? start + d : start, 0, d - 1);
  const e = clamp(end < 0 ? end + d : end, -1, d - 1);
  return Math.max(0, Math.ceil((s - e) / -step));
}

function sliceStart(d: number, start: number, step: number): number {
  const s = start < 0 ? start + d : start;
  return step > 0 ? Math.min(Math.max(s, 0), d) : Math.min(Math.max(s, 0), d - 1);
}

const slice: ShapeRule = (node, ctx) => {
  const info = ctx.info(node.inputs[0]);
  const shape = info?.shape;
  if (shape === undefined) return [{ dtype: info?.dtype }];
  const starts = intValues(ctx.constant(node.inputs[1]));
  const ends = intValues(ctx.constant(node.inputs[2]));
  const axesGiven = node.inputs[3] ? intValues(ctx.constant(node.inputs[3])) : undefined;
  const steps = node.inputs[4] ? intValues(ctx.constant(node.inputs[4])) : starts?.map(() => 1);
  if (starts === undefined || ends === undefined || steps === undefined || (node.inputs[3] && axesGiven === undefined)) {
    return [{ dtype: info?.dtype, shape: shape.map(() => null) }];
  }
  const axes = (axesGiven ?? starts.map((_, i) => i)).map((a) => normalizeAxis(a, shape.length, ctx.what));
  if (ends.length !== starts.length || axes.length !== starts.length || steps.length !== starts.length) {
    throw new ShapeError(`${ctx.what}: Slice starts/ends/axes/steps have different lengths`);
  }
  if (steps.some((s) => s === 0)) throw new ShapeError(`${ctx.what}: Slice step 0`);
  const out: Dim[] = [...shape];
  axes.forEach((axis, i) => {
    const d = shape[axis];
    out[axis] = typeof d === 'number' ? sliceLength(d, starts[i], ends[i], steps[i]) : null;
  });
  const data = ctx.constant(node.inputs[0]);
  let value: Tensor | undefined;
  if (data !== undefined && shape.length === 1 && typeof out[0] === 'number') {
    const all = Array.from(data.data as ArrayLike<number>);
    const start = sliceStart(all.length, starts[0], steps[0]);
    value = valueLike(data, Array.from({ length: out[0] }, (_, i) => all[start + i * steps[0]]));
  }
  return [{ dtype: info?.dtype, shape: out, ...(value ? { value } : {}) }];
};

const squeeze: ShapeRule = (node, ctx) => {
  const info = ctx.info(node.inputs[0]);
  const shape = info?.shape;
  if (shape === undefined) return [{ dtype: info?.dtype }];
  const given = node.inputs[1] ? intValues(ctx.constant(node.inputs[1])) : undefined;
  if (node.inputs[1] && given === undefined) return [{ dtype: info?.dtype }];
  let axes: number[];
  if (given === undefined) {
    if (shape.some((d) => typeof d !== 'number')) return [{ dtype: info?.dtype }];
    axes = shape.flatMap((d, i) => (d === 1 ? [i] : []));
  } else {
    axes = given.map((a) => normalizeAxis(a, shape.length, ctx.what));
  }
  for (const a of axes) if (provablyDifferent(shape[a], 1)) throw new ShapeError(`${ctx.what}: cannot squeeze dim ${a} of size ${shape[a]}`);
  const out = shape.filter((_, i) => !axes.includes(i));
  const value = ctx.constant(node.inputs[0]);
  return [{ dtype: info?.dtype, shape: out, ...(value ? { value: { ...value, shape: out as number[] } } : {}) }];
};

const unsqueeze: ShapeRule = (node, ctx) => {
  const info = ctx.info(node.inputs[0]);
  const given = intValues(ctx.constant(node.inputs[1]));
  if (info?.shape === undefined || given === undefined) return [{ dtype: info?.dtype }];
  const rank = info.shape.length + given.length;
  const axes = given.map((a) => normalizeAxis(a, rank, ctx.what));
  if (new Set(axes).size !== axes.length) throw new ShapeError(`${ctx.what}: Unsqueeze axes ${formatShape(given)} repeat`);
  const out: Dim[] = [];
  let next = 0;
  for (let i = 0; i < rank; i++) out.push(axes.includes(i) ? 1 : info.shape[next++]);
  const value = ctx.constant(node.inputs[0]);
  return [{ dtype: info.dtype, shape: out, ...(value ? { value: { ...value, shape: out as number[] } } : {}) }];
};

const gather: ShapeRule = (node, ctx) => {
  const data = ctx.info(node.inputs[0]);
  const indices = ctx.info(node.inputs[1])?.shape;
  if (data?.shape === undefined || indices === undefined) return [{ dtype: data?.dtype }];
  const axis = normalizeAxis(attrInt(node, 'axis', 0), data.shape.length, ctx.what);
  const out = [...data.shape.slice(0, axis), ...indices, ...data.shape.slice(axis + 1)];
  const values = ctx.constant(node.inputs[0]);
  const index = intValues(ctx.constant(node.inputs[1]));
  let value: Tensor | undefined;
  if (values !== undefined && index !== undefined && data.shape.length === 1) {
    const all = Array.from(values.data as ArrayLike<number>);
    const picked = index.map((i) => all[i < 0 ? i + all.length : i]);
    if (picked.every((v) => v !== undefined)) value = valueLike(values, picked, out as number[]);
  }
  return [{ dtype: data.dtype, shape: out, ...(value ? { value } : {}) }];
};

const shapeOf: ShapeRule = (node, ctx) => {
  const shape = ctx.info(node.inputs[0])?.shape;
  if (shape === undefined) return [{ dtype: 'int64', shape: [null] }];
  const rank = shape.length;
  const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + rank : v, 0), rank);
  const dims = shape.slice(clamp(attrInt(node, 'start', 0)), clamp(attrInt(node, 'end', rank)));
  const numeric = dims.every((d): d is number => typeof d === 'number');
  return [{ dtype: 'int64', shape: [dims.length], ...(numeric ? { value: int64Value(dims) } : {}) }];
};

function constantValue(node: Node): Tensor | undefined {
  const a = (name: string) => node.attributes[name];
  const t = attrTensor(node, 'value');
  if (t !== undefined) return t;
  const f = a('value_float');
  if (f?.type === 'float') return tensor('float32', [], Float32Array.of(f.value));
  const fs = a('value_floats');
  if (fs?.type === 'floats') return tensor('float32', [fs.value.length], Float32Array.from(fs.value));
  const i = a('value_int');
  if (i?.type === 'int') return int64Value([i.value], []);
  const is = a('value_ints');
  if (is?.type === 'ints') return int64Value(is.value);
  return undefined;
}

const constant: ShapeRule = (node) => {
  const value = constantValue(node);
  return [value === undefined ? undefined : { dtype: value.dtype, shape: value.shape, ...(value.data.length <= MAX_VALUE_ELEMENTS ? { value } : {}) }];
};

/** Larger ranks are left unknown: the rank comes from a declared dim, which a hostile file sets to 2^31. */
const MAX_INFERRED_RANK = 1024;

/** All-unknown dims of the rank a 1-D shape input declares by its length, when it declares a plausible one. */
function rankFromShapeInput(ctx: RuleContext, name: string): Dim[] | undefined {
  const s = ctx.info(name)?.shape;
  const rank = s?.length === 1 ? s[0] : undefined;
  return typeof rank === 'number' && Number.isInteger(rank) && rank >= 0 && rank <= MAX_INFERRED_RANK ? new Array<Dim>(rank).fill(null) : undefined;
}

const constantOfShape: ShapeRule = (node, ctx) => {
  const dtype = attrTensor(node, 'value')?.dtype ?? 'float32';
  const target = intValues(ctx.constant(node.inputs[0]));
  const shape = target ?? rankFromShapeInput(ctx, node.inputs[0]);
  if (target?.some((d) => d < 0)) throw new ShapeError(`${ctx.what}: negative dimension in ${formatShape(target)}`);
  return [{ dtype, ...(shape ? { shape } : {}) }];
};

const pad: ShapeRule = (node, ctx) => {
  const info = ctx.info(node.inputs[0]);
  const shape = info?.shape;
  if (shape === undefined) return [{ dtype: info?.dtype }];
  const pads = intValues(ctx.constant(node.inputs[1]));
  const axesGiven = node.inputs[3] ? intValues(ctx.constant(node.inputs[3])) : undefined;
  if (pads === undefined || (node.inputs[3] && axesGiven === undefined)) return [{ dtype: info?.dtype, shape: shape.map(() => null) }];
  const axes = (axesGiven ?? shape.map((_, i) => i)).map((a) => normalizeAxis(a, shape.length, ctx.what));
  if (pads.length !== 2 * axes.length) throw new ShapeError(`${ctx.what}: ${pads.length} pads for ${axes.length} axes`);
  const out: Dim[] = [...shape];
  axes.forEach((axis, i) => {
    const d = shape[axis];
    out[axis] = typeof d === 'number' ? d + pads[i] + pads[i + axes.length] : null;
    if (typeof out[axis] === 'number' && (out[axis] as number) < 0) throw new ShapeError(`${ctx.what}: padding makes dim ${axis} negative`);
  });
  return [{ dtype: info?.dtype, shape: out }];
};

const expand: ShapeRule = (node, ctx) => {
  const info = ctx.info(node.inputs[0]);
  const target = intValues(ctx.constant(node.inputs[1]));
  if (info?.shape === undefined || target === undefined) return [{ dtype: info?.dtype }];
  return [{ dtype: info.dtype, shape: broadcastShapes(info.shape, target, ctx.what) }];
};

const tile: ShapeRule = (node, ctx) => {
  const info = ctx.info(node.inputs[0]);
  const repeats = intValues(ctx.constant(node.inputs[1]));
  if (info?.shape === undefined) return [{ dtype: info?.dtype }];
  if (repeats === undefined) return [{ dtype: info.dtype, shape: info.shape.map(() => null) }];
  if (repeats.length !== info.shape.length) throw new ShapeError(`${ctx.what}: ${repeats.length} repeats for rank ${info.shape.length}`);
  return [{ dtype: info.dtype, shape: info.shape.map((d, i) => (typeof d === 'number' ? d * repeats[i] : null)) }];
};

export const shapeOpRules: Readonly<Record<string, ShapeRule>> = {
  Flatten: flatten,
  Reshape: reshape,
  Transpose: transpose,
  Concat: concat,
  Split: split,
  Slice: slice,
  Squeeze: squeeze,
  Unsqueeze: unsqueeze,
  Gather: gather,
  Shape: shapeOf,
  Size: () => [{ dtype: 'int64', shape: [] } satisfies InferredType],
  Constant: constant,
  ConstantOfShape: constantOfShape,
  Pad: pad,
  Expand: expand,
  Tile: tile,
};
