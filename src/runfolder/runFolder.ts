/**
 * The files of a run folder besides its checkpoints (checkpoints.ts) and paths (paths.ts): config,
 * meta, metrics, probe records and arrays. All writes are atomic; every reader checks the schema.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { appendJsonl, readJsonl, writeFileAtomic, writeJsonAtomic } from './atomic.js';
import { decodeNpy, encodeNpy } from './npy.js';
import type { RunPaths } from './paths.js';
import { upgradeStoredConfig } from '../config/migrate.js';
import { type Config, runConfigSchema } from '../config/schema.js';
import { type ArrayOrigin, arrayFileName, parseArrayFileName } from './arrays.js';
import { RunFolderError } from './errors.js';
import { readJson } from '../core/files.js';
import { lockHeld } from './lock.js';
import {
  type Meta,
  type MetricLine,
  type ProbeBatchInfo,
  type ProbeRecordLine,
  probeBatchInfoSchema,
  probeRecordSchema,
  metaSchema,
  metricLineSchema,
} from './schema.js';

const readJsonFile = (path: string, what: string): unknown => readJson(path, what, RunFolderError);

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

/** The last metric line with an evaluated perf (evaluation steps carry perf); undefined before the first. */
export function lastEvaluated(metrics: readonly MetricLine[]): MetricLine | undefined {
  for (let i = metrics.length - 1; i >= 0; i--) if (metrics[i].perf !== undefined) return metrics[i];
  return undefined;
}

export function readMetrics(p: RunPaths): MetricLine[] {
  const lines = readJsonl(p.metrics, checkedLines(p.metrics, 'metrics.jsonl', metricLineSchema));
  // one line per training step, in order: a duplicate, a line out of order or a gap would shift every curve
  for (let i = 1; i < lines.length; i++) {
    const [a, b] = [lines[i - 1].step, lines[i].step];
    if (b !== a + 1) throw new RunFolderError(`${p.metrics} line ${i + 1} has step ${b} after step ${a}: ${b <= a ? 'a duplicate or a line out of order' : `${b - a - 1} step(s) missing`}`);
  }
  return lines;
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

/**
 * The status a reader should show: a run whose meta says 'running' but whose writer holds no live
 * lock was killed, and is 'interrupted' (resumable).
 */
export function displayStatus(p: RunPaths, meta: Meta): Meta['status'] {
  return meta.status === 'running' && !lockHeld(p.dir) ? 'interrupted' : meta.status;
}

