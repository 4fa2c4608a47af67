/**
 * Identity and inference-mode Dropout. Both return a new tensor over the input's storage (no
 * copy): kernels never write into their inputs, so sharing is safe.
 */
import { UnsupportedOpError } from '../../../errors.ts';
import { tensor, type Tensor } from '../../../ir/tensor.ts';
import type { KernelConfig } from '../../kernel.ts';
import { nodeLabel, optionalInput, requireInput, scalarOf } from './node-io.ts';

/** The input itself, as a new tensor object sharing its data. */
export function identityImpl(x: Tensor): Tensor {
  return { dtype: x.dtype, shape: [...x.shape], data: x.data };
}

/** Dropout at inference: the output is the input and the mask is all true. */
export function dropoutImpl(x: Tensor, withMask: boolean): Tensor[] {
  const out = [identityImpl(x)];
  if (withMask) out.push(tensor('bool', x.shape, new Uint8Array(x.data.length).fill(1)));
  return out;
}

export const identityKernels: readonly KernelConfig[] = [
  { op: 'Identity', impl: (inputs, node) => [identityImpl(requireInput(inputs, 0, node, 'input'))] },
  {
    op: 'Dropout',
    impl: (inputs, node) => {
      const where = nodeLabel(node);
      const training = optionalInput(inputs, 2);
      const ratio = optionalInput(inputs, 1);
      // Training mode drops at random; the float runtime is deterministic and inference-only.
      if (training && scalarOf(training, where, 'training_mode') !== 0 && (ratio ? scalarOf(ratio, where, 'ratio') : 0.5) !== 0) {
        throw new UnsupportedOpError(`${where}: training_mode = true (random dropout) is not supported`);
      }
      return dropoutImpl(requireInput(inputs, 0, node, 'data'), node.outputs.length > 1 && node.outputs[1] !== '');
    },
  },
];
