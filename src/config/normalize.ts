/**
 * The one door every config goes through: train(), resume(), `infoscope probe`, the CLI and the
 * library all call normalizeConfig once and hand the normal form on. Nothing downstream validates
 * or defaults again.
 *
 *   input --runConfigSchema--> run fields --registries--> tasks, timing, model section, probe specs
 *         --budget defaults of the model--> Config (normal form, what config.json holds)
 *
 * Every problem is one sentence naming the key (UserError, exit 2).
 */
import { z } from 'zod';
import { getModel, modelRegistry } from '../../models/registry.js';
import { probeRegistry } from '../../probes/hooks/registry.js';
import { layoutFromOptions } from '../../tasks/layout.js';
import { taskRegistry } from '../../tasks/registry.js';
import { TASK_SETS, paperWeight } from '../../tasks/sets.js';
import { applyPreset } from './presets.js';
import { UserError } from '../core/errors.js';
import { CONFIG_VERSION, type Config, type ProbeSpec, RUN_DEFAULTS, type RunBudget, runConfigSchema, taskList } from './schema.js';

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/** Keys that moved in config version 2, for a pointed message when an old config is given. */
const MOVED: Record<string, { to: string; since: number }> = Object.assign(Object.create(null) as Record<string, { to: string; since: number }>, {
  lr: { to: 'rnn.lr', since: 2 },
  nRules: { to: 'stimulus.nRules', since: 2 },
  'rnn.dt': { to: 'stimulus.dt', since: 2 },
  'rnn.sigmaX': { to: 'stimulus.sigmaX', since: 2 },
  // one time constant sets the RNN's leak and the input noise, as in the reference
  'rnn.tau': { to: 'stimulus.tau', since: 3 },
});

const movedNote = (k: string) => `; since config version ${MOVED[k].since} it is "${MOVED[k].to}"`;

/** One sentence for the first zod issue; `prefix` is the path of the section that was parsed. */
export function describeIssue(issue: z.core.$ZodIssue, input: unknown, prefix: readonly PropertyKey[] = []): string {
  const path = [...prefix, ...issue.path];
  const key = path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const where = key ? ` in "${key}"` : '';
    const keys = issue.keys.map((k) => `"${k}"`).join(', ');
    const moved = issue.keys.map((k) => (key ? `${key}.${k}` : k)).find((k) => MOVED[k]);
    return `invalid config: unknown key ${keys}${where}${moved ? movedNote(moved) : ''}`;
  }
  const got = valueAt(input, issue.path);
  const shown = got === undefined ? '' : ` (got ${JSON.stringify(got)})`;
  const msg = issue.message.replace(/^Invalid input: /, '');
  return `invalid config: "${key || '(root)'}" ${msg.charAt(0).toLowerCase()}${msg.slice(1)}${shown}`;
}

function parseSection<S extends z.ZodType>(schema: S, input: unknown, path: string[]): z.output<S> {
  const r = schema.safeParse(input ?? {});
  if (!r.success) throw new UserError(describeIssue(r.error.issues[0], input, path));
  return r.data;
}

/** What a registered model, task or hook without a schema of its own accepts: nothing. */
const noOptions = z.strictObject({});

function fail(msg: string): never {
  throw new UserError(`invalid config: ${msg}`);
}

/** Validate a config and fill every default: the normal form that config.json holds. */
export function normalizeConfig(input: unknown): Config {
  if (input !== undefined && (input === null || typeof input !== 'object' || Array.isArray(input))) fail('a config must be a JSON object');
  const raw = applyPreset((input ?? {}) as Record<string, unknown>).input;
  const parsed = parseSection(runConfigSchema, raw, []);

  // tasks: registered names or sets, each once
  const task = expandTasks(parsed.task);
  const run = { ...parsed, task };
  const tasks = taskList(run);
  const taskWeights = weightsFor(tasks, parsed.taskWeights);

  // timing overrides: each key must be known to one of the run's tasks, and valid for every task that knows it
  const timing: Record<string, number | number[]> = {};
  const known = new Set<string>();
  for (const t of tasks) {
    const schema = taskRegistry.get(t).timingSchema ?? noOptions;
    const keys = Object.keys(schema.shape);
    for (const k of keys) known.add(k);
    const mine = Object.fromEntries(Object.entries(run.timing).filter(([k]) => keys.includes(k)));
    Object.assign(timing, parseSection(schema, mine, ['timing']));
  }
  for (const k of Object.keys(run.timing)) if (!known.has(k)) fail(`unknown key "${k}" in "timing"; the run's tasks take ${[...known].join(', ')}`);
  const layout = layoutFromOptions(run.stimulus, timing);
  for (const t of tasks) {
    const problem = taskRegistry.get(t).checkTiming?.(layout);
    if (problem) fail(`"timing" breaks a trial of ${problem}`);
  }

  // the model and its section; any other extra key must be another registered model's section
  if (!modelRegistry.has(run.model)) fail(`"model" names unknown model "${run.model}"; known models: ${modelRegistry.names().join(', ')}`);
  const factory = getModel(run.model);
  const base = new Set(Object.keys(runConfigSchema.shape));
  const sections: Record<string, Record<string, unknown>> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (base.has(k)) continue;
    if (!modelRegistry.has(k)) {
      fail(MOVED[k] ? `unknown key "${k}"${movedNote(k)}` : `unknown key "${k}" (not a run setting nor a model section: ${modelRegistry.names().join(', ')})`);
    }
    sections[k] = parseSection(getModel(k).optionsSchema ?? noOptions, v, [k]);
  }
  sections[run.model] ??= parseSection(factory.optionsSchema ?? noOptions, {}, [run.model]);

  // training budget: what the user gave, else the model's default, else the run default
  const budget = {} as RunBudget;
  for (const key of Object.keys(RUN_DEFAULTS) as (keyof RunBudget)[]) budget[key] = run[key] ?? factory.runDefaults?.[key] ?? RUN_DEFAULTS[key];

  if (run.probeMaxTrials !== null && run.probeMaxTrials < run.probeTrials) fail(`"probeMaxTrials" (${run.probeMaxTrials}) must be at least "probeTrials" (${run.probeTrials})`);
  if (run.probeTrials < run.probeDirections) fail(`"probeTrials" (${run.probeTrials}) must be at least "probeDirections" (${run.probeDirections}): every direction needs trials`);
  // a run with several tasks also measures which task the layer is doing and its clusters, unless its probes are given
  const probeList = raw.probes === undefined && tasks.length > 1 ? [...run.probes, { hook: 'rule' }, { hook: 'clusters' }] : run.probes;
  const probes = probeList.map((p, i) => normalizeProbeSpec(p, i, { trials: run.probeTrials, directions: run.probeDirections }));

  const { configVersion: _v, probes: _p, steps: _s, checkpointEvery: _c, evalEvery: _e, probeEvery: _pe, ...rest } = run;
  return { configVersion: CONFIG_VERSION, ...rest, taskWeights, timing, ...budget, probes, ...sections } as Config;
}

/** A config's `task` as the normal form keeps it: one name, or a list where a set or several names were given. */
function expandTasks(task: string | string[]): string | string[] {
  const names = (Array.isArray(task) ? task : [task]).flatMap((t) => TASK_SETS[t] ?? [t]);
  for (const t of names) {
    if (!taskRegistry.has(t)) fail(`"task" names unknown task "${t}"; known tasks: ${taskRegistry.names().join(', ')}; sets: ${Object.keys(TASK_SETS).join(', ')}`);
  }
  const twice = names.find((t, i) => names.indexOf(t) !== i);
  if (twice) fail(`"task" names "${twice}" twice; give each task once (weights go in "taskWeights")`);
  return names.length === 1 && !Array.isArray(task) && !TASK_SETS[task] ? names[0] : names;
}

/** Sampling weights of the run's tasks: the given ones, the paper's for the rest; not all zero. */
function weightsFor(tasks: string[], given: Record<string, number> | undefined): Record<string, number> {
  for (const k of Object.keys(given ?? {})) if (!tasks.includes(k)) fail(`"taskWeights" names "${k}", which is not one of the run's tasks (${tasks.join(', ')})`);
  const w = Object.fromEntries(tasks.map((t) => [t, given?.[t] ?? paperWeight(t)]));
  if (Object.values(w).every((v) => v === 0)) fail('"taskWeights" are all zero: no task would ever be trained');
  return w;
}

function normalizeProbeSpec(p: { hook: string; estimators?: string[]; options?: Record<string, unknown> }, i: number, size: { trials: number; directions: number }): ProbeSpec {
  const where = `"probes.${i}"`;
  if (!probeRegistry.has(p.hook)) fail(`${where} names unknown probe hook "${p.hook}"; known hooks: ${probeRegistry.names().join(', ')}`);
  const hook = probeRegistry.get(p.hook);
  const estimators = p.estimators ?? [...hook.defaultEstimators];
  for (const e of estimators) if (!hook.estimators.includes(e)) fail(`probe hook "${p.hook}" has no estimator "${e}"; it offers ${hook.estimators.join(', ')}`);
  const options = parseSection(hook.optionsSchema ?? noOptions, p.options ?? {}, ['probes', String(i), 'options']);
  const problem = hook.check?.(options, size);
  if (problem) fail(`${where} (${p.hook}): ${problem}`);
  return { hook: p.hook, estimators, options };
}

