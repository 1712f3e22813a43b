/**
 * The one entry every executor's child goes through (a local-pool process, a queue worker's
 * sandboxed processor): it executes only an infoscope run described by a validated job. The job
 * must match runJobSchema, its config passes the same normaliser as any config, and the run id
 * must be the one the config hashes to (runOne.ts checks it), so an id can never name a path
 * outside its sweep folder.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { normalizeConfig } from '../config/normalize.js';
import { checkRunMemory } from '../engine/memory.js';
import type { ProgressSink } from '../engine/progress.js';
import { isSweepFolder, readSweepFile } from './folder.js';
import { type RunOutcome, executeRun } from './runOne.js';

const folderName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,120}$/);
const runId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.+-]{0,120}$/);

/** A run to execute: the folder that holds its sweep folder, the sweep folder's name, the run. */
const runJobSchema = z.strictObject({ artifacts: z.string().min(1), folder: folderName, run: z.strictObject({ id: runId, config: z.record(z.string(), z.unknown()) }) });
export type RunJob = z.infer<typeof runJobSchema>;

/** Why a job was refused before anything ran: it is not an infoscope run (never retried). */
export class RefusedJobError extends Error {}

/**
 * Validate a job and execute it. `artifacts` replaces the job's own folder where this machine
 * mounts the shared artifacts elsewhere (`worker --artifacts`).
 */
export async function runJob(data: unknown, opts: { artifacts?: string; shouldStop?: () => boolean; onProgress?: ProgressSink } = {}): Promise<RunOutcome> {
  const parsed = runJobSchema.safeParse(data);
  if (!parsed.success) throw new RefusedJobError(`refused: not an infoscope run job (${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message})`);
  const job = parsed.data;
  const config = normalizeConfig(job.run.config);
  try {
    checkRunMemory(config); // a run that cannot fit is refused here, once, not retried on every worker
  } catch (e) {
    throw new RefusedJobError(`refused: ${(e as Error).message}`);
  }
  const dir = join(opts.artifacts ?? job.artifacts, job.folder);
  // a job writes only into a sweep folder that its submitter made and that lists this run: a path
  // in a job can never point a worker at some other folder
  if (!isSweepFolder(dir)) throw new RefusedJobError(`refused: ${dir} is not a sweep folder (start the worker with --artifacts where this machine mounts the sweeps)`);
  if (!readSweepFile(dir).runs.some((r) => r.id === job.run.id)) throw new RefusedJobError(`refused: run ${job.run.id} is not a run of the sweep in ${dir}`);
  return executeRun(dir, { id: job.run.id, config }, { shouldStop: opts.shouldStop, onProgress: opts.onProgress });
}
