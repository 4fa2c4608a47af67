/** Typed reads of node attributes with defaults; a wrong attribute type is a ModelFormatError. */
import { ModelFormatError } from '../errors.ts';
import type { Attribute, Graph, Node } from './graph.ts';
import type { Tensor } from './tensor.ts';

type AttributeValues = { [A in Attribute as A['type']]: A['value'] };

function read<T extends keyof AttributeValues>(node: Node, name: string, type: T): AttributeValues[T] | undefined {
  const attribute = node.attributes[name];
  if (attribute === undefined) return undefined;
  if (attribute.type !== type) {
    throw new ModelFormatError(`node ${JSON.stringify(node.name)} (${node.opType}): attribute ${name} is ${attribute.type}, expected ${type}`);
  }
  return attribute.value as AttributeValues[T];
}

export function attrInt(node: Node, name: string, fallback: number): number;
export function attrInt(node: Node, name: string): number | undefined;
export function attrInt(node: Node, name: string, fallback?: number): number | undefined {
  return read(node, name, 'int') ?? fallback;
}

export function attrFloat(node: Node, name: string, fallback: number): number;
export function attrFloat(node: Node, name: string): number | undefined;
export function attrFloat(node: Node, name: string, fallback?: number): number | undefined {
  return read(node, name, 'float') ?? fallback;
}

export function attrString(node: Node, name: string, fallback: string): string;
export function attrString(node: Node, name: string): string | undefined;
export function attrString(node: Node, name: string, fallback?: string): string | undefined {
  return read(node, name, 'string') ?? fallback;
}

export function attrInts(node: Node, name: string, fallback: readonly number[]): readonly number[];
export function attrInts(node: Node, name: string): readonly number[] | undefined;
export function attrInts(node: Node, name: string, fallback?: readonly number[]): readonly number[] | undefined {
  return read(node, name, 'ints') ?? fallback;
}

export function attrFloats(node: Node, name: string): readonly number[] | undefined {
  return read(node, name, 'floats');
}

export function attrStrings(node: Node, name: string): readonly string[] | undefined {
  return read(node, name, 'strings');
}

export function attrTensor(node: Node, name: string): Tensor | undefined {
  return read(node, name, 'tensor');
}

export function attrGraph(node: Node, name: string): Graph | undefined {
  return read(node, name, 'graph');
}
