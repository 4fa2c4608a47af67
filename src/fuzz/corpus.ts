/**
 * The fuzz corpus: real model files to mutate — the bundled mnist-8, a few ONNX backend-test
 * models chosen for ops whose output size comes from attributes or input values (pads, strides,
 * Resize sizes, ConstantOfShape, Gather indices) and for the quantized ops, plus quantkit's own
 * QDQ and QOperator exports of mnist-8, made once per campaign with a fixed calibration set so
 * the quantized importers, the lowering and the integer kernels are fuzzed too. Browser-safe:
 * the caller reads the files.
 */
import { arrayDataset } from '../data/dataset.ts';
import { exportModel } from '../onnx/export.ts';
import { importModel } from '../onnx/import.ts';
import { exportQOperator } from '../onnx/qoperator/export.ts';
import { quantizeModel } from '../ptq/quantize-model.ts';
import { prepareQuantizedModel } from '../runtime/integer/load.ts';
import { FuzzRandom } from './random.ts';

export interface CorpusEntry {
  readonly name: string;
  readonly bytes: Uint8Array;
  /** Relative frequency as the case's model (default 1). */
  readonly weight?: number;
}

const FIXTURES = [
  'conv_with_strides_padding', 'convtranspose', 'maxpool_2d_pads', 'averagepool_2d_pads_count_include_pad', 'constant_pad',
  'constantofshape_int_zeros', 'resize_upsample_sizes_nearest', 'gemm_all_attributes', 'matmul_2d', 'gather_0',
  'reshape_negative_dim', 'slice', 'softmax_axis_1', 'batchnorm_example', 'qlinearconv', 'qlinearmatmul_2D_uint8_float32',
  'dequantizelinear',
];

/** The corpus files, relative to the repository root; mnist-8 (and its quantized forms) is drawn 6× as often as a backend-test model. */
export const CORPUS_FILES: readonly { readonly name: string; readonly path: string; readonly weight: number }[] = [
  { name: 'mnist-8', path: 'models/mnist-8.onnx', weight: 6 },
  ...FIXTURES.map((name) => ({ name, path: `test/fixtures/onnx-node/test_${name}/model.onnx`, weight: 1 })),
];

/** The corpus, reading each file of CORPUS_FILES with `read`; mnist-8's QDQ and QOperator exports are added. */
export async function loadCorpus(read: (path: string) => Uint8Array): Promise<CorpusEntry[]> {
  // Copied: a Node Buffer may share its memory with other buffers.
  const entries = CORPUS_FILES.map(({ name, path, weight }) => ({ name, bytes: Uint8Array.from(read(path)), weight }));
  return withQuantizedSeeds(entries, 'mnist-8');
}

/** `entries` plus `<name>.qdq` and `<name>.qoperator` for the entry named `source` (W8A8 max ranges, 4 samples). */
export async function withQuantizedSeeds(entries: readonly CorpusEntry[], source: string): Promise<CorpusEntry[]> {
  const entry = entries.find((e) => e.name === source);
  if (entry === undefined) throw new Error(`corpus: no entry named ${source}`);
  const model = importModel(entry.bytes, { fileName: source });
  const [, ...sampleShape] = model.graph.inputs[0].shape as number[];
  const rng = new FuzzRandom(1);
  const samples = Float32Array.from({ length: 4 * sampleShape.reduce((a, b) => a * b, 1) }, () => rng.float());
  const { quantized } = await quantizeModel(model, arrayDataset(samples, sampleShape), { method: 'max', calibrationLimit: 4 });
  return [
    ...entries,
    { name: `${source}.qdq`, bytes: exportModel(quantized), weight: entry.weight },
    { name: `${source}.qoperator`, bytes: exportQOperator(prepareQuantizedModel(quantized).model), weight: entry.weight },
  ];
}
