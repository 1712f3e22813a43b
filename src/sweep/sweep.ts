/**
 * `sweep(spec, options)`: expand a sweep into runs, train the unfinished ones (a local pool of
 * processes by default, BullMQ workers with `queue`), then aggregate across seeds.
 *
 *   spec --parseSweepSpec/expandSweep--> plan --sweep.json--> runs (pool or queue) --> runs/<id>/
 *        --finalizeSweep--> runs.json, summary.json, report.html
 */
import { cpus } from 'node:os';
import { rmdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import { writeJsonAtomic } from '../runfolder/atomic.js';
import { RunFolderError } from '../runfolder/errors.js';
import { ensureDir, isRunFolder } from '../runfolder/runFolder.js';
import { lockHeld } from '../runfolder/lock.js';
import { writeSweepReport } from '../charts/sweepReport.js';
import { type SweepSummary, aggregateSweep } from './aggregate.js';
import { RUNS_FILE, SUMMARY_FILE, finalRunDir, isSweepFolder, pendingRunDir, readDone, readSweepFile, writeSweepFile } from './folder.js';
import { runLocalPool } from './localPool.js';
import { type RunSummary, summarizeRun } from './runSummary.js';
import { type SweepPlan, expandSweep, parseSweepSpec } from './spec.js';

export interface SweepOptions {
  /** Folder that holds sweep folders (default: the base config's `out`, else "runs"). With a queue, a file system every worker sees. */
  artifacts?: string;
  /** Local pool size (default: the number of cores). */
  workers?: number;
  /** redis://host:port: put the runs on the BullMQ queue instead of the local pool. */
  queue?: string;
  /** One line per event (progress), for stderr. */
  onLine?: (line: string) => void;
  shouldStop?: () => boolean;
  /** Write report.html (default true). */
  report?: boolean;
}

export interface SweepResult {
  dir: string;
  summary: SweepSummary;
  /** Runs that failed (an error, not a divergence) and are not in the summaries. */
  failed: Array<{ id: string; error: string }>;
  /** Stopped by a signal before every run finished; re-submitting continues. */
  stopped: boolean;
}

export const SWEEP_DEFAULTS = { workers: () => cpus().length, artifacts: 'runs' } as const;

/** Validate and expand a spec and make (or find) its sweep folder; sweep.json is written once. */
export function prepareSweep(input: unknown, artifacts?: string): { plan: SweepPlan; dir: string } {
  const spec = parseSweepSpec(input);
  const plan = expandSweep(spec);
  const root = artifacts ?? (typeof spec.base.out === 'string' ? spec.base.out : SWEEP_DEFAULTS.artifacts);
  ensureDir(root, 'artifacts folder');
  const dir = resolve(join(root, plan.folderName));
  ensureDir(dir, 'sweep folder');
  if (!isSweepFolder(dir)) writeSweepFile(dir, plan);
  else if (readSweepFile(dir).id !== plan.id) throw new UserError(`${dir} holds another sweep`);
  return { plan, dir };
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

/** Aggregate what a sweep folder holds: runs.json, summary.json and (by default) report.html. */
export async function finalizeSweep(dir: string, opts: { report?: boolean } = {}): Promise<SweepSummary> {
  const file = readSweepFile(dir);
  const runs = collectRunSummaries(dir);
  const summary = aggregateSweep(file, runs);
  writeJsonAtomic(join(dir, RUNS_FILE), [...runs.values()]);
  // pending/ is empty once every run is published
  try {
    rmdirSync(join(dir, 'pending'));
  } catch {
    // not empty (runs still to finish) or absent
  }
  writeJsonAtomic(join(dir, SUMMARY_FILE), summary);
  if (opts.report !== false) {
    try {
      await writeSweepReport(dir, summary, [...runs.values()]);
    } catch (e) {
      process.stderr.write(`warning: could not write the sweep report (${(e as Error).message})\n`);
    }
  }
  return summary;
}

/** Run a sweep to the end (or until stopped) and aggregate it. */
export async function sweep(input: unknown, options: SweepOptions = {}): Promise<SweepResult> {
  const say = options.onLine ?? (() => {});
  if (options.workers !== undefined && !(Number.isInteger(options.workers) && options.workers >= 1 && options.workers <= 256)) throw new UserError(`--workers must be an integer from 1 to 256, got ${options.workers}`);
  const { plan, dir } = prepareSweep(input, options.artifacts);
  const todo = unfinishedRuns(plan, dir);
  say(`sweep ${plan.folderName}: ${plan.settings.length} settings x ${plan.runs.length / Math.max(1, plan.settings.length)} seeds = ${plan.runs.length} runs, ${plan.runs.length - todo.length} finished already`);
  const failed: SweepResult['failed'] = [];
  if (todo.length > 0) {
    if (options.queue) {
      const { submitAndWait } = await import('./queue.js');
      const r = await submitAndWait(options.queue, plan, dir, todo, { onLine: say, shouldStop: options.shouldStop });
      failed.push(...r.failed);
    } else {
      const results = await runLocalPool(dir, todo.map((r) => ({ id: r.id, config: r.config })), { workers: options.workers ?? SWEEP_DEFAULTS.workers(), onLine: say, shouldStop: options.shouldStop });
      for (const r of results) if (!r.ok) failed.push({ id: r.id, error: r.error });
    }
  }
  const stopped = unfinishedRuns(plan, dir).length > failed.length;
  const summary = await finalizeSweep(dir, { report: options.report });
  return { dir, summary, failed, stopped };
}

