/**
 * Running probe hooks on a model at a checkpoint. The probe batch is fixed for the whole run (test
 * mode: fixed timings, evenly spaced directions; recurrent noise drawn from the same streams at
 * every checkpoint), so differences between checkpoints are the network's, not the sample's.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Model } from '../../models/types.js';
import { getProbe } from '../../probes/hooks/registry.js';
import type { ProbeContext, ProbeRecord } from '../../probes/hooks/types.js';
import { getTask } from '../../tasks/registry.js';
import { stream, streamKey } from '../../tasks/rng.js';
import type { TaskLayout, TrialBatch } from '../../tasks/types.js';
import { appendJsonl, writeFileAtomic } from '../runfolder/atomic.js';
import { encodeNpy } from '../runfolder/npy.js';
import type { RunPaths } from '../runfolder/runFolder.js';
import type { Config } from '../runfolder/schema.js';
import { UserError } from './errors.js';
import { gramSqDist } from './gramDistance.js';
import { taskList } from './config.js';

export function probeBatch(config: Config, layout: TaskLayout): TrialBatch {
  const task = getTask(taskList(config)[0]);
  return task.sample(config.probeTrials, stream(config.seed, 'probes', 0), 'test', layout, { directions: config.probeDirections, noise: true });
}

/** Check the probe specs of a config against the registry (names of hooks and estimators). */
export function validateProbes(config: Config): void {
  for (const p of config.probes) {
    let hook;
    try {
      hook = getProbe(p.hook);
    } catch (e) {
      throw new UserError(`invalid config: "probes" ${(e as Error).message}`);
    }
    for (const e of p.estimators ?? []) {
      if (!hook.estimators.includes(e)) throw new UserError(`invalid config: probe hook "${p.hook}" has no estimator "${e}"; it offers ${hook.estimators.join(', ')}`);
    }
  }
}

export interface ProbeResult {
  records: ProbeRecord[];
  seconds: number;
}

export function runProbes(paths: RunPaths, config: Config, model: Model, batch: TrialBatch, step: number, origin: 'train' | 'posthoc', only?: { hooks?: string[]; estimators?: string[] }): ProbeResult {
  const t0 = performance.now();
  const activity = model.run(batch, { key: (b) => streamKey(config.seed, 'probes', 1, b) });
  const ctx: ProbeContext = { step, batch, activity, labels: batch.dirIndex, seed: config.seed, memo: new Map(), sqDist: gramSqDist };
  const records: ProbeRecord[] = [];
  mkdirSync(paths.arrays, { recursive: true });
  for (const spec of config.probes) {
    if (only?.hooks && !only.hooks.includes(spec.hook)) continue;
    const hook = getProbe(spec.hook);
    let ests = spec.estimators ?? [...hook.defaultEstimators];
    if (only?.estimators) ests = ests.filter((e) => only.estimators?.includes(e));
    if (ests.length === 0) continue;
    const out = hook.run(ctx, ests, spec.options ?? {});
    for (const r of out.records) records.push({ ...r, origin });
    for (const a of out.arrays) {
      const suffix = origin === 'posthoc' ? '-posthoc' : '';
      writeFileAtomic(join(paths.arrays, `step-${step}-${a.name}${suffix}.npy`), encodeNpy(a.data, a.shape));
    }
  }
  appendJsonl(paths.probes, records.map((r) => ({ ...r, value: Number.isFinite(r.value) ? r.value : null })));
  return { records, seconds: (performance.now() - t0) / 1000 };
}
