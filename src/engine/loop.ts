/**
 * The training loop of a run: for each step, task.sample -> model.trainStep -> metrics.jsonl; every
 * evalEvery steps perf on fresh trials; probe passes and checkpoints on their schedule; a stop on a
 * signal, a divergence or the target perf. train.ts starts or resumes a run and hands it here.
 */
import { rmSync } from 'node:fs';
import type { Model } from '../../models/types.js';
import { getTask } from '../../tasks/registry.js';
import type { TaskLayout } from '../../tasks/types.js';
import { type Config, taskList } from '../config/schema.js';
import { stream, streamKey } from '../core/rng.js';
import { checkpointDir, listCheckpoints, writeCheckpoint } from '../runfolder/checkpoints.js';
import type { RunLock } from '../runfolder/lock.js';
import type { RunPaths } from '../runfolder/paths.js';
import { WriteError } from '../runfolder/errors.js';
import { appendMetrics, writeMeta } from '../runfolder/runFolder.js';
import type { Meta, MetricLine } from '../runfolder/schema.js';
import { evaluatePerf } from './evaluate.js';
import type { ProbeRunner } from './probeRunner.js';
import type { ProgressSink } from './progress.js';
import { yieldToEventLoop } from './stop.js';

export interface TrainOptions {
  /** Called after every step (and at the end with final = true). */
  onProgress?: ProgressSink;
  /** Stop early between steps when this returns true (the CLI wires SIGINT/SIGTERM here). */
  shouldStop?: () => boolean;
  /** Write the run into exactly this folder (which must not exist) instead of out/<name>-<time>/. */
  dir?: string;
}

export interface TrainResult {
  dir: string;
  status: Meta['status'];
  step: number;
  /** Last evaluated mean perf (NaN if never evaluated). */
  perf: number;
  perfByTask: Record<string, number>;
  message: string | null;
  meta: Meta;
}

function paramsFinite(model: Model): boolean {
  for (const a of Object.values(model.exportState().arrays)) for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}

/**
 * Index drawn with probability proportional to its weight, from u uniform on [0, 1): the first i with
 * u * sum(w) < w_0 + ... + w_i (equal weights: floor(u n), exactly).
 */
export function pickWeighted(u: number, weights: readonly number[]): number {
  const target = u * weights.reduce((a, b) => a + b, 0);
  let cum = 0;
  for (let i = 0; i < weights.length; i++) {
    cum += weights[i];
    if (target < cum) return i;
  }
  // u * sum can round up to the sum itself: the last task with a weight
  for (let i = weights.length - 1; i >= 0; i--) if (weights[i] > 0) return i;
  return 0;
}

export async function runLoop(paths: RunPaths, config: Config, model: Model, meta: Meta, layout: TaskLayout, startStep: number, probes: ProbeRunner | null, opts: TrainOptions, lock: RunLock): Promise<TrainResult> {
  try {
    return await trainSteps(paths, config, model, meta, layout, startStep, probes, opts);
  } finally {
    lock.release();
  }
}

/** Metric lines reach disk at least this often, so a watcher sees live progress. */
const FLUSH_SECONDS = 1;


async function trainSteps(paths: RunPaths, config: Config, model: Model, meta: Meta, layout: TaskLayout, startStep: number, probes: ProbeRunner | null, opts: TrainOptions): Promise<TrainResult> {
  const tasks = taskList(config);
  const weights = tasks.map((t) => config.taskWeights[t] ?? 1);
  const t0 = performance.now();
  const wallBefore = meta.wallSeconds;
  const elapsed = () => (performance.now() - t0) / 1000;
  let lastPerf = NaN;
  let lastLoss = NaN;
  let lastByTask: Record<string, number> = {};
  let pending: MetricLine[] = [];
  let lastCkpt = startStep;
  let step = startStep;
  const probeBefore = meta.timing.probe_s;
  const waitBefore = meta.timing.probe_wait_s ?? 0;
  const probeTiming = () => {
    if (!probes) return;
    meta.timing.probe_s = probeBefore + probes.timing.probe_s;
    meta.timing.probe_wait_s = waitBefore + probes.timing.wait_s;
  };
  const probe = (s: number) => {
    if (!probes) return;
    flush();
    probes.submit(s);
  };

  let lastFlush = performance.now();
  const flush = () => {
    appendMetrics(paths, pending);
    pending = [];
    lastFlush = performance.now();
  };
  const checkpoint = async (s: number) => {
    // a checkpoint promises that every probe pass before it is on disk (probeRunner.ts)
    await probes?.drainBefore(s);
    probeTiming();
    const c0 = performance.now();
    flush();
    writeCheckpoint(paths, s, model.exportState(), config.seed, meta.backend);
    lastCkpt = s;
    meta.step = s;
    meta.wallSeconds = wallBefore + elapsed();
    meta.timing.checkpoint_s += (performance.now() - c0) / 1000;
    writeMeta(paths, meta);
  };
  const finish = async (status: Meta['status'], stopReason: string, message: string | null): Promise<TrainResult> => {
    if (status === 'failed') await probes?.abort();
    else await probes?.drainAll();
    probeTiming();
    flush();
    meta.status = status;
    meta.stopReason = stopReason;
    meta.message = message;
    meta.endedAt = new Date().toISOString();
    meta.wallSeconds = wallBefore + elapsed();
    writeMeta(paths, meta);
    model.dispose();
    return { dir: paths.dir, status, step: meta.step, perf: lastPerf, perfByTask: lastByTask, message, meta };
  };

  try {
    while (step < config.steps) {
      step++;
      const ti = tasks.length === 1 ? 0 : pickWeighted(stream(config.seed, 'task-choice', step).next(), weights);
      const task = getTask(tasks[ti]);
      const s0 = performance.now();
      const batch = task.sample(config.batch, stream(config.seed, 'trials', step), 'train', layout);
      const res = model.trainStep(batch, { key: (b) => streamKey(config.seed, 'noise', step, b) });
      meta.timing.train_s += (performance.now() - s0) / 1000;
      const finite = Number.isFinite(res.loss) && (res.gradNorm === undefined || Number.isFinite(res.gradNorm));
      if (finite) lastLoss = res.loss;
      const line: MetricLine = {
        step,
        wall_s: +(wallBefore + elapsed()).toFixed(3),
        task: task.name,
        loss: finite ? res.loss : null,
        grad_norm: res.gradNorm !== undefined && Number.isFinite(res.gradNorm) ? res.gradNorm : null,
      };

      if (!finite) {
        pending.push(line);
        // The weights that produced this loss came from step - 1: that checkpoint (if any) is not good.
        for (const c of listCheckpoints(paths)) if (c >= step - 1 && c > 0) rmSync(checkpointDir(paths, c), { recursive: true, force: true });
        const good = listCheckpoints(paths);
        const last = good[good.length - 1];
        meta.step = step;
        const what = Number.isNaN(res.loss) || Number.isNaN(res.gradNorm ?? 0) ? 'NaN' : 'infinite';
        const msg = `training diverged at step ${step} (the loss or its gradient became ${what}); the last good checkpoint is step ${last}, in ${paths.checkpoints}`;
        opts.onProgress?.({ step, total: config.steps, loss: NaN, elapsedS: elapsed(), startStep }, true);
        return await finish('diverged', 'diverged', msg);
      }

      let reached = false;
      if (step % config.evalEvery === 0 || step === config.steps) {
        const e0 = performance.now();
        const ev = evaluatePerf(model, tasks, layout, config.seed, step, config.evalBatches, config.evalTrials);
        meta.timing.eval_s += (performance.now() - e0) / 1000;
        line.perf = ev.perf;
        line.perf_strict = ev.perfStrict;
        line.perf_by_task = ev.byTask;
        if (tasks.length > 1) line.perf_min = ev.minPerf;
        lastPerf = ev.perf;
        lastByTask = ev.byTask;
        reached = config.targetPerf !== null && ev.minPerf >= config.targetPerf;
      }
      pending.push(line);
      opts.onProgress?.({ step, total: config.steps, loss: res.loss, perf: line.perf, elapsedS: elapsed(), startStep });

      // probes before the checkpoint of the same step: a kill in between is recomputed on resume
      if (config.probeEvery > 0 && (step % config.probeEvery === 0 || step === config.steps || reached)) probe(step);
      if (reached) {
        await checkpoint(step);
        opts.onProgress?.({ step, total: config.steps, loss: res.loss, perf: line.perf, elapsedS: elapsed(), startStep }, true);
        return await finish('completed', 'target-perf', `reached perf ${lastPerf.toFixed(3)} >= ${config.targetPerf} at step ${step}`);
      }
      if (step % config.checkpointEvery === 0 || step === config.steps) {
        if (!paramsFinite(model)) {
          return await finish('diverged', 'diverged', `training diverged at step ${step} (weights became non-finite); the last good checkpoint is step ${lastCkpt}, in ${paths.checkpoints}`);
        }
        await checkpoint(step);
      } else if (performance.now() - lastFlush >= FLUSH_SECONDS * 1000) {
        flush();
      }
      await yieldToEventLoop();
      if (opts.shouldStop?.()) {
        // a stop must be quick: a probe pass still running is dropped, and with it the checkpoint of
        // this step (resume continues from the last checkpoint and recomputes the pass)
        if (probes && probes.pending() > 0) {
          await probes.abort();
          probeTiming();
          return await finish('stopped', 'interrupted', `stopped at step ${step} (a probe pass was running; resume continues from step ${lastCkpt}); continue with: infoscope resume ${paths.dir}`);
        }
        if (lastCkpt !== step) await checkpoint(step);
        return await finish('stopped', 'interrupted', `stopped at step ${step}; continue with: infoscope resume ${paths.dir}`);
      }
    }
    opts.onProgress?.({ step, total: config.steps, loss: lastLoss, perf: Number.isNaN(lastPerf) ? undefined : lastPerf, elapsedS: elapsed(), startStep }, true);
    return await finish('completed', 'steps', `trained ${step} steps`);
  } catch (e) {
    meta.step = lastCkpt;
    // a failed write (a full disk) stops the run resumably; anything else fails it
    const write = e instanceof WriteError;
    const message = e instanceof Error ? e.message : String(e);
    try {
      await finish(write ? 'stopped' : 'failed', write ? 'write-failed' : 'error', write ? `${message}; free space, then: infoscope resume ${paths.dir}` : message);
    } catch {
      // meta.json could not be written either: its previous version stays, and the lock's release shows the run interrupted
    }
    throw e;
  }
}
