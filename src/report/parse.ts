/**
 * Reading a job summary back from JSON (`quantkit report results.json`): checks the fields the
 * report reads, so a wrong or truncated file fails with a DataError naming the field, not with a
 * TypeError deep inside a chart. Summaries written before the report sections existed lack
 * `distributions`, `weight_ranges` and `integer_agreement`: those read as empty.
 */
import { DataError } from '../errors.ts';
import type { JobSummaryJSON } from '../ptq/job.ts';

type Kind = 'number' | 'string' | 'object' | 'array' | 'number|null';

class Checker {
  constructor(private readonly what: string) {}

  /** `value[key]` of the given kind; `path` names value in messages. */
  field(value: unknown, path: string, key: string, kind: Kind): unknown {
    const v = (this.object(value, path) as Record<string, unknown>)[key];
    const at = `${path}.${key}`;
    if (kind === 'array') this.array(v, at);
    else if (kind === 'object') this.object(v, at);
    else if (kind === 'number|null' ? !(v === null || typeof v === 'number') : typeof v !== kind) this.fail(at, `must be ${kind === 'number|null' ? 'a number or null' : `a ${kind}`}, got ${describe(v)}`);
    return v;
  }

  object(v: unknown, path: string): object {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(path, `must be an object, got ${describe(v)}`);
    return v as object;
  }

  array(v: unknown, path: string): readonly unknown[] {
    if (!Array.isArray(v)) this.fail(path, `must be an array, got ${describe(v)}`);
    return v as unknown[];
  }

  numbers(v: unknown, path: string, nulls = false): void {
    this.array(v, path).forEach((x, i) => {
      if (!(typeof x === 'number' || (nulls && x === null))) this.fail(`${path}[${i}]`, `must be a number, got ${describe(x)}`);
    });
  }

  fail(path: string, message: string): never {
    throw new DataError(`${this.what}: ${path.replace(/^\$\.?/, '') || 'the top level'} ${message}`);
  }
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'an array';
  return v === null ? 'null' : typeof v === 'object' ? 'an object' : JSON.stringify(v);
}

/**
 * Checks a parsed summary and returns it typed.
 * @param what names the source in messages (e.g. the file path).
 */
export function parseSummaryJSON(value: unknown, what = 'job summary'): JobSummaryJSON {
  const c = new Checker(what);
  const root = '$';
  c.object(value, root);
  const config = c.field(value, root, 'config', 'object');
  c.field(config, '$.config', 'method', 'string');
  c.field(config, '$.config', 'exclude', 'array');
  const layers = c.array(c.field(value, root, 'layers', 'array'), '$.layers');
  layers.forEach((l, i) => {
    const at = `$.layers[${i}]`;
    c.field(l, at, 'tensor', 'string');
    c.numbers(c.field(l, at, 'range', 'array'), `${at}.range`);
    c.field(l, at, 'sqnr_db', 'number|null');
    for (const key of ['clipped_fraction', 'bits', 'scale', 'zero_point']) c.field(l, at, key, 'number');
  });
  const plan = c.field(value, root, 'plan', 'object');
  for (const key of ['activations', 'weights', 'biases']) {
    const entries = c.field(plan, '$.plan', key, 'object') as Record<string, unknown>;
    for (const [name, entry] of Object.entries(entries)) {
      const at = `$.plan.${key}[${JSON.stringify(name)}]`;
      c.field(entry, at, 'bits', 'number');
      if (key === 'activations') {
        c.field(entry, at, 'group', 'string');
        c.numbers(c.field(entry, at, 'range', 'array'), `${at}.range`);
      } else c.field(entry, at, 'node', 'string');
    }
  }
  c.field(plan, '$.plan', 'floatNodes', 'array');
  const sizes = c.field(value, root, 'sizes', 'object');
  for (const key of ['float', 'quantized']) c.field(sizes, '$.sizes', key, 'number');
  c.field(value, root, 'calibration', 'object');
  const integer = c.field(value, root, 'integer', 'object');
  c.field(integer, '$.integer', 'fallbacks', 'array');
  c.field(integer, '$.integer', 'notes', 'array');
  c.field(value, root, 'accumulator_risks', 'array');
  c.field(value, root, 'format', 'string');
  const v = value as Record<string, unknown>;
  if (v.eval !== undefined) for (const key of ['samples', 'float', 'simulated', 'integer']) c.field(v.eval, '$.eval', key, 'number');
  for (const key of ['distributions', 'weight_ranges', 'integer_agreement']) if (v[key] !== undefined) c.field(value, root, key, 'array');
  ((v.distributions ?? []) as unknown[]).forEach((d, i) => {
    const at = `$.distributions[${i}]`;
    c.field(d, at, 'tensor', 'string');
    c.array(c.field(d, at, 'picks', 'array'), `${at}.picks`);
    c.array(c.field(d, at, 'curves', 'array'), `${at}.curves`);
    const h = (d as Record<string, unknown>).histogram;
    if (h !== undefined) c.numbers(c.field(h, `${at}.histogram`, 'counts', 'array'), `${at}.histogram.counts`);
  });
  ((v.weight_ranges ?? []) as unknown[]).forEach((w, i) => {
    const at = `$.weight_ranges[${i}]`;
    for (const key of ['node', 'input', 'output']) c.field(w, at, key, 'string');
    for (const key of ['mins', 'maxs']) c.numbers(c.field(w, at, key, 'array'), `${at}.${key}`);
  });
  ((v.integer_agreement ?? []) as unknown[]).forEach((a, i) => c.numbers(c.field(a, `$.integer_agreement[${i}]`, 'counts', 'array'), `$.integer_agreement[${i}].counts`));
  return { ...v, distributions: v.distributions ?? [], weight_ranges: v.weight_ranges ?? [], integer_agreement: v.integer_agreement ?? [] } as JobSummaryJSON;
}
