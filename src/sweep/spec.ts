/**
 * A sweep file and its normal form. A sweep names a base config, the parameters that vary (lists
 * for a grid; ranges or lists to draw from with method "random"), the seeds every setting is
 * trained with, and the target perf that the "to target" summaries use.
 *
 *   sweep file --sweepSpecSchema--> SweepSpec --expandSweep--> SweepPlan (settings x seeds, each
 *   run's config in normal form, with a deterministic id)
 *
 * Every run's config goes through normalizeConfig, so a sweep is refused before anything trains if
 * any one of its runs would be.
 */
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { Xoshiro128 } from '../core/rng.js';
import { UserError } from '../core/errors.js';
import { readText } from '../core/files.js';
import { describeIssue, normalizeConfig } from '../config/normalize.js';
import { type Config, taskList } from '../config/schema.js';
import { DEFAULT_TARGET_PERF, SWEEP_METRICS } from '../stats/metrics.js';
import { canonicalJson, shortHash } from './ids.js';

const scalar = z.union([z.number(), z.string(), z.boolean()]);
const value = z.union([scalar, z.array(scalar)]);

/** A numeric range to draw from (method "random"): uniform, or log-uniform with log: true. */
const rangeSchema = z.strictObject({
  min: z.number(),
  max: z.number(),
  log: z.boolean().default(false),
  int: z.boolean().default(false),
});

const parameterSchema = z.union([z.array(value).min(1), rangeSchema]);


/** Default cap on settings x seeds: planning 10^4 runs takes about a second; more is refused unless asked for. */
export const MAX_SWEEP_RUNS = 10_000;

/** Keys that would reach an object's prototype where a dotted key is set. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The first key path in a parsed file that names __proto__, constructor or prototype, or null. */
function unsafeKeyIn(v: unknown, path: string[] = []): string | null {
  if (v === null || typeof v !== 'object') return null;
  for (const k of Object.keys(v)) {
    const here = [...path, k];
    if (k.split('.').some((part) => UNSAFE_KEYS.has(part))) return here.join('.');
    const deeper = unsafeKeyIn((v as Record<string, unknown>)[k], here);
    if (deeper) return deeper;
  }
  return null;
}

/** Keys of a run config a sweep sets itself, never a parameter. */
const RESERVED = new Set(['seed', 'out', 'name', 'configVersion']);

export const sweepSpecSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,47}$/, 'must be 1-48 letters, digits, ".", "_" or "-"')
    .default('sweep'),
  base: z.record(z.string(), z.unknown()).default({}),
  parameters: z.record(z.string().min(1), parameterSchema).default({}),
  method: z.enum(['grid', 'random']).default('grid'),
  /** Settings drawn with method "random". */
  runs: z.number().int().min(1).max(10_000).optional(),
  /** Seed of the random draws of settings (not of the runs). */
  sampleSeed: z.number().int().min(0).default(0),
  /** A list of seeds, or a count N meaning seeds 1..N. */
  seeds: z.union([z.array(z.number().int().min(0).max(2 ** 31 - 1)).min(1), z.number().int().min(1).max(1000)]).default(3),
  metrics: z.array(z.enum(SWEEP_METRICS)).min(1).default([...SWEEP_METRICS]),
  targetPerf: z.number().gt(0).max(1).default(DEFAULT_TARGET_PERF),
  /** The most runs (settings x seeds) a sweep may plan; checked before planning. */
  maxRuns: z.number().int().min(1).default(MAX_SWEEP_RUNS),
});
type SweepSpec = z.output<typeof sweepSpecSchema>;

type ParamValue = z.infer<typeof value>;

interface SweepSetting {
  /** Stable id of the parameter values, e.g. "s-3fa09c". */
  id: string;
  /** Human label, e.g. "model=rnn, rnn.lr=0.001". */
  label: string;
  params: Record<string, ParamValue>;
}

interface SweepRun {
  /** Deterministic id from the normalised config (seed included): "<task>-<model>-s<seed>-<hash>". */
  id: string;
  setting: string;
  seed: number;
  config: Config;
}

export interface SweepPlan {
  spec: SweepSpec;
  /** Stable id of the whole plan (its run ids); the sweep folder is <name>-<id>. */
  id: string;
  folderName: string;
  settings: SweepSetting[];
  runs: SweepRun[];
}

/** Read a sweep file (.json, .yaml or .yml); one sentence if it cannot be read or parsed. */
export function readSweepSpecFile(path: string): unknown {
  const text = readText(path, 'sweep file', UserError);
  const ext = extname(path).toLowerCase();
  try {
    return ext === '.yaml' || ext === '.yml' ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    throw new UserError(`sweep file ${path} is not valid ${ext === '.yaml' || ext === '.yml' ? 'YAML' : 'JSON'} (${(e as Error).message.split('\n')[0]})`);
  }
}

/** Validate a sweep spec at the door. */
export function parseSweepSpec(input: unknown, where = 'sweep'): SweepSpec {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new UserError(`${where} must be an object with "base", "parameters" and "seeds"`);
  const unsafe = unsafeKeyIn(input);
  if (unsafe) throw new UserError(`${where}: key "${unsafe}" is not allowed (__proto__, constructor and prototype are never config keys)`);
  const r = sweepSpecSchema.safeParse(input);
  if (!r.success) throw new UserError(`${where}: ${describeIssue(r.error.issues[0], input)}`);
  const spec = r.data;
  for (const [key, p] of Object.entries(spec.parameters)) {
    if (RESERVED.has(key)) throw new UserError(`${where}: parameter "${key}" is set by the sweep itself (use "seeds" for seeds, --artifacts for the output folder)`);
    if (!Array.isArray(p)) {
      if (spec.method !== 'random') throw new UserError(`${where}: parameter "${key}" is a range, which needs "method": "random" (a grid takes a list of values)`);
      if (!(p.max > p.min)) throw new UserError(`${where}: parameter "${key}" needs max > min, got ${p.min}..${p.max}`);
      if (p.log && p.min <= 0) throw new UserError(`${where}: parameter "${key}" is log-uniform, so min must be > 0, got ${p.min}`);
    }
  }
  if (spec.method === 'random' && spec.runs === undefined) throw new UserError(`${where}: "method": "random" needs "runs": the number of settings to draw`);
  if (spec.method === 'grid' && spec.runs !== undefined) throw new UserError(`${where}: "runs" is for "method": "random"; a grid runs every combination`);
  const seeds = seedList(spec);
  if (new Set(seeds).size !== seeds.length) throw new UserError(`${where}: "seeds" lists a seed twice`);
  const settings = spec.method === 'grid' ? Object.values(spec.parameters).reduce((n, p) => n * (p as unknown[]).length, 1) : (spec.runs as number);
  if (settings * seeds.length > spec.maxRuns) {
    throw new UserError(`${where}: ${settings.toLocaleString('en')} settings x ${seeds.length} seeds = ${(settings * seeds.length).toLocaleString('en')} runs, more than "maxRuns" (${spec.maxRuns.toLocaleString('en')}); raise "maxRuns" if you mean it`);
  }
  return spec;
}

function seedList(spec: SweepSpec): number[] {
  return Array.isArray(spec.seeds) ? spec.seeds : Array.from({ length: spec.seeds }, (_, i) => i + 1);
}

/** Set a dotted key ("rnn.lr") in a copy of a plain object. */
function setPath(obj: Record<string, unknown>, key: string, v: unknown): Record<string, unknown> {
  const parts = key.split('.');
  const out = structuredClone(obj);
  let cur = out;
  for (const p of parts.slice(0, -1)) {
    const next = cur[p];
    cur[p] = next !== null && typeof next === 'object' && !Array.isArray(next) ? next : {};
    cur = cur[p] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]] = v;
  return out;
}

function settingsOf(spec: SweepSpec): Array<Record<string, ParamValue>> {
  const keys = Object.keys(spec.parameters).sort();
  if (spec.method === 'grid') {
    let acc: Array<Record<string, ParamValue>> = [{}];
    for (const k of keys) acc = acc.flatMap((s) => (spec.parameters[k] as ParamValue[]).map((v) => ({ ...s, [k]: v })));
    return acc;
  }
  const rng = Xoshiro128.fromKey(`sweep-settings/${spec.sampleSeed}`);
  const out: Array<Record<string, ParamValue>> = [];
  for (let i = 0; i < (spec.runs as number); i++) {
    const s: Record<string, ParamValue> = {};
    for (const k of keys) {
      const p = spec.parameters[k];
      if (Array.isArray(p)) s[k] = p[Math.min(p.length - 1, Math.floor(rng.next() * p.length))];
      else {
        const u = rng.next();
        let v = p.log ? Math.exp(Math.log(p.min) + u * (Math.log(p.max) - Math.log(p.min))) : p.min + u * (p.max - p.min);
        if (p.int) v = Math.min(Math.floor(p.max), Math.max(Math.ceil(p.min), Math.round(v)));
        s[k] = Number(v.toPrecision(6));
      }
    }
    out.push(s);
  }
  return out;
}

function labelOf(params: Record<string, ParamValue>): string {
  const parts = Object.entries(params).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`);
  return parts.length ? parts.join(', ') : 'base';
}

/** Each sweep run trains on one thread unless the base says otherwise: the pool runs one per core. */
const SWEEP_RUN_DEFAULTS = { threads: 1 } as const;

/** The id a run gets from its config in normal form: the same config and seed, the same id. */
export function runIdOf(config: Config): string {
  const { out: _out, name: _name, ...identity } = config;
  const task = taskList(config).join('+').slice(0, 24);
  return `${task}-${config.model}-s${config.seed}-${shortHash(canonicalJson(identity), 10)}`;
}

/** Expand a spec into settings and runs; every run config is normalised (one sentence if one fails). */
export function expandSweep(spec: SweepSpec): SweepPlan {
  const settings: SweepSetting[] = [];
  const runs: SweepRun[] = [];
  const seen = new Map<string, string>();
  const runTexts = new Map<string, string>();
  for (const params of settingsOf(spec)) {
    const text = canonicalJson(params);
    const id = `s-${shortHash(text, 12)}`;
    if (seen.has(id)) {
      if (seen.get(id) === text) continue; // a random draw may repeat a setting of a small list
      throw new UserError(`sweep: settings ${seen.get(id)} and ${text} share the id ${id}; rename a parameter value`);
    }
    seen.set(id, text);
    const label = labelOf(params);
    settings.push({ id, label, params });
    let input: Record<string, unknown> = { ...SWEEP_RUN_DEFAULTS, ...spec.base };
    for (const [k, v] of Object.entries(params)) input = setPath(input, k, v);
    delete input.out;
    delete input.name;
    for (const seed of seedList(spec)) {
      let config: Config;
      try {
        config = normalizeConfig({ ...input, seed });
      } catch (e) {
        if (e instanceof UserError) throw new UserError(`sweep setting ${label}, seed ${seed}: ${e.message}`);
        throw e;
      }
      const runId = runIdOf(config);
      const { out: _o, name: _n, ...identity } = config;
      const runText = canonicalJson(identity);
      if (runTexts.has(runId) && runTexts.get(runId) !== runText) throw new UserError(`sweep: two different runs share the id ${runId}; change a parameter value`);
      if (runTexts.has(runId)) throw new UserError(`sweep setting ${label}, seed ${seed}: the same run as another setting's (a parameter that does not change the config?)`);
      runTexts.set(runId, runText);
      runs.push({ id: runId, setting: id, seed, config });
    }
  }
  const id = shortHash(runs.map((r) => r.id).join('\n'), 8);
  return { spec, id, folderName: `${spec.name}-${id}`, settings, runs };
}
