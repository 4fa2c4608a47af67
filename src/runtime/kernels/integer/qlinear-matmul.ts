/**
 * QLinearMatMul (ONNX QLinearMatMul-21) in integer arithmetic: y = saturate(z_y + M[j]·Σ_p
 * (a[i, p] − z_a)(b[p, j] − z_b[j])), M[j] = s_a·s_b[j]/s_y a fixed-point multiplier per output
 * column computed once per node, docs/QUANTIZATION.md eqs. (10)–(12), (14), (18); numpy matmul
 * semantics (batch axes broadcast, 1-D operands).
 *
 * a, b: int8/uint8 (int4/uint4 held unpacked too); y: the type of y_zero_point (else a's).
 * a_scale, a_zero_point, y_scale, y_zero_point are per tensor; b_scale and b_zero_point per
 * tensor or per column (1-D of N elements). The spec's per-row a / y parameters are rejected, as
 * onnxruntime does: their multiplier would depend on the row and the column at once.
 *
 * When b has no batch axes (x·W, the common case) the batches of a stack into one tall product
 * against b, packed once per node. qlinear-matmul-reference.ts is the plain loop. Where
 * WebAssembly SIMD runs, the products and the output stage run in the wasm int8 GEMM
 * (src/runtime/wasm/int8-gemm.ts) with identical results.
 */
import type { Node } from '../../../ir/graph.ts';
import { shapeSize, stridesOf, tensor, type Tensor } from '../../../ir/tensor.ts';
import { requantizeMultipliers } from '../../../quant/requantize.ts';
import type { KernelConfig } from '../../kernel.ts';
import { broadcastStrides } from '../float/broadcast.ts';
import { planMatMul, type MatMulPlan } from '../float/matmul.ts';
import { nodeLabel } from '../float/node-io.ts';
import { namingNode } from '../quant/quant-io.ts';
import { checkAccumulatorBound, maxCentered, maxCenteredOfType } from './accumulator-bound.ts';
import { denseView, igemm, igemmPackedB, packB, type IntegerArray, type PackedOperand } from './igemm.ts';
import { checkInputCount, dtypeRange, integerInput, outputZeroPoint, requireChannels, scaleValues, tensorScale, zeroPointValues } from './operands.ts';
import { outputStage, requantizeColumns, type OutputStage, type QuantizedOutput } from '../../../quant/output-stage.ts';
import { prepared } from './prepare-cache.ts';
import { wasmKernels, type WasmBackend } from '../../wasm/index.ts';
import { int8Gemm, isByteOutput, packOperand, type WasmPackedOperand } from '../../wasm/int8-gemm.ts';
import { WASM_MIN_WORK } from './igemm.ts';

/** b in the wasm layout per TypeScript-packed b (the node's prepared one). */
const wasmB = new WeakMap<PackedOperand, WasmPackedOperand>();

/** The wasm path of qlinearMatMulImpl: every product with its output stage fused. */
function qlinearMatMulWasm(backend: WasmBackend, op: MatMulOperands, y: Int8Array | Uint8Array, packedB: PackedOperand | undefined): void {
  const { a, aZero, b, bZero, plan, stage } = op;
  const { batchShape, m, n, k } = plan;
  const batches = shapeSize(batchShape);
  const target = (offset: number) => ({ kind: 'quantized' as const, stage, axis: 'columns' as const, channel0: 0, y, offset, ld: n });
  if (sharesB(plan)) {
    let packed = packedB === undefined ? undefined : wasmB.get(packedB);
    if (packed === undefined) {
      packed = packOperand(backend, denseView(b, 0, n), 'columns', n, k);
      if (packedB !== undefined) wasmB.set(packedB, packed);
    }
    int8Gemm(backend, { m: batches * m, n, k, a: { view: denseView(a, 0, k) }, b: { packed }, aZero: [aZero], bZero, target: target(0) });
    return;
  }
  forEachBatch(plan, (index, aMatrix, bMatrix) => {
    int8Gemm(backend, { m, n, k, a: { view: denseView(a, aMatrix * m * k, k) }, b: { view: denseView(b, bMatrix * k * n, n) }, aZero: [aZero], bZero, target: target(index * m * n) });
  });
}

/** Calls visit(output batch, a matrix, b matrix) for every batch of the broadcast product. */
function forEachBatch(plan: MatMulPlan, visit: (index: number, aMatrix: number, bMatrix: number) => void): void {
  const { batchShape } = plan;
  const aStrides = broadcastStrides(plan.aBatch, batchShape);
  const bStrides = broadcastStrides(plan.bBatch, batchShape);
  const outStrides = stridesOf(batchShape);
  const batches = shapeSize(batchShape);
  for (let index = 0; index < batches; index++) {
    let aMatrix = 0;
    let bMatrix = 0;
    let rest = index;
    for (let axis = 0; axis < batchShape.length; axis++) {
      const coordinate = Math.floor(rest / outStrides[axis]);
      rest -= coordinate * outStrides[axis];
      aMatrix += coordinate * aStrides[axis];
      bMatrix += coordinate * bStrides[axis];
    }
    visit(index, aMatrix, bMatrix);
  }
}

/** a and b (row-major, shapes of `plan`) with their zero points, and the output stage (per tensor or per column). */
export interface MatMulOperands {
  readonly a: IntegerArray;
  readonly aZero: number;
  readonly b: IntegerArray;
  /** One zero point, or one per column of b. */
  readonly bZero: Int32Array;
  readonly plan: MatMulPlan;
  readonly stage: OutputStage;
}

/** True when b is one matrix shared by every batch of a (then it can be packed once). */
export function sharesB(plan: MatMulPlan): boolean {
  return shapeSize(plan.bBatch) === 1;
}

/**
 * y (row-major plan.outShape) of the quantized product `op`. `packedB` is b packed by
 * packB (only used when sharesB; packed here when omitted).
 */
export function qlinearMatMulImpl(op: MatMulOperands, y: QuantizedOutput, packedB?: PackedOperand): void {
  const { a, aZero, b, bZero, plan, stage } = op;
  const { batchShape, m, n, k } = plan;
  const batches = shapeSize(batchShape);
  const backend = wasmKernels();
  if (backend !== undefined && isByteOutput(y) && batches * m * n * k >= WASM_MIN_WORK) {
    qlinearMatMulWasm(backend, op, y, packedB);
    return;
  }
  if (sharesB(plan)) {
    // every batch of a against the one b: a single (batches·m) × k product
    const rows = batches * m;
    const acc = new Int32Array(rows * n);
    igemmPackedB(rows, denseView(a, 0, k), [aZero], packedB ?? packB(denseView(b, 0, n), k, n), bZero, acc);
    requantizeColumns(stage, acc, 0, y, 0, rows, n); // eq. (18)
    return;
  }
  const acc = new Int32Array(m * n);
  forEachBatch(plan, (index, aMatrix, bMatrix) => {
    igemm(m, n, k, denseView(a, aMatrix * m * k, k), [aZero], denseView(b, bMatrix * k * n, n), bZero, acc); // eqs. (10), (11)
    requantizeColumns(stage, acc, 0, y, index * m * n, m, n); // eq. (18)
  });
}

interface PreparedMatMul {
  readonly bZero: Int32Array;
  readonly stage: OutputStage;
  readonly yDtype: Tensor['dtype'];
  readonly packedB: PackedOperand | undefined;
}

function prepareMatMul(inputs: readonly (Tensor | undefined)[], node: Node, a: Tensor, aZero: number, b: Tensor & { data: IntegerArray }, plan: MatMulPlan): PreparedMatMul {
  const { n, k } = plan;
  const aScale = tensorScale(inputs, 1, node, 'a_scale');
  const bScale = scaleValues(inputs, 4, node, 'b_scale');
  requireChannels(node, bScale, inputs[4]?.shape ?? [], n, 'b_scale', 'column of b');
  const bZero = zeroPointValues(inputs, 5, node, 'b_zero_point', b, 'b');
  requireChannels(node, bZero, inputs[5]?.shape ?? [], n, 'b_zero_point', 'column of b');
  const yScale = tensorScale(inputs, 6, node, 'y_scale');
  const yZeroPoint = outputZeroPoint(inputs, 7, node, 'y_zero_point');
  const yDtype = yZeroPoint?.dtype ?? a.dtype;
  checkAccumulatorBound(node, k, maxCenteredOfType(a.dtype, [aZero]), maxCentered(denseView(b.data, 0, n), b.data.length / Math.max(n, 1), n, bZero, 'column'));
  const multipliers = namingNode(node, () => requantizeMultipliers(aScale, bScale, yScale)); // eq. (14)
  const { qmin, qmax } = dtypeRange(yDtype);
  return {
    bZero,
    stage: outputStage(multipliers, yZeroPoint === undefined ? 0 : yZeroPoint.data[0], qmin, qmax),
    yDtype,
    packedB: sharesB(plan) ? packB(denseView(b.data, 0, n), k, n) : undefined,
  };
}

function qlinearMatMul(inputs: readonly (Tensor | undefined)[], node: Node): Tensor[] {
  checkInputCount(inputs, node, 8);
  const label = nodeLabel(node);
  const a = integerInput(inputs, 0, node, 'a');
  const b = integerInput(inputs, 3, node, 'b');
  const plan = planMatMul(a.shape, b.shape, label);
  const aZero = zeroPointValues(inputs, 2, node, 'a_zero_point', a, 'a', true)[0];
  const keys = [b, inputs[1], inputs[4], inputs[5], inputs[6], inputs[7], a.dtype, aZero, sharesB(plan)];
  const p = prepared(node, keys, () => prepareMatMul(inputs, node, a, aZero, b, plan));
  const y = tensor(p.yDtype, plan.outShape, undefined, `${label} output`);
  qlinearMatMulImpl({ a: a.data, aZero, b: b.data, bZero: p.bZero, plan, stage: p.stage }, y.data as QuantizedOutput, p.packedB);
  return [y];
}

export const qlinearMatMulConfig: KernelConfig = { op: 'QLinearMatMul', impl: qlinearMatMul };
