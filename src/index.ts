/**
 * quantkit's library entry, browser-safe: bytes in, bytes out, no file system. Node helpers that
 * read files and start worker threads are in `quantkit/node` (src/node/index.ts). The layers
 * below stay importable by path; this file names the API a user starts from.
 */

// Number formats and the quantizer core (the lecture's first part).
export * as numeric from './numeric/index.ts';
export * as quant from './quant/index.ts';

// Models: ONNX in and out, the IR.
export { importModel, importModelWithReport, type ImportOptions, type ImportResult } from './onnx/import.ts';
export { exportModel, type ExportOptions } from './onnx/export.ts';
export { exportQOperator, toQOperatorModel, type QOperatorOptions } from './onnx/qoperator/export.ts';
export type { Model, Graph, Node, ValueInfo } from './ir/graph.ts';
export { tensor, float32, scalar, type Tensor } from './ir/tensor.ts';

// Running models: float, simulated (fake-quant) and integer-only executors.
export { createExecutor, type Executor, type ExecutorOptions } from './runtime/executor.ts';
export { floatKernels } from './runtime/kernels/float/register.ts';
export { simulatedKernels } from './runtime/kernels/simulated/register.ts';
export { integerKernels } from './runtime/kernels/integer/register.ts';
export { createIntegerExecutor, type IntegerExecutor } from './runtime/integer/executor.ts';
export { loadQuantizedModel, prepareQuantizedModel, type QuantizedModel } from './runtime/integer/load.ts';
export { initWasmKernels, setWasmEnabled, wasmStatus, type WasmStatus } from './runtime/wasm/index.ts';
export { startWebKernelThreads, stopWebKernelThreads } from './runtime/wasm/threads/web-pool.ts';

// Data and evaluation.
export { arrayDataset, limitDataset, type Dataset, type Batch } from './data/dataset.ts';
export { idxDataset, type IdxSource } from './data/idx-dataset.ts';
export { imageDataset, type ImageSource } from './data/image-dataset.ts';
export { evaluate, type Evaluation, type EvaluateOptions } from './eval/evaluate.ts';

// Post-training quantization, the job with its report, QAT.
export { quantizeModel, prepare, type PtqResult } from './ptq/quantize-model.ts';
export { DEFAULT_CONFIG, resolveConfig, type PtqConfig } from './ptq/config.ts';
export { calibrate, calibrationToJSON, calibrationFromJSON, type Calibration } from './ptq/calibrate.ts';
export { RANGE_METHODS, rangeMethod } from './calib/methods/registry.ts';
export { planToJSON, type PlanJSON } from './ptq/plan-json.ts';
export { runQuantizationJob, summaryToJSON, type JobInput, type JobResult, type JobSummaryJSON } from './ptq/job.ts';
export { buildReport, type ReportData } from './report/model.ts';
export { renderReportHtml } from './report/html.ts';
export { quantizationAwareTraining, DEFAULT_QAT_CONFIG, type QatConfig, type QatResult } from './qat/qat-job.ts';
export { trainClassifier, DEFAULT_TRAIN_CONFIG, type TrainConfig } from './qat/train-job.ts';

// Errors: every failure quantkit reports is one of these (docs/ERRORS.md).
export { QuantkitError, RangeArgumentError, OverflowError, ModelFormatError, UnsupportedOpError, ShapeError, LimitError, DataError, describeError } from './errors.ts';
