/** Which nodes compute in float, and why: left unquantized by the plan, or by the integer lowering. */
import { code, table } from '../markup.ts';
import type { ReportSection } from './section.ts';

export const floatNodesSection: ReportSection = {
  id: 'float-nodes',
  title: 'Nodes that run in float',
  render(data) {
    const intro =
      '<p>Integer-only execution quantizes each graph input once and dequantizes each graph output; everything between runs on integers except the nodes listed here.</p>';
    if (data.floatNodes.length === 0) return { html: `${intro}<p>None: every node runs in integer arithmetic.</p>`, charts: [] };
    const rows = data.floatNodes.map((f) => [f.stage === 'plan' ? 'not quantized' : 'integer execution', code(f.node), f.opType ?? '', f.reason]);
    return { html: intro + table(['where', 'node', 'op', 'why'], rows), charts: [] };
  },
};
