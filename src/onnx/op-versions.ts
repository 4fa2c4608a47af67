/**
 * Which opset an IR node needs when exported. The IR holds every op in its newest form (opset
 * 22); each entry gives the opset that introduced that form (`since`), plus the later opsets that
 * an attribute, an element type or a structural choice of the node requires. Type thresholds come
 * from the type constraints of the ONNX operator schemas (onnx/defs, Operators.md).
 */
import { attrInt, attrString } from '../ir/attributes.ts';
import type { DType } from '../ir/dtype.ts';
import type { Node, ValueInfo } from '../ir/graph.ts';

type TypeTable = Partial<Record<DType, number>>;

interface OpForm {
  readonly since: number;
  /** Attribute present → at least this opset. */
  readonly attributes?: Readonly<Record<string, number>>;
  /** Element type of the first input → at least this opset. */
  readonly types?: TypeTable;
  /** Further conditions on the node (omitted inputs, extra outputs, output types). */
  readonly rule?: (node: Node, info: (name: string) => ValueInfo | undefined) => number;
}

function types(...groups: [string, number][]): TypeTable {
  const table: Record<string, number> = {};
  for (const [names, version] of groups) for (const name of names.split(' ')) table[name] = version;
  return table;
}

const FP8 = 'float8e4m3fn float8e4m3fnuz float8e5m2 float8e5m2fnuz';
const SMALL_INTS = 'int8 uint8 int16 uint16';
const WIDE_INTS = 'int32 int64 uint32 uint64';
/** Types Reshape/Identity-like ops gained over time. */
const MOVEMENT = types(['bfloat16', 13], [FP8, 19], ['int4 uint4', 21], ['int2 uint2', 25]);
const MOVEMENT_21 = types(['bfloat16', 13], [FP8, 21], ['int4 uint4', 21], ['int2 uint2', 25]);
const BF16_13 = types(['bfloat16', 13]);
const ARITHMETIC = types(['bfloat16', 13], [SMALL_INTS, 14]);

const negativeAxis = (version: number) => (node: Node) => (attrInt(node, 'axis', 0) < 0 ? version : 0);
const hasOutput = (node: Node, i: number) => (node.outputs[i] ?? '') !== '';
const hasInput = (node: Node, i: number) => (node.inputs[i] ?? '') !== '';
const differ = (a: DType | undefined, b: DType | undefined) => a !== undefined && b !== undefined && a !== b;

/** Output types of QuantizeLinear (the zero point's or output_dtype) and input types of DequantizeLinear. */
const QUANTIZED = types([FP8, 19], ['int16 uint16 int4 uint4', 21], ['int2 uint2', 25]);
const HALF_SCALES = types(['float16 bfloat16', 19]);

function perAxis(node: Node, info: (name: string) => ValueInfo | undefined): boolean {
  const scale = info(node.inputs[1])?.shape;
  return 'axis' in node.attributes || (scale !== undefined && scale.length > 0 && scale.some((d) => d !== 1));
}

const REDUCE_18: OpForm = { since: 18, types: BF16_13 };

export const OP_FORMS: Readonly<Record<string, OpForm>> = {
  Conv: { since: 1, types: types(['bfloat16', 22]) },
  ConvTranspose: { since: 1, types: types(['bfloat16', 22]) },
  Gemm: { since: 7, types: types([WIDE_INTS, 9], ['bfloat16', 13]), rule: (n) => (hasInput(n, 2) ? 0 : 11) },
  MatMul: { since: 1, types: types([WIDE_INTS, 9], ['bfloat16', 13]) },
  Add: { since: 7, types: ARITHMETIC },
  Sub: { since: 7, types: ARITHMETIC },
  Mul: { since: 7, types: ARITHMETIC },
  Div: { since: 7, types: ARITHMETIC },
  Pow: { since: 7, types: types(['int32 int64', 12], ['bfloat16', 13]), rule: (n, info) => (differ(info(n.inputs[1])?.dtype, info(n.inputs[0])?.dtype) ? 12 : 0) },
  Sqrt: { since: 6, types: BF16_13 },
  Exp: { since: 6, types: BF16_13 },
  Log: { since: 6, types: BF16_13 },
  Neg: { since: 6, types: BF16_13 },
  Abs: { since: 6, types: BF16_13 },
  Tanh: { since: 6, types: BF16_13 },
  Sigmoid: { since: 6, types: BF16_13 },
  Floor: { since: 6, types: BF16_13 },
  Ceil: { since: 6, types: BF16_13 },
  Reciprocal: { since: 6, types: BF16_13 },
  Erf: { since: 9, types: BF16_13 },
  Relu: { since: 6, types: types(['bfloat16', 13], ['int8 int16 int32 int64', 14]) },
  LeakyRelu: { since: 6, types: types(['bfloat16', 16]) },
  HardSigmoid: { since: 6, types: types(['bfloat16', 22]) },
  HardSwish: { since: 14, types: types(['bfloat16', 22]) },
  Elu: { since: 6 },
  Selu: { since: 6 },
  PRelu: { since: 7 },
  Clip: { since: 11, types: types([`${SMALL_INTS} ${WIDE_INTS}`, 12], ['bfloat16', 13]) },
  Softmax: { since: 13 },
  LogSoftmax: { since: 13 },
  Hardmax: { since: 13 },
  MaxPool: {
    since: 1,
    attributes: { storage_order: 8, ceil_mode: 10, dilations: 10 },
    types: types(['int8 uint8', 12], ['bfloat16', 22]),
    rule: (n) => (hasOutput(n, 1) ? 8 : 0),
  },
  AveragePool: { since: 1, attributes: { count_include_pad: 7, ceil_mode: 10, dilations: 19 }, types: types(['bfloat16', 22]) },
  GlobalAveragePool: { since: 1, types: types(['bfloat16', 22]) },
  GlobalMaxPool: { since: 1, types: types(['bfloat16', 22]) },
  BatchNormalization: {
    since: 9,
    attributes: { training_mode: 14 },
    types: types(['bfloat16', 14]),
    rule: (n, info) => Math.max(hasOutput(n, 1) || hasOutput(n, 2) ? 14 : 0, differ(info(n.inputs[1])?.dtype, info(n.inputs[0])?.dtype) ? 15 : 0),
  },
  InstanceNormalization: { since: 6 },
  LayerNormalization: { since: 17 },
  Flatten: { since: 1, types: types([`bool ${SMALL_INTS} ${WIDE_INTS}`, 9], ['bfloat16', 13], [`${FP8} int4 uint4`, 21], ['int2 uint2', 25]), rule: negativeAxis(11) },
  Reshape: { since: 5, attributes: { allowzero: 14 }, types: MOVEMENT },
  Transpose: { since: 1, types: MOVEMENT_21 },
  Concat: { since: 4, types: BF16_13, rule: negativeAxis(11) },
  Split: { since: 13, attributes: { num_outputs: 18 }, types: BF16_13 },
  Slice: { since: 10, types: BF16_13 },
  Squeeze: { since: 13, types: MOVEMENT_21 },
  Unsqueeze: { since: 13, types: MOVEMENT_21 },
  Gather: { since: 1, types: BF16_13, rule: negativeAxis(11) },
  Shape: { since: 1, attributes: { start: 15, end: 15 }, types: MOVEMENT },
  Size: { since: 1, types: MOVEMENT },
  Cast: {
    since: 6,
    attributes: { saturate: 19, round_mode: 24 },
    types: MOVEMENT,
    rule: (n) => {
      const to = attrInt(n, 'to', 1);
      // TensorProto codes: BFLOAT16 16, FLOAT8* 17–20, UINT4/INT4 21–22, UINT2/INT2 25–26.
      return to === 16 ? 13 : to >= 17 && to <= 20 ? 19 : to === 21 || to === 22 ? 21 : to === 25 || to === 26 ? 25 : 0;
    },
  },
  CastLike: { since: 15 },
  Identity: { since: 1, types: MOVEMENT },
  ConstantOfShape: { since: 9 },
  Pad: {
    since: 11,
    types: types(['bool bfloat16', 13], [`${FP8} int4 uint4`, 21], ['int2 uint2', 25]),
    rule: (n) => Math.max(hasInput(n, 3) ? 18 : 0, attrString(n, 'mode', 'constant') === 'wrap' ? 19 : 0),
  },
  ReduceSum: { since: 13, types: BF16_13 },
  ReduceMean: REDUCE_18,
  ReduceProd: REDUCE_18,
  ReduceL1: REDUCE_18,
  ReduceL2: REDUCE_18,
  ReduceLogSum: REDUCE_18,
  ReduceLogSumExp: REDUCE_18,
  ReduceSumSquare: REDUCE_18,
  ReduceMax: { since: 18, types: types(['int8 uint8', 12], ['bfloat16', 13], ['bool', 20]) },
  ReduceMin: { since: 18, types: types(['int8 uint8', 12], ['bfloat16', 13], ['bool', 20]) },
  ArgMax: { since: 1, attributes: { select_last_index: 12 }, rule: negativeAxis(11) },
  ArgMin: { since: 1, attributes: { select_last_index: 12 }, rule: negativeAxis(11) },
  Resize: {
    since: 13,
    attributes: { antialias: 18, axes: 18, keep_aspect_ratio_policy: 18 },
    types: BF16_13,
    rule: (n) => (attrString(n, 'coordinate_transformation_mode', '') === 'half_pixel_symmetric' ? 19 : 0),
  },
  Where: { since: 9 },
  Equal: { since: 7, types: types([`float16 float32 float64 ${SMALL_INTS} uint32 uint64`, 11], ['bfloat16', 13]) },
  Less: { since: 7, types: types([`${SMALL_INTS} ${WIDE_INTS}`, 9], ['bfloat16', 13]) },
  Greater: { since: 7, types: types([`${SMALL_INTS} ${WIDE_INTS}`, 9], ['bfloat16', 13]) },
  Min: { since: 8, types: types([`${SMALL_INTS} ${WIDE_INTS}`, 12], ['bfloat16', 13]) },
  Max: { since: 8, types: types([`${SMALL_INTS} ${WIDE_INTS}`, 12], ['bfloat16', 13]) },
  Sum: { since: 8, types: BF16_13 },
  Mean: { since: 8, types: BF16_13 },
  Expand: { since: 8, types: BF16_13 },
  Tile: { since: 6, types: BF16_13 },
  Dropout: {
    since: 7,
    attributes: { seed: 12 },
    types: types(['bfloat16', 13], [FP8, 22]),
    rule: (n) => Math.max(hasOutput(n, 1) ? 10 : 0, n.inputs.length > 1 ? 12 : 0),
  },
  QuantizeLinear: {
    since: 10,
    attributes: { saturate: 19, block_size: 21, output_dtype: 21, precision: 23 },
    types: HALF_SCALES,
    rule: (n, info) => {
      const zeroPoint = hasInput(n, 2) ? info(n.inputs[2])?.dtype : undefined;
      return Math.max(perAxis(n, info) ? 13 : 0, zeroPoint === undefined ? 0 : (QUANTIZED[zeroPoint] ?? 0));
    },
  },
  DequantizeLinear: {
    since: 10,
    attributes: { block_size: 21, output_dtype: 23 },
    types: QUANTIZED,
    rule: (n, info) => {
      const scale = info(n.inputs[1])?.dtype;
      return Math.max(perAxis(n, info) ? 13 : 0, scale === undefined ? 0 : (HALF_SCALES[scale] ?? 0));
    },
  },
  DynamicQuantizeLinear: { since: 11 },
  MatMulInteger: { since: 10 },
  ConvInteger: { since: 10 },
  QLinearConv: { since: 10 },
  QLinearMatMul: { since: 10, types: types([FP8, 21]) },
  TopK: { since: 10, attributes: { largest: 11, sorted: 11 }, rule: negativeAxis(11) },
  Round: { since: 11 },
  Range: { since: 11 },
  If: { since: 1 },
  LSTM: { since: 7, attributes: { layout: 14 } },
  GRU: { since: 7, attributes: { layout: 14 } },
  RNN: { since: 7, attributes: { layout: 14 } },
};

/**
 * The lowest opset at which `node` (default domain, IR form) is valid, or 1 for ops without an
 * entry (their version is left to the model's opset). `info` gives known value types.
 */
export function requiredOpset(node: Node, info: (name: string) => ValueInfo | undefined): number {
  if (node.domain !== '') return 1;
  const form = OP_FORMS[node.opType];
  if (form === undefined) return 1;
  let version = form.since;
  for (const [name, since] of Object.entries(form.attributes ?? {})) if (name in node.attributes) version = Math.max(version, since);
  const dtype = info(node.inputs[0] ?? '')?.dtype;
  if (dtype !== undefined && form.types?.[dtype] !== undefined) version = Math.max(version, form.types[dtype]!);
  if (form.rule !== undefined) version = Math.max(version, form.rule(node, info));
  return version;
}

/** The IR version an opset first shipped with (onnx VERSION_TABLE). */
export function irVersionForOpset(opset: number): number {
  if (opset <= 8) return 3;
  const table: [number, number][] = [[9, 4], [10, 5], [11, 6], [14, 7], [18, 8], [20, 9], [22, 10], [23, 11], [24, 12]];
  for (const [maxOpset, ir] of table) if (opset <= maxOpset) return ir;
  return 13;
}
