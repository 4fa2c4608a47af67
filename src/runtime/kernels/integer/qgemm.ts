/**
 * QGemm (com.microsoft, onnxruntime contrib op) in integer arithmetic:
 * acc = C + Σ_p (A'[i, p] − z_a)(B'[p, j] − z_b[j]) with A' = transA ? Aᵀ : A (M × K) and
 * B' = transB ? Bᵀ : B (K × N), docs/QUANTIZATION.md eqs. (10)–(13). C is int32, broadcast to
 * M × N ([], [N], [1, N], [M, 1], [M, N]), quantized with scale alpha·s_a·s_b and zero point 0.
 *
 * - With y_scale: y = saturate(z_y + M[j]·acc), M[j] = alpha·s_a·s_b[j]/s_y a fixed-point multiplier
 *   per column computed once per node (eqs. (14), (18)); y has y_zero_point's type, else A's.
 * - Without y_scale (onnxruntime: "the output is full precision"): y = fl32(acc)·fl32(alpha·s_a·s_b[j])
 *   in float32, the dequantizing boundary of a quantized graph.
 *
 * Inputs as onnxruntime's schema: A, a_scale, a_zero_point, B, b_scale, b_zero_point (required,
 * 6), C, y_scale, y_zero_point (optional, up to 9); a_* per tensor, b_* per tensor or per column
 * (1-D of N). alpha must be positive (its sign would flip the multiplier). qgemm-reference.ts is
 * the plain loop. Where WebAssembly SIMD runs, the product (and, for 8-bit outputs with a bias per
 * column or row, the output stage) runs in the wasm int8 GEMM with identical results.
 */
import { ShapeError, UnsupportedOpError } from '../../../errors.ts';
import { attrFloat, attrInt } from '../../../ir/attributes.ts';
import type { Node } from '../../../ir/graph.ts';
import { formatShape, tensor, type Tensor } from '../../../ir/tensor.ts';
import { requantizeMultipliers } from '../../../quant/requantize.ts';
import type { KernelConfig } from '../../kernel.ts';
import { nodeLabel, requireDtype } from '../float/node-io.ts';
import { namingNode } from '../quant/quant-io.ts';
import { checkAccumulatorBound, maxCentered, maxCenteredOfType } from './accumulator-bound.ts';
import { denseView, igemmPackedB, packB, type MatrixView, type PackedOperand } from './igemm.ts';
import { checkInputCount, dtypeRange, integerInput, outputZeroPoint, requireChannels, scaleValues, tensorScale, zeroPointValues } from './operands.ts';
import { outputStage, requantizeColumns, type OutputStage, type QuantizedOutput } from '../../../quant/output-stage.ts';
import { prepared } from './prepare-cache.ts';
import { wasmKernels, type WasmBackend } from '../../wasm/index.ts';
import { int8Gemm, isByteOutput, packOperand, type WasmPackedOperand } from '../../wasm/int8-gemm.ts';
import { WASM_MIN_WORK } from './igemm.ts';

/** B' in the wasm layout per TypeScript-packed B' (the node's prepared one). */
const wasmB = new WeakMap<PackedOperand, WasmPackedOperand>();

/** The wasm path of qgemmImpl: the output stage fused when C is absent or one value per column or row. */
function qgemmWasm(backend: WasmBackend, op: GemmOperands, output: GemmOutput, y: QuantizedOutput | Float32Array, packedB: PackedOperand | undefined): void {
  const { m, n, k, c } = op;
  let b = packedB === undefined ? undefined : wasmB.get(packedB);
  if (b === undefined) {
    b = packOperand(backend, op.b, 'columns', n, k);
    if (packedB !== undefined) wasmB.set(packedB, b);
  }
  const perColumn = c !== undefined && c.rows === 1;
  const perRow = c !== undefined && c.cols === 1 && c.rows === m;
  if ('stage' in output && isByteOutput(y as QuantizedOutput) && (c === undefined || perColumn || perRow)) {
    const colBias = perColumn ? (c.cols === n ? c.data : new Int32Array(n).fill(c.data[0])) : undefined;
    const rowBias = perRow && !perColumn ? { data: c.data, offset: 0 } : undefined;
    const target = { kind: 'quantized', stage: output.stage, axis: 'columns', channel0: 0, y: y as Int8Array | Uint8Array, offset: 0, ld: n } as const;
    int8Gemm(backend, { m, n, k, a: { view: op.a }, b: { packed: b }, aZero: [op.aZero], bZero: op.bZero, colBias, rowBias, target });
    return;
  }
  const acc = new Int32Array(m * n);
  int8Gemm(backend, { m, n, k, a: { view: op.a }, b: { packed: b }, aZero: [op.aZero], bZero: op.bZero, target: { kind: 'int32', c: acc, offset: 0, ld: n } });
  if (c !== undefined) addBias(acc, c, m, n);
  if ('stage' in output) requantizeColumns(output.stage, acc, 0, y as QuantizedOutput, 0, m, n); // eq. (18)
  else accumulatorsToFloat(acc, m, n, output.scale, y as Float32Array);
}

/** An int32 matrix broadcast to M × N along its size-1 axes. */
export interface BiasMatrix {
  readonly data: Int32Array;
  readonly rows: number;
  readonly cols: number;
}

/** The operands of a QGemm: views of A' (m × k) and B' (k × n), zero points, and C. */
export interface GemmOperands {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly a: MatrixView;
  readonly aZero: number;
  readonly b: MatrixView;
  /** One zero point, or one per column of B'. */
  readonly bZero: Int32Array;
  readonly c: BiasMatrix | undefined;
}

/** A quantized output (an output stage) or a float32 one (a scale per tensor or per column). */
export type GemmOutput = { readonly stage: OutputStage } | { readonly scale: Float32Array };

/** acc[i, j] += C[i, j] (broadcast; int32, wrapping). eq. (13) */
function addBias(acc: Int32Array, c: BiasMatrix, m: number, n: number): void {
  const rowStep = c.rows === 1 ? 0 : c.cols;
  const colStep = c.cols === 1 ? 0 : 1;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) acc[i * n + j] = (acc[i * n + j] + c.data[i * rowStep + j * colStep]) | 0;
  }
}

/** y[i, j] = fl32(fl32(acc[i, j])·scale[j]): the float boundary (no y_scale). */
export function accumulatorsToFloat(acc: Int32Array, m: number, n: number, scale: Float32Array, y: Float32Array): void {
  const perColumn = scale.length > 1;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) y[i * n + j] = Math.fround(acc[i * n + j]) * scale[perColumn ? j : 0];
  }
}

/** y (m × n) of the QGemm `op`; `packedB` is B' packed by packB (packed here when omitted). */
export function qgemmImpl(op: GemmOperands, output: GemmOutput, y: QuantizedOutput | Float32Array, packedB?: PackedOperand): void {
  const { m, n, k } = op;
  const backend = wasmKernels();
  if (backend !== undefined && m * n * k >= WASM_MIN_WORK) {
    qgemmWasm(backend, op, output, y, packedB);
    return;
  }
  const acc = new Int32Array(m * n);
  igemmPackedB(m, op.a, [op.aZero], packedB ?? packB(op.b, k, n), op.bZero, acc); // eqs. (10), (11)
  if (op.c !== undefined) addBias(acc, op.c, m, n);
  if ('stage' in output) requantizeColumns(output.stage, acc, 0, y as QuantizedOutput, 0, m, n); // eq. (18)
  else accumulatorsToFloat(acc, m, n, output.scale, y as Float32Array);
}

/** C as a BiasMatrix, or a ShapeError naming the node when it does not broadcast to M × N. */
function biasMatrix(node: Node, c: Tensor, m: number, n: number): BiasMatrix {
  const label = nodeLabel(node);
  requireDtype(c, new Set(['int32']), label, 'C');
  const [rows, cols] = c.shape.length === 0 ? [1, 1] : c.shape.length === 1 ? [1, c.shape[0]] : c.shape;
  if (c.shape.length > 2 || (rows !== 1 && rows !== m) || (cols !== 1 && cols !== n)) {
    throw new ShapeError(`${label}: C ${formatShape(c.shape)} does not broadcast to [${m}, ${n}]`);
  }
  return { data: c.data as Int32Array, rows, cols };
}

interface PreparedGemm {
  readonly bZero: Int32Array;
  readonly output: GemmOutput;
  readonly yDtype: Tensor['dtype'];
  readonly packedB: PackedOperand;
}

function prepareGemm(inputs: readonly (Tensor | undefined)[], node: Node, a: Tensor, aZero: number, b: Tensor, bView: MatrixView, shape: { k: number; n: number }): PreparedGemm {
  const { k, n } = shape;
  const alpha = attrFloat(node, 'alpha', 1);
  if (!(alpha > 0) || !Number.isFinite(alpha)) throw new UnsupportedOpError(`${nodeLabel(node)}: alpha ${alpha} is not supported; the integer QGemm needs a positive finite alpha`);
  const aScale = tensorScale(inputs, 1, node, 'a_scale');
  const bScale = scaleValues(inputs, 4, node, 'b_scale');
  requireChannels(node, bScale, inputs[4]?.shape ?? [], n, 'b_scale', 'column of B');
  const bZero = zeroPointValues(inputs, 5, node, 'b_zero_point', b, 'B');
  requireChannels(node, bZero, inputs[5]?.shape ?? [], n, 'b_zero_point', 'column of B');
  checkAccumulatorBound(node, k, maxCenteredOfType(a.dtype, [aZero]), maxCentered(bView, k, n, bZero, 'column'));
  const packedB = packB(bView, k, n);
  const yScaleInput = inputs[7];
  if (yScaleInput === undefined) {
    if (inputs[8] !== undefined) throw new ShapeError(`${nodeLabel(node)}: y_zero_point is given without y_scale`);
    // alpha·s_a·s_b in float32 steps, as onnxruntime forms the output scale
    const scale = Float32Array.from(bScale, (s) => Math.fround(Math.fround(alpha * aScale) * s));
    return { bZero, output: { scale }, yDtype: 'float32', packedB };
  }
  const yScale = tensorScale(inputs, 7, node, 'y_scale');
  const yZeroPoint = outputZeroPoint(inputs, 8, node, 'y_zero_point');
  const yDtype = yZeroPoint?.dtype ?? a.dtype;
  const multipliers = namingNode(node, () => requantizeMultipliers(alpha * aScale, bScale, yScale)); // eq. (14), alpha folded into s_a
  const { qmin, qmax } = dtypeRange(yDtype);
  return { bZero, output: { stage: outputStage(multipliers, yZeroPoint === undefined ? 0 : yZeroPoint.data[0], qmin, qmax) }, yDtype, packedB };
}

function qgemm(inputs: readonly (Tensor | undefined)[], node: Node): Tensor[] {
  checkInputCount(inputs, node, 6, 9);
  const label = nodeLabel(node);
  const a = integerInput(inputs, 0, node, 'A');
  const b = integerInput(inputs, 3, node, 'B');
  if (a.shape.length !== 2 || b.shape.length !== 2) throw new ShapeError(`${label}: A ${formatShape(a.shape)} and B ${formatShape(b.shape)} must be matrices`);
  const transA = attrInt(node, 'transA', 0) !== 0;
  const transB = attrInt(node, 'transB', 0) !== 0;
  const [m, k] = transA ? [a.shape[1], a.shape[0]] : a.shape;
  const [kb, n] = transB ? [b.shape[1], b.shape[0]] : b.shape;
  if (k !== kb) throw new ShapeError(`${label}: inner dimensions differ: A' is ${m}×${k}, B' is ${kb}×${n}`);
  const aZero = zeroPointValues(inputs, 2, node, 'a_zero_point', a, 'A', true)[0];
  const bView = denseView(b.data, 0, b.shape[1], transB);
  const keys = [b, inputs[1], inputs[4], inputs[5], inputs[7], inputs[8], a.dtype, aZero, transB, attrFloat(node, 'alpha', 1)];
  const p = prepared(node, keys, () => prepareGemm(inputs, node, a, aZero, b, bView, { k, n }));
  const c = inputs[6] === undefined ? undefined : biasMatrix(node, inputs[6], m, n);
  const y = tensor(p.yDtype, [m, n], undefined, `${label} output`);
  const op: GemmOperands = { m, n, k, a: denseView(a.data, 0, a.shape[1], transA), aZero, b: bView, bZero: p.bZero, c };
  qgemmImpl(op, p.output, y.data as QuantizedOutput | Float32Array, p.packedB);
  return [y];
}

export const qgemmConfig: KernelConfig = { op: 'QGemm', domain: 'com.microsoft', impl: qgemm };
