/** `infoscope probe`: run probe hooks on a run's saved checkpoints after the fact. */
import { probeRegistry } from '../../probes/hooks/registry.js';
import { normalizeConfig } from '../config/normalize.js';
import { UserError } from '../core/errors.js';
import { readConfig, readMeta, writeMeta } from '../runfolder/runFolder.js';
import { type RunPaths, isRunFolder, runPaths } from '../runfolder/paths.js';
import { listCheckpoints, readCheckpoint } from '../runfolder/checkpoints.js';
import { acquireRunLock } from '../runfolder/lock.js';
import type { Config } from '../config/schema.js';
import type { TaskLayout, TrialBatch } from '../../tasks/types.js';
import { initBackend } from './backend.js';
import { runProbes } from './probe.js';
import { yieldToEventLoop } from './stop.js';
import { buildModel, layoutFor, probeBatches } from './setup.js';
import { readRecordedBatch } from './recorded.js';
import { RECORDED_TASK } from '../../tasks/recorded.js';

interface PosthocOptions {
  hooks?: string[];
  estimators?: string[];
  checkpoints?: 'all' | 'last';
  /** Checked between checkpoints: stop early (the CLI wires SIGINT/SIGTERM here). */
  shouldStop?: () => boolean;
}

export async function probeRun(dir: string, o: PosthocOptions = {}): Promise<{ checkpoints: number[]; records: number; seconds: number; stopped: boolean }> {
  const paths = runPaths(dir);
  if (!isRunFolder(paths.dir)) throw new UserError(`${dir} is not a run folder (no config.json and meta.json there)`);
  const stored = readConfig(paths);
  for (const h of o.hooks ?? []) if (!probeRegistry.has(h)) throw new UserError(`unknown probe hook "${h}"; known hooks: ${probeRegistry.names().join(', ')}`);
  // hooks asked for but not in the run's config get their defaults; all go through the config door
  const extra = (o.hooks ?? []).filter((h) => !stored.probes.some((p) => p.hook === h)).map((hook) => ({ hook }));
  const config = normalizeConfig({ ...stored, probes: [...stored.probes, ...extra] });
  const chosen = config.probes.filter((p) => !o.hooks || o.hooks.includes(p.hook));
  for (const e of o.estimators ?? []) {
    if (!chosen.some((p) => p.estimators.includes(e))) {
      const offered = [...new Set(chosen.flatMap((p) => p.estimators))];
      throw new UserError(`no chosen probe hook runs estimator "${e}"; they run ${offered.join(', ')}`);
    }
  }
  const steps = listCheckpoints(paths);
  if (steps.length === 0) throw new UserError(`${dir} has no checkpoint to probe`);
  const which = o.checkpoints === 'last' ? steps.slice(-1) : steps;
  await initBackend(config.backend);
  const layout = layoutFor(config);
  // an imported recording's trials are read from its folder; every other run's are generated again
  const batches = config.task === RECORDED_TASK ? [readRecordedBatch(paths, config)] : probeBatches(config, layout);
  const lock = acquireRunLock(paths.dir);
  try {
    return await probeLocked(paths, config, layout, batches, which, o);
  } finally {
    lock.release();
  }
}

async function probeLocked(paths: RunPaths, config: Config, layout: TaskLayout, batches: readonly TrialBatch[], which: number[], o: PosthocOptions): Promise<{ checkpoints: number[]; records: number; seconds: number; stopped: boolean }> {
  let records = 0;
  let seconds = 0;
  const done: number[] = [];
  for (const step of which) {
    await yieldToEventLoop();
    if (o.shouldStop?.()) break;
    const model = buildModel(config, layout);
    model.importState(readCheckpoint(paths, step).model);
    const r = runProbes(paths, config, model, batches, layout, step, 'posthoc', { hooks: o.hooks, estimators: o.estimators });
    records += r.records.length;
    seconds += r.seconds;
    model.dispose();
    done.push(step);
  }
  const meta = readMeta(paths);
  meta.timing.probe_s += seconds;
  writeMeta(paths, meta);
  return { checkpoints: done, records, seconds, stopped: done.length < which.length };
}
