/**
 * Generates src/onnx/proto/onnx.generated.ts from the vendored src/onnx/proto/onnx.proto:
 * a protobufjs JSON descriptor (loaded at run time with the light build's Root.fromJSON, so no
 * .proto parsing happens in the library or the browser), TypeScript interfaces of the messages
 * and the enums as constant objects.
 *
 * Run: npx tsx scripts/gen-onnx-proto.ts   (test/onnx/proto.test.ts checks the output is current)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import protobuf from 'protobufjs';

export const PROTO_PATH = fileURLToPath(new URL('../src/onnx/proto/onnx.proto', import.meta.url));
export const OUTPUT_PATH = fileURLToPath(new URL('../src/onnx/proto/onnx.generated.ts', import.meta.url));

const SCALARS: Record<string, string> = {
  double: 'number',
  float: 'number',
  int32: 'number',
  uint32: 'number',
  sint32: 'number',
  fixed32: 'number',
  sfixed32: 'number',
  bool: 'boolean',
  string: 'string',
  bytes: 'Uint8Array',
  int64: 'Int64',
  uint64: 'Int64',
  sint64: 'Int64',
  fixed64: 'Int64',
  sfixed64: 'Int64',
};

/** TypeScript name of a nested reflection object: TensorProto.DataType → TensorProto_DataType. */
function tsName(object: protobuf.ReflectionObject): string {
  return object.fullName.replace(/^\.onnx\./, '').replace(/\./g, '_');
}

function fieldType(field: protobuf.Field): string {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) return `${tsName(resolved)} | null`;
  if (resolved instanceof protobuf.Enum) return 'number';
  const scalar = SCALARS[field.type];
  if (scalar === undefined) throw new Error(`gen-onnx-proto: no TypeScript type for field ${field.fullName} of type ${field.type}`);
  return scalar;
}

function emitType(type: protobuf.Type, out: string[]): void {
  out.push(`export interface ${tsName(type)} {`);
  for (const field of type.fieldsArray) {
    const base = fieldType(field);
    const ts = field.repeated ? `${base.replace(' | null', '')}[]` : base;
    out.push(`  ${field.name}?: ${ts};`);
  }
  out.push('}', '');
}

function emitEnum(en: protobuf.Enum, out: string[]): void {
  out.push(`export const ${tsName(en)} = {`);
  for (const [name, value] of Object.entries(en.values)) out.push(`  ${name}: ${value},`);
  out.push('} as const;', '');
}

function walk(namespace: protobuf.NamespaceBase, out: string[]): void {
  for (const nested of namespace.nestedArray) {
    if (nested instanceof protobuf.Type) emitType(nested, out);
    else if (nested instanceof protobuf.Enum) emitEnum(nested, out);
    if (nested instanceof protobuf.Namespace || nested instanceof protobuf.Type) walk(nested, out);
  }
}

/** The text of onnx.generated.ts for the given .proto source. */
export function generate(source: string): string {
  const { root } = protobuf.parse(source, { keepCase: true });
  root.resolveAll();
  const descriptor = root.toJSON({ keepComments: false });
  const out = [
    '// Generated, do not edit. Source: src/onnx/proto/onnx.proto; generator: scripts/gen-onnx-proto.ts.',
    '/* eslint-disable */',
    '',
    '/** A 64-bit integer field as protobufjs decodes it: a number, or a Long where the `long` package is loaded. */',
    'export type Int64 = number | { readonly low: number; readonly high: number; readonly unsigned: boolean; toNumber(): number };',
    '',
  ];
  walk(root.lookup('onnx') as protobuf.Namespace, out);
  out.push('/** protobufjs JSON descriptor of onnx.proto (field names as in the .proto). */');
  out.push(`export const onnxDescriptor = ${JSON.stringify(descriptor, null, 1)};`, '');
  return out.join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(OUTPUT_PATH, generate(readFileSync(PROTO_PATH, 'utf8')));
  console.log(`wrote ${OUTPUT_PATH}`);
}
