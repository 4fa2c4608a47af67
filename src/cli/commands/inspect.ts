/** `quantkit inspect <model.onnx>`: inputs, outputs, ops (and which are unsupported), parameters. */
import type { Command } from 'commander';
import type { ValueInfo } from '../../ir/graph.ts';
import { summarizeGraph } from '../../ir/summary.ts';
import { formatShape } from '../../ir/tensor.ts';
import { quantizedForm } from '../../onnx/qoperator/import.ts';
import { prepareQuantizedModel } from '../../runtime/integer/load.ts';
import { simulatedKernels } from '../../runtime/kernels/simulated/register.ts';
import { integerKernels } from '../../runtime/kernels/integer/register.ts';
import { loadModel } from '../files.ts';
import { printJson, table } from '../format.ts';

export function inspectCommand(program: Command): void {
  program
    .command('inspect')
    .description('show a model: inputs, outputs, op histogram, unsupported ops, parameter count and bytes')
    .argument('<model>', 'ONNX model file')
    .option('--json', 'print one JSON object')
    .addHelpText('after', '\nExample:\n  quantkit inspect models/mnist-8.onnx\n  quantkit inspect models/mnist-8.onnx --json')
    .action((path: string, options: { json?: boolean }) => {
      const loaded = loadModel(path);
      const { model, upgrades } = loaded;
      const summary = summarizeGraph(model.graph);
      const simulated = simulatedKernels();
      const integer = integerKernels();
      const unsupported = summary.ops.map(([op]) => op).filter((op) => {
        const [domain, name] = op.includes('::') ? op.split('::') : ['', op];
        return !simulated.has(name, domain) && !integer.has(name, domain);
      });
      const form = quantizedForm(model);
      const lowering = form === 'float' || unsupported.length > 0 ? undefined : prepareQuantizedModel(model).lowering;
      const io = (v: ValueInfo) => ({ name: v.name, dtype: v.dtype ?? null, shape: v.shape ?? null });
      const result = {
        model: path,
        bytes: loaded.bytes,
        irVersion: model.irVersion,
        opsets: Object.fromEntries(model.opsets),
        producer: [model.producerName, model.producerVersion].filter(Boolean).join(' ') || null,
        inputs: model.graph.inputs.map(io),
        outputs: model.graph.outputs.map(io),
        nodes: summary.nodes,
        ops: Object.fromEntries(summary.ops),
        unsupportedOps: unsupported,
        parameters: summary.parameters,
        parameterBytes: summary.parameterBytes,
        parametersByDtype: summary.parametersByDtype,
        upgrades: upgrades.map((u) => ({ node: u.node, op: u.opType, from: u.fromOpset, to: u.toOpset, change: u.change })),
        quantized: form,
        ...(lowering ? { integer: { floatNodes: lowering.floatNodes, fallbacks: lowering.fallbacks, overflowRisks: lowering.overflowRisks.map((r) => r.node) } } : {}),
      };
      if (options.json) return printJson(result);
      console.log(`${path}: ONNX IR ${result.irVersion}, opset ${[...model.opsets].map(([d, v]) => (d === '' ? `${v}` : `${d} ${v}`)).join(', ')}${result.producer ? `, made by ${result.producer}` : ''}, ${result.bytes} bytes`);
      console.log('\ninputs');
      console.log(table(['name', 'dtype', 'shape'], model.graph.inputs.map((v) => [v.name, v.dtype ?? '?', formatShape(v.shape ?? [])])));
      console.log('\noutputs');
      console.log(table(['name', 'dtype', 'shape'], model.graph.outputs.map((v) => [v.name, v.dtype ?? '?', formatShape(v.shape ?? [])])));
      console.log(`\n${summary.nodes} nodes`);
      console.log(table(['op', 'count', 'supported'], summary.ops.map(([op, n]) => [op, String(n), unsupported.includes(op) ? 'NO' : 'yes'])));
      const dtypes = Object.entries(summary.parametersByDtype).map(([d, n]) => `${n} ${d}`).join(', ');
      console.log(`\nparameters: ${summary.parameters} (${summary.parameterBytes} bytes${dtypes ? `; ${dtypes}` : ''})`);
      if (unsupported.length > 0) console.log(`unsupported ops: ${unsupported.join(', ')}`);
      if (form !== 'float') console.log(`\nquantized (${form} form)`);
      if (lowering) {
        if (lowering.fallbacks.length === 0) console.log('integer executor: every layer runs in integer arithmetic');
        for (const f of lowering.fallbacks) console.log(`integer executor runs ${f.node} (${f.opType}) in float: ${f.reason}`);
        for (const r of lowering.overflowRisks) console.log(`warning: ${r.node} could overflow its int32 accumulator (bound ${r.bound.toExponential(2)})`);
      }
      if (upgrades.length > 0) {
        console.log(`\nupgraded from opset ${upgrades[0].fromOpset} on import:`);
        for (const u of upgrades) console.log(`  ${u.node} (${u.opType}): ${u.change}`);
      }
    });
}
