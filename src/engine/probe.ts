/**
 * Running probe hooks on a model at a checkpoint. The probe batch is fixed for the whole run (test
 * mode: fixed timings, evenly spaced directions; recurrent noise drawn from the same streams at
 * every checkpoint), so differences between checkpoints are the network's, not the sample's.
 * Hooks receive the options the config normaliser validated and filled.
 */
import type { Model } from '../../models/types.js';
import { gramSqDist } from '../../probes/estimators/gram.js';
import { getProbe } from '../../probes/hooks/registry.js';
import type { ProbeContext, ProbeRecord } from '../../probes/hooks/types.js';
import type { TrialBatch } from '../../tasks/types.js';
import type { Config } from '../config/schema.js';
import { streamKey } from '../core/rng.js';
import { writeProbeOutput } from '../runfolder/runFolder.js';
import { type RunPaths } from '../runfolder/paths.js';
import { HOOK, QUANTITY } from '../../probes/hooks/records.js';
import type { TaskLayout } from '../../tasks/types.js';
import { probeBatch } from './setup.js';

interface ProbeResult {
  records: ProbeRecord[];
  seconds: number;
}

type ProbeArrays = Array<{ name: string; data: Float32Array; shape: number[] }>;

function probePass(config: Config, model: Model, batch: TrialBatch, step: number, origin: 'train' | 'posthoc', only?: { hooks?: string[]; estimators?: string[] }): { records: ProbeRecord[]; arrays: ProbeArrays } {
  const activity = model.run(batch, { key: (b) => streamKey(config.seed, 'probes', 1, b) });
  const ctx: ProbeContext = { step, batch, activity, labels: batch.dirIndex, ...(config.probeSampling === 'continuous' ? { directions: batch.stimDir } : {}), seed: config.seed, memo: new Map(), sqDist: gramSqDist };
  const records: ProbeRecord[] = [];
  const arrays: ProbeArrays = [];
  for (const spec of config.probes) {
    if (only?.hooks && !only.hooks.includes(spec.hook)) continue;
    const ests = only?.estimators ? spec.estimators.filter((e) => only.estimators?.includes(e)) : spec.estimators;
    if (ests.length === 0) continue;
    const out = getProbe(spec.hook).run(ctx, ests, spec.options);
    for (const r of out.records) records.push({ ...r, params: { ...r.params, trials: batch.B }, origin });
    arrays.push(...out.arrays);
  }
  return { records, arrays };
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
 * One probe pass at a checkpoint. The simulator can draw as many trials as it likes: while more than
 * a fifth of the layer's decoder records are not reliable and probeMaxTrials allows, the pass is
 * repeated on a fresh batch of twice the trials (records say how many in params.trials).
 */
export function runProbes(paths: RunPaths, config: Config, model: Model, batch: TrialBatch, layout: TaskLayout, step: number, origin: 'train' | 'posthoc', only?: { hooks?: string[]; estimators?: string[] }): ProbeResult {
  const t0 = performance.now();
  let out = probePass(config, model, batch, step, origin, only);
  let trials = batch.B;
  const cap = config.probeMaxTrials ?? config.probeTrials;
  while (trials < cap && shareNeedingTrials(out.records) > MORE_TRIALS_SHARE) {
    trials = Math.min(cap, 2 * trials);
    out = probePass(config, model, probeBatch(config, layout, trials), step, origin, only);
  }
  writeProbeOutput(paths, step, origin, out.records, out.arrays);
  return { records: out.records, seconds: (performance.now() - t0) / 1000 };
}
