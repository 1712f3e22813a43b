/**
 * The sweep folder, <artifacts>/<name>-<plan id>/:
 *
 *   sweep.json          the spec and the plan (settings, run ids and seeds); written once
 *   pending/<run id>/   a run while it trains (a run folder; resumable)
 *   runs/<run id>/      a finished run, moved here by one rename; done.json inside is written last
 *   runs.json           the per-run summaries (runSummary.ts)
 *   summary.json        per setting: params, runs, metrics with intervals; comparisons (aggregate.ts)
 *   report.html         banded charts and the tables
 *
 * A run is finished exactly when runs/<id>/done.json exists, so a sweep re-submitted after a crash
 * skips finished runs and resumes the others from pending/.
 *
 * This file is the folder's contract and its read side alike: the sweep writes through it, and the
 * dashboard and `compare` read through it, without loading anything that runs a sweep.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { UserError } from '../core/errors.js';
import { readJson } from '../core/files.js';
import { writeJsonAtomic } from '../runfolder/atomic.js';
import { RunFolderError } from '../runfolder/errors.js';
import { lockHeld } from '../runfolder/lock.js';
import { isRunFolder } from '../runfolder/paths.js';
import { type RunSummary, summarizeRun } from '../stats/runSummary.js';
import { sweepSpecSchema, type SweepPlan } from './spec.js';

const SWEEP_FILE = 'sweep.json';
export const SUMMARY_FILE = 'summary.json';
export const RUNS_FILE = 'runs.json';
export const DONE_FILE = 'done.json';

/** sweep.json: enough to aggregate and to re-submit without the original sweep file. */
const sweepFileSchema = z.object({
  kind: z.literal('infoscope-sweep'),
  version: z.literal(1),
  id: z.string(),
  folderName: z.string(),
  spec: sweepSpecSchema,
  settings: z.array(z.object({ id: z.string(), label: z.string(), params: z.record(z.string(), z.unknown()) })),
  runs: z.array(z.object({ id: z.string(), setting: z.string(), seed: z.number().int() })),
  createdAt: z.string(),
});
type SweepFile = z.infer<typeof sweepFileSchema>;

const doneSchema = z.object({ id: z.string(), status: z.enum(['completed', 'diverged']), finishedAt: z.string(), step: z.number().int() });
export type Done = z.infer<typeof doneSchema>;

export const finalRunDir = (sweepDir: string, id: string) => join(sweepDir, 'runs', id);
export const pendingRunDir = (sweepDir: string, id: string) => join(sweepDir, 'pending', id);

export function isSweepFolder(dir: string): boolean {
  return existsSync(join(dir, SWEEP_FILE));
}

export function readSweepFile(dir: string): SweepFile {
  const path = join(dir, SWEEP_FILE);
  const v = readJson(path, 'sweep file', RunFolderError);
  const r = sweepFileSchema.safeParse(v);
  if (!r.success) throw new RunFolderError(`${path} is not a sweep file (${r.error.issues[0].path.join('.')}: ${r.error.issues[0].message})`);
  return r.data;
}

export function writeSweepFile(dir: string, plan: SweepPlan): void {
  const file: SweepFile = {
    kind: 'infoscope-sweep',
    version: 1,
    id: plan.id,
    folderName: plan.folderName,
    spec: plan.spec,
    settings: plan.settings,
    runs: plan.runs.map((r) => ({ id: r.id, setting: r.setting, seed: r.seed })),
    createdAt: new Date().toISOString(),
  };
  writeJsonAtomic(join(dir, SWEEP_FILE), file);
}

export function readDone(sweepDir: string, id: string): Done | null {
  const path = join(finalRunDir(sweepDir, id), DONE_FILE);
  if (!existsSync(path)) return null;
  try {
    return doneSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    return null;
  }
}

/** Runs of the plan without done.json, in plan order. */
export function unfinishedRuns(plan: SweepPlan, dir: string): SweepPlan['runs'] {
  return plan.runs.filter((r) => !readDone(dir, r.id));
}

/**
 * Summaries of the runs present in a sweep folder: finished ones always; with `live`, also runs
 * still training in pending/ (the dashboard's bands while a sweep runs).
 */
export function collectRunSummaries(dir: string, opts: { live?: boolean } = {}): Map<string, RunSummary> {
  const file = readSweepFile(dir);
  const out = new Map<string, RunSummary>();
  for (const r of file.runs) {
    const done = readDone(dir, r.id);
    const where = done ? finalRunDir(dir, r.id) : opts.live && isRunFolder(pendingRunDir(dir, r.id)) ? pendingRunDir(dir, r.id) : null;
    if (!where) continue;
    try {
      const s = summarizeRun(where, r.id, file.spec.targetPerf);
      // a run someone is training shows as running even between its own meta.json writes
      out.set(r.id, done ? { ...s, status: done.status } : lockHeld(where) ? { ...s, status: 'running' } : s);
    } catch (e) {
      if (!(e instanceof RunFolderError)) throw e;
    }
  }
  return out;
}

/** Every setting of each sweep folder as a group of its finished runs (`compare <sweep>...`). */
export function groupsOfSweeps(sweepDirs: string[]): Array<{ label: string; dirs: string[] }> {
  const many = sweepDirs.length > 1;
  return sweepDirs.flatMap((d) => {
    if (!isSweepFolder(d)) throw new UserError(`${d} is not a sweep folder (no sweep.json there)`);
    const f = readSweepFile(d);
    return f.settings.map((s) => ({
      label: many ? `${f.folderName}: ${s.label}` : s.label,
      dirs: f.runs.filter((r) => r.setting === s.id && readDone(d, r.id)).map((r) => finalRunDir(d, r.id)),
    }));
  });
}
