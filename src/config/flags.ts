/**
 * The command line's view of the config: one table of flags, each naming the config key it sets.
 * Help texts and defaults are read from the schemas (so `--help` shows every default and never
 * disagrees with what a run uses), and flag values are applied to the config input here, in the
 * config module, before it goes through normalizeConfig like any other input.
 */
import type { z } from 'zod';
import { modelRegistry } from '../../models/registry.js';
import { UserError } from '../core/errors.js';
import { RUN_DEFAULTS, runConfigSchema } from './schema.js';

/** How a flag's text becomes a value. */
type FlagKind = 'int' | 'num' | 'str' | 'list' | 'bool';

interface FlagSpec {
  /** commander syntax: '--steps <n>' or '--search'. */
  flags: string;
  /**
   * Config key it sets: 'steps', 'stimulus.dt', 'rnn.lr', or '@model.hidden' for the section of the
   * chosen model. Empty for flags that are rules over several keys (--trials).
   */
  path: string;
  kind: FlagKind;
  /** Used where the schema has no description. */
  help?: string;
}

export const trainFlags: readonly FlagSpec[] = [
  { flags: '--preset <name>', path: 'preset', kind: 'str' },
  { flags: '--task <names>', path: 'task', kind: 'list' },
  { flags: '--model <kind>', path: 'model', kind: 'str' },
  { flags: '--steps <n>', path: 'steps', kind: 'int' },
  { flags: '--trials <n>', path: '', kind: 'int', help: 'training trials in all: sets --steps to ceil(trials / batch)' },
  { flags: '--batch <n>', path: 'batch', kind: 'int' },
  { flags: '--seed <n>', path: 'seed', kind: 'int' },
  { flags: '--out <dir>', path: 'out', kind: 'str' },
  { flags: '--name <name>', path: 'name', kind: 'str' },
  { flags: '--checkpoint-every <n>', path: 'checkpointEvery', kind: 'int' },
  { flags: '--eval-every <n>', path: 'evalEvery', kind: 'int' },
  { flags: '--target-perf <p>', path: 'targetPerf', kind: 'num' },
  { flags: '--probe-every <n>', path: 'probeEvery', kind: 'int' },
  { flags: '--probe-trials <n>', path: 'probeTrials', kind: 'int' },
  { flags: '--probe-thread <where>', path: 'probeThread', kind: 'str' },
  { flags: '--threads <n>', path: 'threads', kind: 'int' },
  { flags: '--backend <name>', path: 'backend', kind: 'str' },
  { flags: '--dt <ms>', path: 'stimulus.dt', kind: 'num' },
  { flags: '--hidden <n>', path: '@model.hidden', kind: 'int' },
  { flags: '--activation <f>', path: 'rnn.activation', kind: 'str' },
  { flags: '--lr <x>', path: 'rnn.lr', kind: 'num' },
  { flags: '--ridge <x>', path: 'reservoir.ridge', kind: 'num' },
  { flags: '--spectral-radius <x>', path: 'reservoir.spectralRadius', kind: 'num' },
  { flags: '--leak <x>', path: 'reservoir.leak', kind: 'num' },
  { flags: '--input-scale <x>', path: 'reservoir.inputScale', kind: 'num' },
  { flags: '--search', path: 'reservoir.search', kind: 'bool' },
];

/** commander's attribute name of a flag: '--spectral-radius <x>' -> 'spectralRadius'. */
function attributeName(flags: string): string {
  return flags
    .split(' ')[0]
    .replace(/^--/, '')
    .replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

type AnySchema = z.ZodType & { def: Record<string, unknown>; description?: string };

function unwrap(s: AnySchema): AnySchema {
  let cur = s;
  while (['default', 'optional', 'nullable', 'prefault'].includes(cur.def.type as string)) cur = cur.def.innerType as AnySchema;
  return cur;
}

function fieldOf(object: AnySchema, key: string): AnySchema | undefined {
  const shape = (unwrap(object) as unknown as { shape?: Record<string, AnySchema> }).shape;
  return shape?.[key];
}

function defaultOf(s: AnySchema | undefined): unknown {
  let cur = s;
  while (cur) {
    if (cur.def.type === 'default') {
      const d = cur.def.defaultValue;
      return typeof d === 'function' ? (d as () => unknown)() : d;
    }
    if (!['optional', 'nullable'].includes(cur.def.type as string)) return undefined;
    cur = cur.def.innerType as AnySchema;
  }
  return undefined;
}

function describeOf(s: AnySchema | undefined): string | undefined {
  let cur = s;
  while (cur) {
    if (cur.description) return cur.description;
    if (!['default', 'optional', 'nullable'].includes(cur.def.type as string)) return undefined;
    cur = cur.def.innerType as AnySchema;
  }
  return undefined;
}

/** The schemas a path points into: one per model for '@model.x', else one. */
function schemasAt(path: string): Array<{ label: string | null; schema: AnySchema | undefined }> {
  const [head, ...rest] = path.split('.');
  const modelField = (m: string) => {
    const s = modelRegistry.get(m).optionsSchema as AnySchema | undefined;
    return s && fieldOf(s, rest[0]);
  };
  if (head === '@model') return modelRegistry.names().map((m) => ({ label: m, schema: modelField(m) })).filter((x) => x.schema);
  if (modelRegistry.has(head)) return [{ label: null, schema: modelField(head) }];
  let s = fieldOf(runConfigSchema as unknown as AnySchema, head);
  for (const k of rest) s = s && fieldOf(s, k);
  return [{ label: null, schema: s }];
}

/** Choices of an enum-valued key, for commander's .choices(). */
export function choicesOf(spec: FlagSpec): string[] | undefined {
  if (!spec.path) return undefined;
  const s = schemasAt(spec.path)[0]?.schema;
  const inner = s && unwrap(s);
  return inner?.def.type === 'enum' ? ((inner as unknown as { options: string[] }).options) : undefined;
}

const show = (v: unknown) => (Array.isArray(v) ? v.join(',') : v === null ? 'none' : String(v));

/** "description (default: X)", the defaults read from the schemas (and the models' own budgets). */
export function flagHelp(spec: FlagSpec): string {
  if (!spec.path) return spec.help ?? '';
  const at = schemasAt(spec.path);
  const text = spec.help ?? describeOf(at[0]?.schema) ?? spec.path;
  const [head] = spec.path.split('.');
  const where = modelRegistry.has(head) ? ` [${head}]` : '';
  if (head in RUN_DEFAULTS) {
    const key = head as keyof typeof RUN_DEFAULTS;
    const own = modelRegistry
      .names()
      .map((m) => [m, modelRegistry.get(m).runDefaults?.[key]] as const)
      .filter(([, v]) => v !== undefined)
      .map(([m, v]) => `${m}: ${v}`);
    return `${text} (default: ${RUN_DEFAULTS[key]}${own.length ? `; ${own.join(', ')}` : ''})`;
  }
  const defaults = at.map((x) => [x.label, defaultOf(x.schema)] as const).filter(([, v]) => v !== undefined);
  if (defaults.length === 0) return `${text}${where}`;
  if (defaults.length === 1 && defaults[0][0] === null) return `${text}${where} (default: ${show(defaults[0][1])})`;
  return `${text} (default: ${defaults.map(([m, v]) => `${m} ${show(v)}`).join(', ')})`;
}

/** Parse a flag's text; a bad value is one sentence and exit 2. */
export function parseFlagValue(spec: FlagSpec, text: string): unknown {
  const name = spec.flags.split(' ')[0];
  if (spec.kind === 'int') {
    if (!/^-?\d+$/.test(text.trim())) throw new UserError(`${name} must be an integer, got "${text}"`);
    return Number(text);
  }
  if (spec.kind === 'num') {
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n)) throw new UserError(`${name} must be a number, got "${text}"`);
    return n;
  }
  if (spec.kind === 'list') return text.includes(',') ? text.split(',').map((s) => s.trim()) : text;
  return text;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let cur = target;
  for (const k of path.slice(0, -1)) {
    const next = cur[k];
    cur[k] = next !== null && typeof next === 'object' && !Array.isArray(next) ? { ...(next as Record<string, unknown>) } : {};
    cur = cur[k] as Record<string, unknown>;
  }
  cur[path[path.length - 1]] = value;
}

/**
 * Apply parsed flag values (commander's option object) on top of a config input (a config file or
 * {}): flags win. '@model' resolves to the model the result will use; --trials sets steps from the
 * batch the result will use.
 */
export function applyFlags(input: Record<string, unknown>, values: Record<string, unknown>, table: readonly FlagSpec[] = trainFlags): Record<string, unknown> {
  const out: Record<string, unknown> = { ...input };
  for (const spec of table) {
    const v = values[attributeName(spec.flags)];
    if (v === undefined || !spec.path) continue;
    const model = String(values.model ?? out.model ?? defaultOf(runConfigSchema.shape.model as unknown as AnySchema));
    setPath(out, spec.path.replace(/^@model/, model).split('.'), v);
  }
  if (values.trials !== undefined) {
    const trials = Number(values.trials);
    if (!Number.isInteger(trials) || trials < 1) throw new UserError(`--trials must be a positive integer, got ${values.trials}`);
    const batch = Number(out.batch ?? defaultOf(runConfigSchema.shape.batch as unknown as AnySchema));
    out.steps = Math.ceil(trials / batch);
  }
  return out;
}
