/** `infoscope probe`: run probe hooks on a run's saved checkpoints after the fact. */
import { getProbe } from '../../probes/hooks/registry.js';
import { isRunFolder, listCheckpoints, readCheckpoint, readConfig, readMeta, runPaths, writeMeta } from '../runfolder/runFolder.js';
import { initBackend } from './backend.js';
import { UserError } from './errors.js';
import { probeBatch, runProbes } from './probe.js';
import { buildModel, layoutFor } from './train.js';

export interface PosthocOptions {
  hooks?: string[];
  estimators?: string[];
  checkpoints?: 'all' | 'last';
}

export async function probeRun(dir: string, o: PosthocOptions = {}): Promise<{ checkpoints: number[]; records: number; seconds: number }> {
  const paths = runPaths(dir);
  if (!isRunFolder(paths.dir)) throw new UserError(`${dir} is not a run folder (no config.json and meta.json there)`);
  const config = readConfig(paths);
  for (const h of o.hooks ?? []) {
    try {
      getProbe(h);
    } catch (e) {
      throw new UserError((e as Error).message);
    }
  }
  // hooks asked for but not in the run's config get their defaults
  for (const h of o.hooks ?? []) if (!config.probes.some((p) => p.hook === h)) config.probes.push({ hook: h });
  const steps = listCheckpoints(paths);
  if (steps.length === 0) throw new UserError(`${dir} has no checkpoint to probe`);
  const chosen = o.checkpoints === 'last' ? steps.slice(-1) : steps;
  await initBackend(config.backend);
  const layout = layoutFor(config);
  const batch = probeBatch(config, layout);
  let records = 0;
  let seconds = 0;
  for (const step of chosen) {
    const model = buildModel(config, layout);
    model.importState(readCheckpoint(paths, step).model);
    const r = runProbes(paths, config, model, batch, step, 'posthoc', { hooks: o.hooks, estimators: o.estimators });
    records += r.records.length;
    seconds += r.seconds;
    model.dispose();
  }
  const meta = readMeta(paths);
  meta.timing.probe_s += seconds;
  writeMeta(paths, meta);
  return { checkpoints: chosen, records, seconds };
}
