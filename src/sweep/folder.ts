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
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeJsonAtomic } from '../runfolder/atomic.js';
import { RunFolderError } from '../runfolder/errors.js';
import { sweepSpecSchema, type SweepPlan } from './spec.js';

export const SWEEP_FILE = 'sweep.json';
export const SUMMARY_FILE = 'summary.json';
export const RUNS_FILE = 'runs.json';
export const DONE_FILE = 'done.json';

/** sweep.json: enough to aggregate and to re-submit without the original sweep file. */
export const sweepFileSchema = z.object({
  kind: z.literal('infoscope-sweep'),
  version: z.literal(1),
  id: z.string(),
  folderName: z.string(),
  spec: sweepSpecSchema,
  settings: z.array(z.object({ id: z.string(), label: z.string(), params: z.record(z.string(), z.unknown()) })),
  runs: z.array(z.object({ id: z.string(), setting: z.string(), seed: z.number().int() })),
  createdAt: z.string(),
});
export type SweepFile = z.infer<typeof sweepFileSchema>;

export const doneSchema = z.object({ id: z.string(), status: z.enum(['completed', 'diverged']), finishedAt: z.string(), step: z.number().int() });
export type Done = z.infer<typeof doneSchema>;

export const finalRunDir = (sweepDir: string, id: string) => join(sweepDir, 'runs', id);
export const pendingRunDir = (sweepDir: string, id: string) => join(sweepDir, 'pending', id);

export function isSweepFolder(dir: string): boolean {
  return existsSync(join(dir, SWEEP_FILE));
}

export function readSweepFile(dir: string): SweepFile {
  const path = join(dir, SWEEP_FILE);
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new RunFolderError(`${path} is missing or not JSON`);
  }
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
