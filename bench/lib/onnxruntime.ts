/**
 * The two onnxruntime builds the benchmarks compare with, in the same process: onnxruntime-web
 * on its WebAssembly backend with one thread (what a browser user of quantkit would otherwise
 * use) and onnxruntime-node, native, also on one thread (the upper reference). The packages
 * bring separate copies of onnxruntime-common, so each has its own `env` and backends.
 */
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { GraphBuilder } from '../../src/ir/builder.ts';
import { exportModel } from '../../src/onnx/export.ts';

export type OrtEngine = 'web' | 'node';

export const ENGINE_NAMES: Record<OrtEngine, string> = {
  web: 'onnxruntime-web (wasm, 1 thread)',
  node: 'onnxruntime-node (native, 1 thread)',
};

/** A session that runs float32 feeds and returns the named output's data. */
export interface OrtRunner {
  run(feeds: Readonly<Record<string, { data: Float32Array; dims: readonly number[] }>>): Promise<Float32Array>;
  release(): Promise<void>;
}

/** A session of `engine` for the model bytes; `output` names the output to return (default: the first). */
export async function createRunner(engine: OrtEngine, model: Uint8Array, output?: string): Promise<OrtRunner> {
  if (engine === 'web') {
    ortWeb.env.wasm.numThreads = 1;
    ortWeb.env.logLevel = 'error';
    const session = await ortWeb.InferenceSession.create(model, { executionProviders: ['wasm'] });
    const name = output ?? session.outputNames[0];
    return {
      run: async (feeds) => {
        const tensors: Record<string, ortWeb.Tensor> = {};
        for (const [key, value] of Object.entries(feeds)) tensors[key] = new ortWeb.Tensor('float32', value.data, value.dims);
        const result = await session.run(tensors);
        return result[name].data as Float32Array;
      },
      release: () => session.release(),
    };
  }
  const session = await ortNode.InferenceSession.create(model, { executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1, logSeverityLevel: 3 });
  const name = output ?? session.outputNames[0];
  return {
    run: async (feeds) => {
      const tensors: Record<string, ortNode.Tensor> = {};
      for (const [key, value] of Object.entries(feeds)) tensors[key] = new ortNode.Tensor('float32', value.data, value.dims);
      const result = await session.run(tensors);
      return result[name].data as Float32Array;
    },
    release: () => session.release(),
  };
}

/** An ONNX model computing Y = A · B for float32 A [m×k] and B [k×n], both graph inputs. */
export function matMulModel(m: number, n: number, k: number): Uint8Array {
  const builder = new GraphBuilder('matmul');
  builder.addInput('A', 'float32', [m, k]);
  builder.addInput('B', 'float32', [k, n]);
  builder.addNode('MatMul', ['A', 'B'], {}, { outputs: ['Y'] });
  builder.addOutput('Y', 'float32', [m, n]);
  return exportModel(builder.buildModel({ opset: 13, irVersion: 8 }));
}
