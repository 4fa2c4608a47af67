/** Cast: before opset 6 `to` was a string naming a TensorProto.DataType ('FLOAT'); since 6 it is the enum number. */
import { ModelFormatError } from '../../errors.ts';
import type { Node } from '../../ir/graph.ts';
import { TensorProto_DataType } from '../proto/onnx.generated.ts';
import { withAttributes, type UpgradeContext, type UpgradeStep } from './types.ts';

function stringToEnum(node: Node, ctx: UpgradeContext): Node {
  const to = node.attributes.to;
  if (to === undefined || to.type !== 'string') return node;
  const code = (TensorProto_DataType as Record<string, number>)[to.value.toUpperCase()];
  if (code === undefined) throw new ModelFormatError(`${ctx.what}: Cast to ${JSON.stringify(to.value)} is not a TensorProto data type`);
  return withAttributes(node, { to: { type: 'int', value: code } });
}

export const castSteps: readonly UpgradeStep[] = [{ since: 6, change: 'string `to` → data type number', apply: stringToEnum }];
