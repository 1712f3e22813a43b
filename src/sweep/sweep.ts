/**
 * `sweep(spec, options)`: a sweep as one pipeline, whichever executor runs it.
 *
 *   prepare:  spec --parseSweepSpec/expandSweep--> plan --sweep.json--> the sweep folder
 *   execute:  the unfinished runs on the local pool (default) or BullMQ workers (`queue`)
 *   finalize: runs.json, summary.json, report.html (finalize.ts)
 */
import { join, resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import { ensureDir } from '../runfolder/paths.js';
import type { SweepSummary } from '../stats/aggregate.js';
import { SWEEP_DEFAULTS } from './defaults.js';
import type { Executor } from './executor.js';
import { finalizeSweep } from './finalize.js';
import { isSweepFolder, pendingRunDir, readSweepFile, unfinishedRuns, writeSweepFile } from './folder.js';
import { lockHeld } from '../runfolder/lock.js';
import { localExecutor } from './localPool.js';
import { type SweepPlan, expandSweep, parseSweepSpec } from './spec.js';
import { canonicalJson } from './ids.js';

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

/** Validate and expand a spec and make (or find) its sweep folder; sweep.json is written once. */
function prepareSweep(input: unknown, artifacts?: string): { plan: SweepPlan; dir: string; changed: string[] } {
  const spec = parseSweepSpec(input);
  const plan = expandSweep(spec);
  const root = artifacts ?? (typeof spec.base.out === 'string' ? spec.base.out : SWEEP_DEFAULTS.artifacts);
  ensureDir(root, 'artifacts folder');
  const dir = resolve(join(root, plan.folderName));
  ensureDir(dir, 'sweep folder');
  let changed: string[] = [];
  if (!isSweepFolder(dir)) writeSweepFile(dir, plan);
  else {
    const stored = readSweepFile(dir);
    if (stored.id !== plan.id) throw new UserError(`${dir} holds another sweep`);
    // the same runs, an edited spec (targetPerf, metrics, ...): apply it, and say so
    const before = stored.spec as Record<string, unknown>;
    const after = plan.spec as Record<string, unknown>;
    changed = Object.keys({ ...before, ...after }).filter((k) => canonicalJson(before[k]) !== canonicalJson(after[k]));
    if (changed.length > 0) writeSweepFile(dir, plan);
  }
  return { plan, dir, changed };
}

async function executorOf(options: SweepOptions): Promise<Executor> {
  if (options.queue) {
    const { queueExecutor } = await import('./queue.js');
    return queueExecutor(options.queue);
  }
  return localExecutor(options.workers ?? SWEEP_DEFAULTS.workers());
}

/** What runOne says of a run another live process holds. */
const BUSY = /is being (trained|written) by another live process/;

async function waitUntil(done: () => boolean, everyMs = 1000): Promise<void> {
  while (!done()) await new Promise((r) => setTimeout(r, everyMs));
}

/** Run a sweep to the end (or until stopped) and aggregate it. */
export async function sweep(input: unknown, options: SweepOptions = {}): Promise<SweepResult> {
  const say = options.onLine ?? (() => {});
  if (options.workers !== undefined && !(Number.isInteger(options.workers) && options.workers >= 1 && options.workers <= 256)) throw new UserError(`--workers must be an integer from 1 to 256, got ${options.workers}`);
  const { plan, dir, changed } = prepareSweep(input, options.artifacts);
  if (changed.length > 0) say(`sweep ${plan.folderName}: the sweep file changed (${changed.join(', ')}) without changing its runs; sweep.json now holds the new spec`);
  const todo = unfinishedRuns(plan, dir);
  say(`sweep ${plan.folderName}: ${plan.settings.length} settings x ${plan.runs.length / Math.max(1, plan.settings.length)} seeds = ${plan.runs.length} runs, ${plan.runs.length - todo.length} finished already`);
  const executor = await executorOf(options);
  let run = todo.length > 0 ? await executor.execute({ dir, plan, todo, onLine: say, shouldStop: options.shouldStop }) : { failed: [], stopped: false };
  // runs another sweep process was training on this folder: wait for it, then take what is left
  for (let round = 0; round < 3 && run.failed.some((f) => BUSY.test(f.error)) && !options.shouldStop?.(); round++) {
    const busy = new Set(run.failed.filter((f) => BUSY.test(f.error)).map((f) => f.id));
    say(`sweep ${plan.folderName}: ${busy.size} run(s) are being trained by another process; waiting for them`);
    await waitUntil(() => options.shouldStop?.() === true || unfinishedRuns(plan, dir).every((r) => !busy.has(r.id) || !lockHeld(pendingRunDir(dir, r.id))));
    const left = unfinishedRuns(plan, dir).filter((r) => busy.has(r.id));
    const again = left.length > 0 ? await executor.execute({ dir, plan, todo: left, onLine: say, shouldStop: options.shouldStop }) : { failed: [], stopped: false };
    run = { failed: [...run.failed.filter((f) => !busy.has(f.id)), ...again.failed], stopped: run.stopped || again.stopped };
  }
  const unfinished = new Set(unfinishedRuns(plan, dir).map((r) => r.id));
  const failed = run.failed.filter((f) => unfinished.has(f.id));
  const stopped = run.stopped || unfinished.size > failed.length;
  const summary = await finalizeSweep(dir, { report: options.report });
  return { dir, summary, failed, stopped };
}
