/**
 * `quantkit calibrate <model.onnx> --calib <data> -o <stats.json>`: run the float model over
 * calibration data once and save every float activation's statistics (min/max and a 2048-bin
 * histogram). Statistics do not depend on bits or methods, so `quantize --ranges` can try any
 * tensor-level method and bit width on them without running the model again.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { DataError } from '../../errors.ts';
import { calibrate, calibrationFromJSON, calibrationToJSON, type Calibration, type CalibrationJSON } from '../../ptq/calibrate.ts';
import { prepare } from '../../ptq/quantize-model.ts';
import { openCommandDataset } from '../dataset.ts';
import { loadModel, requireFile, writeOutput } from '../files.ts';
import { printJson, table } from '../format.ts';
import { positiveInt } from '../options.ts';
import { progressBar } from '../progress.ts';
import { threadsOption } from '../threads.ts';

/** What `calibrate` writes: the calibration's JSON, marked so other JSON files are not taken for it. */
export interface StatisticsFile extends CalibrationJSON {
  readonly kind: typeof STATISTICS_KIND;
  readonly version: 1;
  /** The model's file name (for people: the check against a model is by its tensors). */
  readonly model: string;
}

const STATISTICS_KIND = 'quantkit-calibration';

interface CalibrateOptions {
  calib: string;
  calibLimit: number;
  output: string;
  skipNonfinite?: boolean;
  force?: boolean;
  json?: boolean;
}

/** Parses a JSON file; a DataError names the file when it is not JSON. */
export function readJson(path: string, what: string): unknown {
  requireFile(path, what);
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new DataError(`${what} ${path} is not JSON: ${(error as Error).message}`);
  }
}

/** Loads statistics saved by `quantkit calibrate`. */
export function readStatistics(path: string): Calibration {
  const json = readJson(path, 'statistics') as Partial<StatisticsFile> | null;
  if (json?.kind !== STATISTICS_KIND) throw new DataError(`${path} is not a calibration statistics file (write one with quantkit calibrate)`);
  return calibrationFromJSON(json as StatisticsFile, path);
}

export function calibrateCommand(program: Command): void {
  threadsOption(program.command('calibrate'), '1')
    .description('run the float model over calibration data and save the statistics of every float activation (min/max, 2048-bin histogram) as JSON, for quantize --ranges and report --stats')
    .argument('<model>', 'float ONNX model (preprocessing from <model>.json beside it, if present)')
    .requiredOption('--calib <path>', 'calibration data: IDX images, .npy samples or an image folder (never your test set)')
    .requiredOption('-o, --output <path>', 'where to write the statistics JSON')
    .option('--calib-limit <n>', 'calibration samples used at most', positiveInt('--calib-limit'), 1000)
    .option('--skip-nonfinite', 'drop samples with NaN/±∞ activations (counted) instead of failing')
    .option('--force', 'overwrite an existing output file')
    .option('--json', 'print {output, samples, skipped, tensors: [{tensor, min, max, count}]}')
    .addHelpText(
      'after',
      `
Examples:
  quantkit calibrate models/mnist-8.onnx --calib data/mnist/calib-images-idx3-ubyte.gz -o out/mnist-8.stats.json
  quantkit quantize models/mnist-8.onnx --ranges out/mnist-8.stats.json --method mse --wbits 4 \\
      --eval data/mnist/t10k-images-idx3-ubyte.gz -o out/mnist-8.w4a8.onnx`,
    )
    .action(async (path: string, options: CalibrateOptions) => {
      const loaded = loadModel(path);
      const dataset = await openCommandDataset(options.calib, loaded.sidecar, undefined);
      // Statistics are of the prepared graph (BatchNorm folded, ...): the tensors every plan quantizes.
      const bar = progressBar('calibrate', !options.json);
      const calibration = await calibrate(prepare(loaded.model).model, dataset, {
        histogram: true,
        limit: options.calibLimit,
        skipNonFinite: options.skipNonfinite === true,
        onProgress: (done, total) => bar.update(done, total),
      });
      bar.stop();
      const file: StatisticsFile = { kind: STATISTICS_KIND, version: 1, model: basename(path), ...calibrationToJSON(calibration) };
      writeOutput(options.output, `${JSON.stringify(file)}\n`, { force: options.force === true, inputs: [path, options.calib] });
      const tensors = [...calibration.stats].map(([tensor, s]) => ({ tensor, min: s.minmax.min, max: s.minmax.max, count: s.minmax.count }));
      if (options.json) return printJson({ output: options.output, samples: calibration.samples, skipped: calibration.skipped, tensors });
      console.log(`${path}: statistics of ${tensors.length} tensors over ${calibration.samples} samples${calibration.skipped ? ` (${calibration.skipped} skipped: non-finite)` : ''} → ${options.output}\n`);
      console.log(table(['tensor', 'min', 'max', 'values'], tensors.map((t) => [t.tensor, t.min.toPrecision(4), t.max.toPrecision(4), String(t.count)])));
    });
}
