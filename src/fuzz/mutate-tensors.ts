/**
 * Mutations of TensorProtos (initializers and tensor attributes): dims, data types, payload
 * lengths, element values, and the scales / zero points of quantized ops. Each takes the sites
 * of a decoded model and returns false when the model has nothing it applies to.
 */
import { allocate, DTYPES, dtypeFromOnnx, type DType } from '../ir/dtype.ts';
import { tensorFromProto, tensorToProto } from '../onnx/tensor.ts';
import { int64Field, int64ToNumber } from '../onnx/proto/codec.ts';
import { TensorProto_DataType as DT, type TensorProto } from '../onnx/proto/onnx.generated.ts';
import type { ProtoSites } from './proto-sites.ts';
import type { FuzzRandom } from './random.ts';

/** Dimension values that break naive size arithmetic. */
export const ABSURD_DIMS = [0, -1, -(2 ** 31), 2 ** 31, 2 ** 32 + 1, 2 ** 40, 2 ** 53 + 2, 2 ** 62, 1e6];
/** Floats that break naive numerics. */
export const ABSURD_FLOATS = [0, -0, NaN, Infinity, -Infinity, -1, 1e-45, 3.4e38, -3.4e38, 1e-30];
/** Integers (for shape, index and axis tensors) that break naive indexing. */
export const ABSURD_INTS = [-1, 0, 1, -(2 ** 31), 2 ** 31 - 1, 2 ** 31, 2 ** 40, -(2 ** 62), 2 ** 62, 1e9];

const DATA_TYPE_CODES = Object.values(DT);

/**
 * Sets a dim to an absurd value, or adds / removes one. Half the time a payload that fits the new
 * dims is written too (values repeated), so the odd shape gets past the importer to the kernels.
 */
export function mutateDims(sites: ProtoSites, rng: FuzzRandom): boolean {
  const target = pickDecodable(sites.tensors, rng);
  if (target === undefined) return false;
  const { proto, value } = target;
  const dims = [...value.shape];
  const roll = rng.below(4);
  if (roll === 0 || dims.length === 0) dims.push(rng.pick(ABSURD_DIMS));
  else if (roll === 1) dims.splice(rng.below(dims.length), 1);
  else if (roll === 2) dims[rng.below(dims.length)] = rng.pick(ABSURD_DIMS);
  else dims[rng.below(dims.length)] = rng.between(0, 4);
  const count = dims.reduce((a, b) => a * b, 1);
  if (rng.chance(0.5) && dims.every((d) => d >= 0) && count <= 1 << 16) {
    replacePayload(proto, value.dtype, dims, Array.from({ length: count }, (_, i) => value.data[i % Math.max(1, value.data.length)] ?? 0));
  } else {
    proto.dims = dims.map(int64Field);
  }
  return true;
}

/**
 * An unknown data_type, one quantkit does not handle, or a known one that does not fit the
 * payload; or the payload re-encoded in another type, so the wrong type reaches the kernels.
 */
export function mutateDataType(sites: ProtoSites, rng: FuzzRandom): boolean {
  const target = pickDecodable(sites.tensors, rng);
  if (target === undefined) return false;
  const { proto, value } = target;
  if (rng.chance(0.5)) replacePayload(proto, rng.pick(Object.keys(DTYPES) as DType[]), value.shape, value.data);
  else proto.data_type = rng.chance(0.3) ? rng.pick([0, -1, 27, 99, 2 ** 30]) : rng.pick(DATA_TYPE_CODES);
  return true;
}

/** raw_data truncated, lengthened, emptied or dropped; typed fields of the wrong length; external data without a resolver. */
export function mutatePayload(sites: ProtoSites, rng: FuzzRandom): boolean {
  if (sites.tensors.length === 0) return false;
  const t = rng.pick(sites.tensors);
  const raw = t.raw_data instanceof Uint8Array ? t.raw_data : new Uint8Array(0);
  switch (rng.below(6)) {
    case 0:
      t.raw_data = Uint8Array.from(raw.subarray(0, rng.below(raw.length)));
      break;
    case 1: {
      const longer = new Uint8Array(raw.length + rng.between(1, 64));
      longer.set(raw);
      t.raw_data = longer;
      break;
    }
    case 2:
      t.raw_data = new Uint8Array(0);
      break;
    case 3:
      delete t.raw_data;
      break;
    case 4:
      delete t.raw_data;
      t.float_data = Array.from({ length: rng.below(8) }, () => rng.pick(ABSURD_FLOATS));
      t.int64_data = Array.from({ length: rng.below(8) }, () => int64Field(rng.pick(ABSURD_INTS)));
      break;
    default:
      t.data_location = 1;
      t.external_data = [{ key: 'location', value: rng.pick(['w.bin', '../w.bin', '/etc/passwd', '']) }, { key: 'length', value: rng.pick(['4', '-1', 'x', '99999999999']) }];
      break;
  }
  return true;
}

/** Overwrites a few elements of a tensor with absurd values (NaN weights, negative or huge shape entries). */
export function mutateValues(sites: ProtoSites, rng: FuzzRandom): boolean {
  const t = pickDecodable(sites.tensors, rng);
  if (t === undefined) return false;
  const { proto, value } = t;
  if (value.data.length === 0) return false;
  const data = value.data.slice();
  const pool = DTYPES[value.dtype].kind === 'float' ? ABSURD_FLOATS : ABSURD_INTS;
  for (let n = rng.between(1, 3); n > 0; n--) data[rng.below(data.length)] = rng.pick(pool);
  replacePayload(proto, value.dtype, value.shape, data);
  return true;
}

/**
 * A graph input becomes an initializer (the main graph's first input is kept when it is the only
 * one): ops then see constant — often absurd — shapes, pads, sizes and indices, and are folded at
 * preparation instead of run.
 */
export function mutateInputToConstant(sites: ProtoSites, rng: FuzzRandom): boolean {
  const graph = sites.graphs[0];
  const inputs = graph?.input ?? [];
  const candidates = inputs.filter((v, i) => v.type?.tensor_type && (i > 0 || inputs.length > 1));
  if (candidates.length === 0) return false;
  const input = rng.pick(candidates);
  const type = input.type!.tensor_type!;
  const dtype = dtypeFromOnnx(type.elem_type ?? 0) ?? 'float32';
  const shape = (type.shape?.dim ?? []).map((d) => Math.min(4, Math.max(0, int64ToNumber(d.dim_value) || 1)));
  const values = Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () =>
    DTYPES[dtype].kind === 'float' ? rng.float() * 4 - 2 : rng.chance(0.3) ? rng.pick(ABSURD_INTS) : rng.between(-1, 3),
  );
  const proto: TensorProto = { name: input.name };
  replacePayload(proto, dtype, shape, values);
  graph.initializer = [...(graph.initializer ?? []), proto];
  graph.input = inputs.filter((v) => v !== input);
  return true;
}

/** Input positions of scales and zero points in the quantized ops. */
const QUANT_INPUTS: Readonly<Record<string, { scales: number[]; zeroPoints: number[] }>> = {
  QuantizeLinear: { scales: [1], zeroPoints: [2] },
  DequantizeLinear: { scales: [1], zeroPoints: [2] },
  QLinearConv: { scales: [1, 4, 6], zeroPoints: [2, 5, 7] },
  QLinearMatMul: { scales: [1, 4, 6], zeroPoints: [2, 5, 7] },
  QLinearAdd: { scales: [1, 4, 6], zeroPoints: [2, 5, 7] },
  QLinearMul: { scales: [1, 4, 6], zeroPoints: [2, 5, 7] },
  QGemm: { scales: [1, 4, 7], zeroPoints: [2, 5, 8] },
  QLinearAveragePool: { scales: [1, 3], zeroPoints: [2, 4] },
  QLinearGlobalAveragePool: { scales: [1, 3], zeroPoints: [2, 4] },
  QLinearSigmoid: { scales: [1, 3], zeroPoints: [2, 4] },
  QLinearLeakyRelu: { scales: [1, 3], zeroPoints: [2, 4] },
};

/** Q/DQ scales of 0, NaN, negative, ±∞, denormal or wrong length; zero points of the wrong type, range or length. */
export function mutateQuantParams(sites: ProtoSites, rng: FuzzRandom): boolean {
  const initializers = new Map(sites.graphs.flatMap((g) => (g.initializer ?? []).map((t) => [t.name ?? '', t] as const)));
  const targets: { proto: TensorProto; zeroPoint: boolean }[] = [];
  for (const { node } of sites.nodes) {
    const positions = QUANT_INPUTS[node.op_type ?? ''];
    if (positions === undefined) continue;
    for (const [list, zeroPoint] of [[positions.scales, false], [positions.zeroPoints, true]] as const) {
      for (const i of list) {
        const proto = initializers.get(node.input?.[i] ?? '');
        if (proto !== undefined) targets.push({ proto, zeroPoint });
      }
    }
  }
  const target = pickDecodable(targets.map((t) => t.proto), rng);
  if (target === undefined) return false;
  const { proto, value } = target;
  const data = Array.from(value.data);
  if (rng.chance(0.25)) {
    // Per-axis parameters whose length fits no axis.
    const extra = rng.between(1, 3);
    replacePayload(proto, value.dtype, [data.length + extra], [...data, ...new Array<number>(extra).fill(data[0] ?? 1)]);
  } else if (targets.find((t) => t.proto === proto)!.zeroPoint) {
    const dtype = rng.pick<DType>(['int32', 'float32', 'int16', 'uint16', 'int4', 'uint4', 'int64', 'uint8', 'int8', 'bool']);
    const values = data.map((v) => (rng.chance(0.3) ? rng.pick([300, -300, 2 ** 31, -1]) : v));
    replacePayload(proto, dtype, value.shape, values);
  } else {
    replacePayload(proto, value.dtype, value.shape, data.map((v) => (rng.chance(0.7) ? rng.pick(ABSURD_FLOATS) : v)));
  }
  return true;
}

/** A tensor of `tensors` that decodes (so its values can be rewritten), with its value. */
function pickDecodable(tensors: readonly TensorProto[], rng: FuzzRandom): { proto: TensorProto; value: ReturnType<typeof tensorFromProto> } | undefined {
  const start = rng.below(tensors.length);
  for (let k = 0; k < tensors.length; k++) {
    const proto = tensors[(start + k) % tensors.length];
    try {
      return { proto, value: tensorFromProto(proto, { limits: { maxTensorElements: 2 ** 20 } }) };
    } catch {
      // Not decodable (string data, external): try the next one.
    }
  }
  return undefined;
}

/**
 * Rewrites a TensorProto's type, dims and payload (as raw_data) from values. Out-of-range values
 * wrap as the storage does, except sub-byte types, which are clamped (packing refuses them).
 */
function replacePayload(proto: TensorProto, dtype: DType, shape: readonly number[], values: ArrayLike<number>): void {
  const data = allocate(dtype, values.length);
  const { bits, min, max } = DTYPES[dtype];
  for (let i = 0; i < values.length; i++) data[i] = bits < 8 ? Math.min(max!, Math.max(min!, Math.trunc(values[i]) || 0)) : values[i];
  const encoded = tensorToProto({ dtype, shape: [...shape], data });
  for (const field of ['float_data', 'int32_data', 'int64_data', 'double_data', 'uint64_data', 'string_data'] as const) delete proto[field];
  proto.dims = encoded.dims;
  proto.data_type = encoded.data_type;
  proto.raw_data = encoded.raw_data;
}
