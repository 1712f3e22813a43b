/**
 * Running probe hooks on a model at a checkpoint. Each task of the run has its own fixed probe batch
 * (test mode: fixed timings, evenly spaced directions; recurrent noise drawn from the same streams at
 * every checkpoint), so differences between checkpoints are the network's, not the sample's. Task
 * hooks run on each task's batch and their records name the task; run hooks (the rule hook) run once
 * per pass on every task's activity. Hooks receive the options the config normaliser validated.
 */
import type { Model } from '../../models/types.js';
import { gramSqDist } from '../../probes/estimators/gram.js';
import { getProbe } from '../../probes/hooks/registry.js';
import type { ProbeContext, ProbeRecord, TaskActivity } from '../../probes/hooks/types.js';
import type { TrialBatch } from '../../tasks/types.js';
import type { Config } from '../config/schema.js';
import { streamKey } from '../core/rng.js';
import { writeProbeOutput } from '../runfolder/runFolder.js';
import { type RunPaths } from '../runfolder/paths.js';
import { HOOK, QUANTITY } from '../../probes/hooks/records.js';
import type { TaskLayout } from '../../tasks/types.js';
import { networkAccess } from './network.js';
import { probeBatch } from './setup.js';

interface ProbeResult {
  records: ProbeRecord[];
  seconds: number;
}

type ProbeArrays = Array<{ name: string; data: Float32Array; shape: number[] }>;
type Only = { hooks?: string[]; estimators?: string[] };

/** The hooks of the config a pass runs (those `only` leaves), with their estimators. */
function chosenSpecs(config: Config, only?: Only) {
  return config.probes
    .filter((spec) => !only?.hooks || only.hooks.includes(spec.hook))
    .map((spec) => ({ spec, hook: getProbe(spec.hook), ests: only?.estimators ? spec.estimators.filter((e) => only.estimators?.includes(e)) : spec.estimators }))
    .filter((c) => c.ests.length > 0);
}

/** The task hooks on one task's batch (task index i: its own recurrent-noise streams, the first task's as ever). */
function taskPass(config: Config, model: Model, batch: TrialBatch, i: number, step: number, origin: 'train' | 'posthoc', only?: Only): { records: ProbeRecord[]; arrays: ProbeArrays; activity: TaskActivity } {
  const key = i === 0 ? (b: number) => streamKey(config.seed, 'probes', 1, b) : (b: number) => streamKey(config.seed, 'probes', 1, b, i);
  const activity = model.run(batch, { key });
  const ctx: ProbeContext = { step, batch, activity, labels: batch.dirIndex, ...(config.probeSampling === 'continuous' ? { directions: batch.stimDir } : {}), seed: config.seed, memo: new Map(), sqDist: gramSqDist };
  const records: ProbeRecord[] = [];
  const arrays: ProbeArrays = [];
  for (const { spec, hook, ests } of chosenSpecs(config, only)) {
    if (hook.scope === 'run') continue;
    const out = hook.run(ctx, ests, spec.options);
    for (const r of out.records) records.push({ ...r, task: batch.task, params: { ...r.params, trials: batch.B }, origin });
    arrays.push(...out.arrays);
  }
  return { records, arrays, activity: { task: batch.task, batch, activity } };
}

/**
 * Share of the layer's decoder-bound records whose verdict says more trials would help ('biased' or
 * 'unstable'; a saturated value is already as informative as it gets).
 */
function shareNeedingTrials(records: readonly ProbeRecord[]): number {
  const layer = records.filter((r) => r.hook === HOOK.layer && r.estimator === 'decoder' && r.quantity === QUANTITY.stimulusLayer);
  if (layer.length === 0) return 0;
  return layer.filter((r) => r.reliability === 'biased' || r.reliability === 'unstable').length / layer.length;
}

/** Above this share of unreliable layer records, a probe pass is repeated on twice the trials (up to probeMaxTrials). */
const MORE_TRIALS_SHARE = 0.2;

/**
 * One probe pass at a checkpoint. Per task: while more than a fifth of the layer's decoder records
 * are not reliable and probeMaxTrials allows, the task's pass is repeated on a fresh batch of twice
 * the trials (records say how many in params.trials). A run with several tasks names each task's
 * arrays `<task>--<array>`, then runs its run hooks on all tasks' activity.
 */
export function runProbes(paths: RunPaths, config: Config, model: Model, batches: readonly TrialBatch[], layout: TaskLayout, step: number, origin: 'train' | 'posthoc', only?: Only): ProbeResult {
  const t0 = performance.now();
  const records: ProbeRecord[] = [];
  const arrays: ProbeArrays = [];
  const activities: TaskActivity[] = [];
  const cap = config.probeMaxTrials ?? config.probeTrials;
  batches.forEach((batch, i) => {
    let out = taskPass(config, model, batch, i, step, origin, only);
    let trials = batch.B;
    while (trials < cap && shareNeedingTrials(out.records) > MORE_TRIALS_SHARE) {
      trials = Math.min(cap, 2 * trials);
      out = taskPass(config, model, probeBatch(config, layout, trials, i), i, step, origin, only);
    }
    records.push(...out.records);
    arrays.push(...(batches.length > 1 ? out.arrays.map((a) => ({ ...a, name: `${batch.task}--${a.name}` })) : out.arrays));
    activities.push(out.activity);
  });
  if (batches.length > 1) {
    for (const { spec, hook, ests } of chosenSpecs(config, only)) {
      if (hook.scope !== 'run') continue;
      const first = activities[0];
      const ctx: ProbeContext = { step, batch: first.batch, activity: first.activity, labels: first.batch.dirIndex, tasks: activities, network: networkAccess(config, model, layout, step), seed: config.seed, memo: new Map(), sqDist: gramSqDist };
      const out = hook.run(ctx, ests, spec.options);
      for (const r of out.records) records.push({ ...r, params: { ...r.params, trials: first.batch.B }, origin });
      arrays.push(...out.arrays);
    }
  }
  writeProbeOutput(paths, step, origin, records, arrays);
  return { records, seconds: (performance.now() - t0) / 1000 };
}
