/**
 * The training engine: the only place that wires tasks, models and the run folder together. This
 * file starts a run (config -> model -> run folder -> step 0) or resumes one from its last
 * checkpoint, and hands it to the loop (loop.ts).
 *
 * Every random draw comes from a stream keyed by (seed, purpose, step, ...), so a run resumed from a
 * checkpoint continues exactly as if it had never stopped.
 */
import { PRESETS } from '../config/presets.js';
import { cpus } from 'node:os';
import type { Model } from '../../models/types.js';
import { readConfig, readMeta, readProbes, truncateMetrics, truncateProbes, writeConfig, writeMeta, writeProbeBatchInfo } from '../runfolder/runFolder.js';
import { type RunPaths, createRunFolder, createRunFolderAt, isRunFolder, runPaths } from '../runfolder/paths.js';
import { listCheckpoints, readCheckpoint, removeStaleCheckpointTemps, writeCheckpoint } from '../runfolder/checkpoints.js';
import type { Meta, ProbeBatchInfo } from '../runfolder/schema.js';
import type { TrialBatch } from '../../tasks/types.js';
import { type Config, type ConfigInput, modelOptions, taskList } from '../config/schema.js';
import { normalizeConfig } from '../config/normalize.js';
import { type BackendReport, initBackend } from './backend.js';
import { UserError } from '../core/errors.js';
import { buildModel, layoutFor, probeBatches } from './setup.js';
import { RunFolderError } from '../runfolder/errors.js';
import { type RunLock, acquireRunLock } from '../runfolder/lock.js';
import { checkRunMemory } from './memory.js';
import { searchReservoir } from './reservoirSearch.js';
import { cleanTemporaryFiles, writeJsonAtomic } from '../runfolder/atomic.js';
import { join } from 'node:path';
import { type TrainOptions, type TrainResult, runLoop } from './loop.js';
import { createProbeRunner } from './probeRunner.js';

export type { TrainOptions, TrainResult };
import { version } from './version.js';

/** A run's folder name: its preset, else its tasks (up to three by name, more by count), and its model. */
function defaultName(config: Config): string {
  const tasks = taskList(config);
  const what = config.preset ?? (tasks.length <= 3 ? tasks.join('+') : `${tasks.length}-tasks`);
  return `${what}-${config.model}`.slice(0, 64);
}

/** probe-batch.json: the first task's batch as ever, and each task's timing where the run has several. */
function probeBatchInfo(batches: readonly TrialBatch[], directions: number, dt: number): ProbeBatchInfo {
  const timing = (b: TrialBatch) => ({ T: b.T, goStep: b.goStep, epochs: b.epochs as Record<string, [number, number]> });
  const [first] = batches;
  return { task: first.task, trials: first.B, directions, dt, ...timing(first), ...(batches.length > 1 ? { byTask: Object.fromEntries(batches.map((b) => [b.task, timing(b)])) } : {}) };
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
    ...(config.preset ? { preset: { name: config.preset, ...PRESETS[config.preset] } } : {}),
  };
}

/** An imported recording replays activity: it has nothing to train. */
function refuseRecorded(config: Config): void {
  if (config.model === 'recorded') throw new UserError('a recorded network (imported activity) cannot train; probe, report and compare work on it');
}

export async function train(input: ConfigInput | Config, opts: TrainOptions = {}): Promise<TrainResult> {
  let config = normalizeConfig(input);
  refuseRecorded(config);
  checkRunMemory(config);
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
  const pb = config.probeEvery > 0 ? probeBatches(config, layout) : null;
  if (pb) writeProbeBatchInfo(paths, probeBatchInfo(pb, config.probeDirections, layout.dt));
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
  refuseRecorded(config);
  checkRunMemory(config);
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
  cleanTemporaryFiles(dir);
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
      const read = readCheckpoint(paths, ckpts[i]);
      try {
        model.importState(read.model); // arrays of the wrong size or kind: damaged for this run
      } catch (e) {
        throw new RunFolderError(`checkpoint ${ckpts[i]} does not fit this run's model (${(e as Error).message})`);
      }
      loaded = read;
      from = ckpts[i];
    } catch (e) {
      if (!(e instanceof RunFolderError)) throw e;
      skipped.push(e.message);
    }
  }
  if (!loaded) throw new UserError(`every checkpoint of ${dir} is damaged (newest: ${skipped[0]}); nothing to resume from`);
  for (const s of skipped) process.stderr.write(`warning: ${s}; resuming from the checkpoint before it\n`);
  const { state } = loaded;

  if (state.backend !== backend.backend) {
    process.stderr.write(`warning: checkpoint was written on the ${state.backend} backend, resuming on ${backend.backend}: metrics will not match bit for bit\n`);
  }
  // the model holds the checkpoint's state (imported in the loop above)
  // config.json changes only once the resume is known to go ahead
  if (options.steps !== undefined) writeConfig(paths, config);
  truncateMetrics(paths, from);
  // passes of steps before `from` are on disk (probeRunner.ts); the pass at `from` itself may not
  // be, or only in part: it is recomputed from this checkpoint whenever one was due there
  const pb = config.probeEvery > 0 ? probeBatches(config, layout) : null;
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
