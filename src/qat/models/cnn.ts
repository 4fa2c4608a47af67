/**
 * The small CNN `quantkit train` trains: blocks of Conv(k×k, same padding, no bias) →
 * BatchNormalization → Relu, a 2×2 max pool after every block but the last, then a head
 * (global average pool, or flatten) and one Gemm to the class logits. Weights start from a
 * seeded He (Kaiming) normal draw, std √(2/fan_in) for the layers before a ReLU and √(1/fan_in)
 * for the last; BatchNormalization from γ = 1, β = 0, μ = 0, σ² = 1. The model is standard
 * ONNX (BatchNormalization in inference form): any runtime runs it, and PTQ folds its BNs.
 */
import { RangeArgumentError } from '../../errors.ts';
import { GraphBuilder } from '../../ir/builder.ts';
import type { Model } from '../../ir/graph.ts';
import { tensor, type Tensor } from '../../ir/tensor.ts';
import { gaussian, seededRandom } from '../train/random.ts';

export interface CnnSpec {
  /** Output channels of each Conv+BN+ReLU block. */
  readonly channels: readonly number[];
  /** Kernel size of every convolution (odd; default 3). */
  readonly kernel?: number;
  /** [C, H, W] of one input sample (default [1, 28, 28]). */
  readonly inputShape?: readonly [number, number, number];
  readonly classes?: number;
  /** 'flatten' (default) keeps the last block's positions; 'gap' averages them away. */
  readonly head?: 'flatten' | 'gap';
  readonly seed: number;
}

/** The head's spatial size: the input halved (floor) once per pooled block. */
function pooledSize(size: number, pools: number): number {
  for (let i = 0; i < pools; i++) size = Math.floor(size / 2);
  return size;
}

export function buildCnn(spec: CnnSpec): Model {
  const kernel = spec.kernel ?? 3;
  const [c0, h, w] = spec.inputShape ?? [1, 28, 28];
  const classes = spec.classes ?? 10;
  if (spec.channels.length === 0 || !spec.channels.every((c) => Number.isInteger(c) && c > 0)) throw new RangeArgumentError(`cnn: channels must be positive integers, got [${spec.channels.join(', ')}]`);
  if (!Number.isInteger(kernel) || kernel < 1 || kernel % 2 === 0) throw new RangeArgumentError(`cnn: kernel must be an odd positive integer, got ${kernel}`);
  const pools = spec.channels.length - 1;
  if (pooledSize(Math.min(h, w), pools) < 1) throw new RangeArgumentError(`cnn: a ${h}×${w} input is too small for ${pools} 2×2 pools`);
  const normal = gaussian(seededRandom(spec.seed));
  const heNormal = (shape: number[], fanIn: number, gain: number): Tensor => tensor('float32', shape, Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => normal() * Math.sqrt(gain / fanIn)));
  const filled = (n: number, v: number) => tensor('float32', [n], new Float32Array(n).fill(v));

  const b = new GraphBuilder('mnist_cnn');
  let x = b.addInput('input', 'float32', ['N', c0, h, w]);
  let inChannels = c0;
  spec.channels.forEach((out, i) => {
    const name = `conv${i + 1}`;
    const weight = b.addInitializer(`${name}.weight`, heNormal([out, inChannels, kernel, kernel], inChannels * kernel * kernel, 2));
    const pad = (kernel - 1) / 2;
    [x] = b.addNode('Conv', [x, weight], { kernel_shape: [kernel, kernel], pads: [pad, pad, pad, pad] }, { name });
    const bn = [['weight', 1], ['bias', 0], ['running_mean', 0], ['running_var', 1]].map(([what, v]) => b.addInitializer(`bn${i + 1}.${what}`, filled(out, v as number)));
    [x] = b.addNode('BatchNormalization', [x, ...bn], { epsilon: 1e-5, momentum: 0.9 }, { name: `bn${i + 1}` });
    [x] = b.addNode('Relu', [x], {}, { name: `relu${i + 1}` });
    if (i < pools) [x] = b.addNode('MaxPool', [x], { kernel_shape: [2, 2], strides: [2, 2] }, { name: `pool${i + 1}` });
    inChannels = out;
  });
  const side = pooledSize(h, pools) * pooledSize(w, pools);
  const features = spec.head === 'gap' ? inChannels : inChannels * side;
  if (spec.head === 'gap') [x] = b.addNode('GlobalAveragePool', [x], {}, { name: 'gap' });
  [x] = b.addNode('Flatten', [x], { axis: 1 }, { name: 'flatten' });
  const fcWeight = b.addInitializer('fc.weight', heNormal([classes, features], features, 1));
  const fcBias = b.addInitializer('fc.bias', filled(classes, 0));
  const [logits] = b.addNode('Gemm', [x, fcWeight, fcBias], { transB: 1 }, { name: 'fc', outputs: ['logits'] });
  b.addOutput(logits, 'float32', ['N', classes]);
  return b.buildModel({ opset: 15 });
}
