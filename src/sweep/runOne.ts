/**
 * Execute one run of a sweep so that it may be delivered more than once (a queue delivers at least
 * once; a pool may be restarted): train in pending/<id>/, resuming it if an earlier attempt left a
 * checkpoint there; publish with one rename to runs/<id>/; write done.json last. A finished run is
 * never trained again.
 */
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import { UserError } from '../core/errors.js';
import { type TrainResult, resume, train } from '../engine/train.js';
import type { ProgressSink } from '../engine/progress.js';
import { writeJsonAtomic } from '../runfolder/atomic.js';
import { lockHeld } from '../runfolder/lock.js';
import { readMeta } from '../runfolder/runFolder.js';
import { ensureDir, isRunFolder, runPaths } from '../runfolder/paths.js';
import { listCheckpoints } from '../runfolder/checkpoints.js';
import { DONE_FILE, type Done, finalRunDir, pendingRunDir, readDone } from './folder.js';
import { runIdOf } from './spec.js';

export interface RunOutcome {
  id: string;
  status: 'completed' | 'diverged' | 'stopped';
  /** 'skipped': already finished; 'resumed': continued from pending/; 'fresh': trained from step 0. */
  how: 'skipped' | 'resumed' | 'fresh';
  step: number;
  perf: number | null;
  seconds: number;
  message: string | null;
}

/** A run someone else is training right now (its pending folder is locked by a live process). */
class RunBusyError extends Error {}

/** A pending folder made moments ago may be another process's, before it has locked it: never removed. */
const FRESH_MS = 30_000;

function justMade(dir: string): boolean {
  try {
    return Date.now() - statSync(dir).mtimeMs < FRESH_MS;
  } catch {
    return false;
  }
}

function publish(sweepDir: string, id: string, status: Done['status'], step: number): void {
  const pending = pendingRunDir(sweepDir, id);
  const final = finalRunDir(sweepDir, id);
  ensureDir(join(sweepDir, 'runs'));
  if (existsSync(final)) rmSync(pending, { recursive: true, force: true }); // a duplicate delivery finished first
  else renameSync(pending, final);
  const done: Done = { id, status, finishedAt: new Date().toISOString(), step };
  writeJsonAtomic(join(final, DONE_FILE), done);
}

export async function executeRun(sweepDir: string, run: { id: string; config: Config }, opts: { shouldStop?: () => boolean; onProgress?: ProgressSink } = {}): Promise<RunOutcome> {
  const t0 = performance.now();
  const seconds = () => (performance.now() - t0) / 1000;
  const { id, config } = run;
  if (runIdOf(config) !== id) throw new UserError(`run id ${id} does not match its config (expected ${runIdOf(config)})`);
  const done = readDone(sweepDir, id);
  if (done) return { id, status: done.status, how: 'skipped', step: done.step, perf: null, seconds: seconds(), message: null };

  const final = finalRunDir(sweepDir, id);
  const pending = pendingRunDir(sweepDir, id);
  // renamed but killed before done.json: the run folder itself says how it ended
  if (isRunFolder(final)) {
    const meta = readMeta(runPaths(final));
    if (meta.status === 'completed' || meta.status === 'diverged') {
      writeJsonAtomic(join(final, DONE_FILE), { id, status: meta.status, finishedAt: meta.endedAt ?? new Date().toISOString(), step: meta.step } satisfies Done);
      return { id, status: meta.status, how: 'skipped', step: meta.step, perf: null, seconds: seconds(), message: null };
    }
    if (lockHeld(final)) throw new RunBusyError(`run ${id} is being written by another live process`);
    rmSync(final, { recursive: true, force: true });
  }

  let result: TrainResult | null = null;
  let how: RunOutcome['how'] = 'fresh';
  if (isRunFolder(pending)) {
    if (lockHeld(pending)) throw new RunBusyError(`run ${id} is being trained by another live process`);
    const meta = readMeta(runPaths(pending));
    if (meta.status === 'completed' || meta.status === 'diverged') {
      publish(sweepDir, id, meta.status, meta.step);
      return { id, status: meta.status, how: 'resumed', step: meta.step, perf: null, seconds: seconds(), message: meta.message };
    }
    const ckpts = listCheckpoints(runPaths(pending));
    if (ckpts.length > 0 && ckpts[ckpts.length - 1] < config.steps) {
      result = await resume(pending, { shouldStop: opts.shouldStop, onProgress: opts.onProgress });
      how = 'resumed';
    }
  }
  if (!result) {
    // nothing usable in pending/ (killed before the first checkpoint): start over, same seed, same result;
    // never under a live writer's feet
    if (lockHeld(pending) || justMade(pending)) throw new RunBusyError(`run ${id} is being trained by another live process`);
    rmSync(pending, { recursive: true, force: true });
    ensureDir(join(sweepDir, 'pending'));
    try {
      result = await train(config, { dir: pending, shouldStop: opts.shouldStop, onProgress: opts.onProgress });
    } catch (e) {
      // another process made the folder between our check and our mkdir: it trains this run
      if (e instanceof Error && /exists already/.test(e.message)) throw new RunBusyError(`run ${id} is being trained by another live process`);
      throw e;
    }
  }
  const perf = Number.isFinite(result.perf) ? result.perf : null;
  if (result.status === 'completed' || result.status === 'diverged') {
    publish(sweepDir, id, result.status, result.step);
    return { id, status: result.status, how, step: result.step, perf, seconds: seconds(), message: result.message };
  }
  if (result.status === 'stopped') return { id, status: 'stopped', how, step: result.step, perf, seconds: seconds(), message: result.message };
  throw new Error(`run ${id} ended with status ${result.status}: ${result.message ?? ''}`);
}
