/** A run folder on disk: paths, meta, metrics and checkpoints. All writes are atomic. */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ModelState } from '../core/contracts.js';
import { appendJsonl, readJsonl, writeFileAtomic, writeJsonAtomic } from './atomic.js';
import { decodeNpy, encodeNpy } from './npy.js';
import { upgradeStoredConfig } from '../config/migrate.js';
import { type Config, runConfigSchema } from '../config/schema.js';
import { type ArrayOrigin, arrayFileName, parseArrayFileName } from './arrays.js';
import { RunFolderError } from './errors.js';
import { lockHeld } from './lock.js';
import {
  type CheckpointState,
  type Meta,
  type MetricLine,
  type ProbeBatchInfo,
  type ProbeRecordLine,
  checkpointStateSchema,
  probeBatchInfoSchema,
  probeRecordSchema,
  metaSchema,
  metricLineSchema,
} from './schema.js';


export interface RunPaths {
  dir: string;
  config: string;
  meta: string;
  metrics: string;
  probes: string;
  checkpoints: string;
  arrays: string;
  charts: string;
  probeBatch: string;
  report: string;
}

export function runPaths(dir: string): RunPaths {
  const d = resolve(dir);
  return {
    dir: d,
    config: join(d, 'config.json'),
    meta: join(d, 'meta.json'),
    metrics: join(d, 'metrics.jsonl'),
    probes: join(d, 'probes.jsonl'),
    checkpoints: join(d, 'checkpoints'),
    arrays: join(d, 'arrays'),
    charts: join(d, 'charts'),
    probeBatch: join(d, 'probe-batch.json'),
    report: join(d, 'report.html'),
  };
}

function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/**
 * Create a folder and its missing parents one level at a time, with one sentence for what stops it
 * (a file in the way, no permission, a file system that refuses). Node's recursive mkdir can loop
 * forever on pseudo file systems such as /proc, so it is not used here.
 */
export function ensureDir(path: string, what = 'output folder'): void {
  const abs = resolve(path);
  const missing: string[] = [];
  let cur = abs;
  for (;;) {
    let st;
    try {
      st = statSync(cur);
    } catch {
      missing.push(cur);
      const up = dirname(cur);
      if (up === cur) break;
      cur = up;
      continue;
    }
    if (!st.isDirectory()) throw new RunFolderError(`the ${what} ${path} cannot be made: ${cur} is a file, not a folder`);
    break;
  }
  for (const dir of missing.reverse()) {
    try {
      mkdirSync(dir);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && statSync(dir).isDirectory()) continue;
      throw new RunFolderError(`the ${what} ${path} cannot be made (${code ?? (e as Error).message} at ${dir})`);
    }
  }
}

/** Make runs/<name>-<yyyymmdd-hhmmss>/ (with a numeric suffix if that exists already). */
export function createRunFolder(outDir: string, name: string, now = new Date()): RunPaths {
  ensureDir(outDir);
  const base = `${name}-${stamp(now)}`;
  let dir = join(outDir, base);
  for (let i = 2; existsSync(dir); i++) dir = join(outDir, `${base}-${i}`);
  const paths = runPaths(dir);
  try {
    mkdirSync(dir);
    mkdirSync(paths.checkpoints);
  } catch (e) {
    throw new RunFolderError(`cannot make a run folder in ${outDir} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return paths;
}

/**
 * Make exactly `dir` (a sweep names its runs by id): its parent is created if missing, `dir` itself
 * must not exist yet.
 */
export function createRunFolderAt(dir: string): RunPaths {
  ensureDir(dirname(resolve(dir)));
  const paths = runPaths(dir);
  try {
    mkdirSync(dir);
    mkdirSync(paths.checkpoints);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new RunFolderError(code === 'EEXIST' ? `the run folder ${dir} exists already` : `cannot make the run folder ${dir} (${code ?? (e as Error).message})`);
  }
  return paths;
}

export function isRunFolder(dir: string): boolean {
  return existsSync(join(dir, 'config.json')) && existsSync(join(dir, 'meta.json'));
}

function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new RunFolderError(`${what} is missing: ${path}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new RunFolderError(`${what} is not valid JSON: ${path}`);
  }
}

/**
 * config.json as stored (files of config version 1 upgraded), checked for shape. Code that runs the
 * config again (resume, probe) passes it through normalizeConfig, the one door.
 */
export function readConfig(p: RunPaths): Config {
  const raw = upgradeStoredConfig(readJsonFile(p.config, 'config.json'));
  const r = runConfigSchema.safeParse(raw);
  if (!r.success) throw new RunFolderError(`config.json in ${p.dir} does not match the schema: ${r.error.issues[0]?.message}`);
  return raw as Config;
}

export function readProbeBatchInfo(p: RunPaths): ProbeBatchInfo | null {
  if (!existsSync(p.probeBatch)) return null;
  const r = probeBatchInfoSchema.safeParse(readJsonFile(p.probeBatch, 'probe-batch.json'));
  if (!r.success) throw new RunFolderError(`probe-batch.json in ${p.dir} does not match the schema: ${r.error.issues[0]?.message}`);
  return r.data;
}

export function writeProbeBatchInfo(p: RunPaths, info: ProbeBatchInfo): void {
  writeJsonAtomic(p.probeBatch, probeBatchInfoSchema.parse(info));
}

export function readMeta(p: RunPaths): Meta {
  const r = metaSchema.safeParse(readJsonFile(p.meta, 'meta.json'));
  if (!r.success) throw new RunFolderError(`meta.json in ${p.dir} does not match the schema: ${r.error.issues[0]?.message}`);
  return r.data;
}

export function writeMeta(p: RunPaths, meta: Meta): void {
  writeJsonAtomic(p.meta, metaSchema.parse(meta));
}

export function writeConfig(p: RunPaths, config: Config): void {
  writeJsonAtomic(p.config, config);
}

export function appendMetrics(p: RunPaths, lines: readonly MetricLine[]): void {
  appendJsonl(p.metrics, lines);
}

/** A zod-checked JSONL reader whose complaint is one sentence naming the file and line. */
function checkedLines<T>(path: string, what: string, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } } }): (v: unknown, line: number) => T {
  return (v, line) => {
    const r = schema.safeParse(v);
    if (r.success) return r.data;
    const i = r.error.issues[0];
    const key = i?.path.map(String).join('.') || '(line)';
    throw new RunFolderError(`${what} line ${line} in ${path} does not match its schema: "${key}" ${i?.message.replace(/^Invalid input: /, '').toLowerCase() ?? ''}`.trim());
  };
}

export function readMetrics(p: RunPaths): MetricLine[] {
  return readJsonl(p.metrics, checkedLines(p.metrics, 'metrics.jsonl', metricLineSchema));
}

/** Keep only metric lines up to `step` (those after the last checkpoint are recomputed on resume). */
export function truncateMetrics(p: RunPaths, step: number): void {
  const keep = readMetrics(p).filter((m) => m.step <= step);
  writeFileAtomic(p.metrics, keep.map((m) => JSON.stringify(m) + '\n').join(''));
}

/** Append probe records to probes.jsonl (non-finite values as null) and write their arrays atomically. */
export function writeProbeOutput(p: RunPaths, step: number, origin: ArrayOrigin, records: readonly ProbeRecordLine[], arrays: ReadonlyArray<{ name: string; data: Float32Array; shape: number[] }>): void {
  if (arrays.length > 0) mkdirSync(p.arrays, { recursive: true });
  for (const a of arrays) writeFileAtomic(join(p.arrays, arrayFileName(step, a.name, origin)), encodeNpy(a.data, a.shape));
  appendJsonl(p.probes, records.map((r) => ({ ...r, value: r.value !== null && Number.isFinite(r.value) ? r.value : null })));
}

/** Arrays under arrays/ as (file, step, stem, origin), in name order. */
export function listArrays(p: RunPaths): Array<{ file: string; step: number; stem: string; origin: ArrayOrigin }> {
  if (!existsSync(p.arrays)) return [];
  return readdirSync(p.arrays)
    .sort()
    .map((file) => ({ file, parsed: parseArrayFileName(file) }))
    .filter((x): x is { file: string; parsed: NonNullable<ReturnType<typeof parseArrayFileName>> } => x.parsed !== null)
    .map(({ file, parsed }) => ({ file, ...parsed }));
}

export function readArray(p: RunPaths, file: string): { data: Float32Array | Float64Array | Int32Array; shape: number[] } {
  const path = join(p.arrays, file);
  try {
    return decodeNpy(readFileSync(path));
  } catch (e) {
    throw new RunFolderError(`array ${file} in ${p.dir} is damaged (${(e as Error).message})`);
  }
}

export function readProbes(p: RunPaths): ProbeRecordLine[] {
  return readJsonl(p.probes, checkedLines(p.probes, 'probes.jsonl', probeRecordSchema));
}

/** On resume: drop training-time probe records and arrays after the checkpoint being resumed from (post-hoc ones stay). */
export function truncateProbes(p: RunPaths, step: number): void {
  const keep = readProbes(p).filter((r) => r.origin === 'posthoc' || r.step <= step);
  writeFileAtomic(p.probes, keep.map((r) => JSON.stringify(r) + '\n').join(''));
  for (const a of listArrays(p)) if (a.step > step && a.origin === 'train') rmSync(join(p.arrays, a.file));
}

const CKPT_RE = /^step-(\d+)$/;
const CKPT_TMP_RE = /^step-\d+\.tmp-\d+$/;

/** Remove checkpoint folders a killed writer left half-written (only call while holding the run's lock). */
export function removeStaleCheckpointTemps(p: RunPaths): string[] {
  if (!existsSync(p.checkpoints)) return [];
  const stale = readdirSync(p.checkpoints).filter((n) => CKPT_TMP_RE.test(n));
  for (const n of stale) rmSync(join(p.checkpoints, n), { recursive: true, force: true });
  return stale;
}

/**
 * The status a reader should show: a run whose meta says 'running' but whose writer holds no live
 * lock was killed, and is 'interrupted' (resumable).
 */
export function displayStatus(p: RunPaths, meta: Meta): Meta['status'] {
  return meta.status === 'running' && !lockHeld(p.dir) ? 'interrupted' : meta.status;
}

export function checkpointDir(p: RunPaths, step: number): string {
  return join(p.checkpoints, `step-${String(step).padStart(7, '0')}`);
}

/** Steps of complete checkpoints, ascending (a checkpoint is complete once its folder is renamed into place). */
export function listCheckpoints(p: RunPaths): number[] {
  if (!existsSync(p.checkpoints)) return [];
  return readdirSync(p.checkpoints)
    .map((n) => CKPT_RE.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

export function writeCheckpoint(p: RunPaths, step: number, model: ModelState, seed: number, backend: string): string {
  const final = checkpointDir(p, step);
  const tmp = `${final}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const arrays: CheckpointState['arrays'] = {};
  for (const [name, data] of Object.entries(model.arrays)) {
    const file = `${name}.npy`;
    writeFileSync(join(tmp, file), encodeNpy(data, [data.length]));
    arrays[name] = { file, length: data.length };
  }
  const state: CheckpointState = {
    step,
    model: { kind: model.kind, scalars: model.scalars },
    arrays,
    rng: { scheme: 'per-step-keys', seed, nextStep: step + 1 },
    backend,
    savedAt: new Date().toISOString(),
  };
  writeJsonAtomic(join(tmp, 'state.json'), state);
  rmSync(final, { recursive: true, force: true });
  renameSync(tmp, final);
  return final;
}

export function readCheckpoint(p: RunPaths, step: number): { state: CheckpointState; model: ModelState } {
  const dir = checkpointDir(p, step);
  const parsed = checkpointStateSchema.safeParse(readJsonFile(join(dir, 'state.json'), 'checkpoint state.json'));
  if (!parsed.success) throw new RunFolderError(`checkpoint ${dir} is damaged: ${parsed.error.issues[0]?.message}`);
  const state = parsed.data;
  const arrays: Record<string, Float32Array | Float64Array> = {};
  for (const [name, { file, length }] of Object.entries(state.arrays)) {
    let data;
    try {
      data = decodeNpy(readFileSync(join(dir, file))).data;
    } catch (e) {
      throw new RunFolderError(`checkpoint array ${file} in ${dir} is damaged (${(e as Error).message})`);
    }
    if (data instanceof Int32Array || data.length !== length) throw new RunFolderError(`checkpoint array ${file} in ${dir} is damaged (${data.length} values, expected ${length})`);
    arrays[name] = data;
  }
  return { state, model: { kind: state.model.kind, scalars: state.model.scalars, arrays } };
}
