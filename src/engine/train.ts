/**
 * The training engine: the only place that wires tasks, models and the run folder together.
 *
 *   config -> run folder -> for each step: task.sample -> model.trainStep -> metrics.jsonl
 *                            every evalEvery: perf on fresh trials; every checkpointEvery: checkpoint
 *
 * Every random draw comes from a stream keyed by (seed, purpose, step, ...), so a run resumed from a
 * checkpoint continues exactly as if it had never stopped.
 */
import { cpus } from 'node:os';
import type { Model } from '../../models/types.js';
import { getTask } from '../../tasks/registry.js';
import { stream, streamKey } from '../core/rng.js';
import type { TaskLayout } from '../../tasks/types.js';
import {
  type RunPaths,
  appendMetrics,
  checkpointDir,
  createRunFolder,
  createRunFolderAt,
  isRunFolder,
  listCheckpoints,
  readCheckpoint,
  readConfig,
  removeStaleCheckpointTemps,
  readMeta,
  readProbes,
  runPaths,
  truncateMetrics,
  truncateProbes,
  writeCheckpoint,
  writeConfig,
  writeMeta,
  writeProbeBatchInfo,
} from '../runfolder/runFolder.js';
import { rmSync } from 'node:fs';
import type { Meta, MetricLine } from '../runfolder/schema.js';
import { type Config, type ConfigInput, modelOptions, taskList } from '../config/schema.js';
import { normalizeConfig } from '../config/normalize.js';
import { type BackendReport, initBackend } from './backend.js';
import { UserError } from '../core/errors.js';
import { buildModel, layoutFor, probeBatch } from './setup.js';
import { RunFolderError } from '../runfolder/errors.js';
import { type RunLock, acquireRunLock } from '../runfolder/lock.js';
import { evaluatePerf } from './evaluate.js';
import { searchReservoir } from './reservoirSearch.js';
import { writeJsonAtomic } from '../runfolder/atomic.js';
import { join } from 'node:path';
import { type ProbeRunner, createProbeRunner } from './probeRunner.js';
import { yieldToEventLoop } from './stop.js';
import type { ProgressSink } from './progress.js';
import { version } from './version.js';

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

function defaultName(config: Config): string {
  return `${taskList(config).join('+')}-${config.model}`.slice(0, 64);
}

function newMeta(config: Config, backend: BackendReport, model: Model): Meta {
  return {
    infoscope: version,
    backend: backend.backend,
    backendPackage: backend.package,
    node: process.version,
    cpu: `${cpus()[0]?.model ?? 'unknown'} x${cpus().length}`,
    platform: `${process.platform}-${process.arch}`,
    seed: config.seed,
    model: { kind: model.kind, ...modelOptions(config) },
    startedAt: new Date().toISOString(),
    endedAt: null,
    status: 'running',
    step: 0,
    totalSteps: config.steps,
    stopReason: null,
    message: null,
    wallSeconds: 0,
    timing: { train_s: 0, eval_s: 0, probe_s: 0, checkpoint_s: 0 },
    resumes: [],
  };
}

function paramsFinite(model: Model): boolean {
  for (const a of Object.values(model.exportState().arrays)) for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}

/** Start a new run. */
export async function train(input: ConfigInput | Config, opts: TrainOptions = {}): Promise<TrainResult> {
  let config = normalizeConfig(input);
  const backend = await initBackend(config.backend);
  const layout = layoutFor(config);
  let search: ReturnType<typeof searchReservoir> | null = null;
  if (config.model === 'reservoir' && (config.reservoir as { search?: boolean }).search) {
    search = searchReservoir(config, layout);
    // the run trains (and config.json records) the chosen values; search: true says where they came from
    config = { ...config, reservoir: { ...search.best, search: true } };
  }
  const model = buildModel(config, layout);
  const paths = opts.dir ? createRunFolderAt(opts.dir) : createRunFolder(config.out, config.name ?? defaultName(config));
  const lock = acquireRunLock(paths.dir);
  writeConfig(paths, config);
  if (search) writeJsonAtomic(join(paths.dir, 'search.json'), { chosen: search.best, candidates: search.table, note: 'perf on fresh validation trials after 10 batches of training each' });
  const meta = newMeta(config, backend, model);
  writeMeta(paths, meta);
  const pb = config.probeEvery > 0 ? probeBatch(config, layout) : null;
  if (pb) {
    writeProbeBatchInfo(paths, { task: pb.task, T: pb.T, trials: pb.B, directions: config.probeDirections, dt: layout.dt, goStep: pb.goStep, epochs: pb.epochs as Record<string, [number, number]> });
  }
  const runner = pb ? await createProbeRunner(paths, config, model, pb, layout, backend.backend) : null;
  // the untrained network is the first point of every MI-over-training curve
  runner?.submit(0);
  writeCheckpoint(paths, 0, model.exportState(), config.seed, backend.backend);
  return runLoop(paths, config, model, meta, layout, 0, runner, opts, lock);
}

/** Continue a run from its last checkpoint, up to its configured total or `steps`. */
export async function resume(dir: string, options: TrainOptions & { steps?: number; backend?: Config['backend'] } = {}): Promise<TrainResult> {
  const paths = runPaths(dir);
  if (!isRunFolder(paths.dir)) throw new UserError(`${dir} is not a run folder (no config.json and meta.json there)`);
  const stored = readConfig(paths);
  const meta = readMeta(paths);
  if (options.steps !== undefined && (!Number.isInteger(options.steps) || options.steps < 1)) throw new UserError(`--steps must be a positive integer, got ${options.steps}`);
  // the stored config goes through the same door as a new one (registries, probe options)
  const config = normalizeConfig(options.steps === undefined ? stored : { ...stored, steps: options.steps });
  const lock = acquireRunLock(paths.dir);
  try {
    return await resumeLocked(paths, config, meta, options, lock);
  } catch (e) {
    lock.release();
    throw e;
  }
}

async function resumeLocked(paths: RunPaths, config: Config, meta: Meta, options: TrainOptions & { steps?: number; backend?: Config['backend'] }, lock: RunLock): Promise<TrainResult> {
  const dir = paths.dir;
  removeStaleCheckpointTemps(paths);
  const ckpts = listCheckpoints(paths);
  if (ckpts.length === 0) throw new UserError(`${dir} has no checkpoint to resume from`);
  const last = ckpts[ckpts.length - 1];
  if (last >= config.steps) throw new UserError(`the run already reached step ${last} of ${config.steps}; pass --steps N with a larger total to train further`);
  const backend = await initBackend(options.backend ?? config.backend);
  const layout = layoutFor(config);
  const model = buildModel(config, layout);
  // the newest checkpoint that reads back whole (a damaged one is reported and left in place)
  let from = -1;
  let loaded: ReturnType<typeof readCheckpoint> | null = null;
  const skipped: string[] = [];
  for (let i = ckpts.length - 1; i >= 0 && !loaded; i--) {
    try {
      loaded = readCheckpoint(paths, ckpts[i]);
      from = ckpts[i];
    } catch (e) {
      if (!(e instanceof RunFolderError)) throw e;
      skipped.push(e.message);
    }
  }
  if (!loaded) throw new UserError(`every checkpoint of ${dir} is damaged (newest: ${skipped[0]}); nothing to resume from`);
  for (const s of skipped) process.stderr.write(`warning: ${s}; resuming from the checkpoint before it\n`);
  const { state, model: saved } = loaded;

  if (state.backend !== backend.backend) {
    process.stderr.write(`warning: checkpoint was written on the ${state.backend} backend, resuming on ${backend.backend}: metrics will not match bit for bit\n`);
  }
  model.importState(saved);
  // config.json changes only once the resume is known to go ahead
  if (options.steps !== undefined) writeConfig(paths, config);
  truncateMetrics(paths, from);
  // passes of steps before `from` are on disk (probeRunner.ts); the pass at `from` itself may not
  // be, or only in part: it is recomputed from this checkpoint whenever one was due there
  const pb = config.probeEvery > 0 ? probeBatch(config, layout) : null;
  const dueAtFrom = pb !== null && (from % config.probeEvery === 0 || readProbes(paths).some((r) => r.origin !== 'posthoc' && r.step === from));
  truncateProbes(paths, dueAtFrom ? from - 1 : from);
  meta.status = 'running';
  meta.step = from;
  meta.totalSteps = config.steps;
  meta.endedAt = null;
  meta.stopReason = null;
  meta.message = null;
  meta.backend = backend.backend;
  meta.backendPackage = backend.package;
  meta.resumes.push({ at: new Date().toISOString(), fromStep: from });
  writeMeta(paths, meta);
  const runner = pb ? await createProbeRunner(paths, config, model, pb, layout, backend.backend) : null;
  if (dueAtFrom) runner?.submit(from);
  return runLoop(paths, config, model, meta, layout, from, runner, options, lock);
}

async function runLoop(paths: RunPaths, config: Config, model: Model, meta: Meta, layout: TaskLayout, startStep: number, probes: ProbeRunner | null, opts: TrainOptions, lock: RunLock): Promise<TrainResult> {
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
      const ti = tasks.length === 1 ? 0 : Math.floor(stream(config.seed, 'task-choice', step).next() * tasks.length);
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
    await finish('failed', 'error', e instanceof Error ? e.message : String(e));
    throw e;
  }
}
