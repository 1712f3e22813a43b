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
import { type RunPaths, writeProbeOutput } from '../runfolder/runFolder.js';

export interface ProbeResult {
  records: ProbeRecord[];
  seconds: number;
}

export function runProbes(paths: RunPaths, config: Config, model: Model, batch: TrialBatch, step: number, origin: 'train' | 'posthoc', only?: { hooks?: string[]; estimators?: string[] }): ProbeResult {
  const t0 = performance.now();
  const activity = model.run(batch, { key: (b) => streamKey(config.seed, 'probes', 1, b) });
  const ctx: ProbeContext = { step, batch, activity, labels: batch.dirIndex, seed: config.seed, memo: new Map(), sqDist: gramSqDist };
  const records: ProbeRecord[] = [];
  const arrays: Array<{ name: string; data: Float32Array; shape: number[] }> = [];
  for (const spec of config.probes) {
    if (only?.hooks && !only.hooks.includes(spec.hook)) continue;
    const ests = only?.estimators ? spec.estimators.filter((e) => only.estimators?.includes(e)) : spec.estimators;
    if (ests.length === 0) continue;
    const out = getProbe(spec.hook).run(ctx, ests, spec.options);
    for (const r of out.records) records.push({ ...r, origin });
    arrays.push(...out.arrays);
  }
  writeProbeOutput(paths, step, origin, records, arrays);
  return { records, seconds: (performance.now() - t0) / 1000 };
}
