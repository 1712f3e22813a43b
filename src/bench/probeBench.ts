/**
 * `infoscope bench probes`: one full probe pass per hook at defaults — 200 test-mode Go trials
 * (8 direction classes x 25, directions continuous within their classes), a 256-unit RNN, the test-mode trial length (100 steps) — and the estimators
 * separately, so the cost of each is visible.
 */
import { getProbe, probeNames } from '../../probes/hooks/registry.js';
import type { ProbeContext } from '../../probes/hooks/types.js';
import { stream, streamKey } from '../core/rng.js';
import { initBackend, type BackendChoice } from '../engine/backend.js';
import { normalizeConfig } from '../config/normalize.js';
import { gramSqDist } from '../../probes/estimators/gram.js';
import { buildModel, layoutFor, probeBatch } from '../engine/setup.js';

interface ProbeBenchLine {
  hook: string;
  estimators: string[];
  ms: number;
  records: number;
}

export async function benchProbes(backend: BackendChoice, emit: (l: ProbeBenchLine) => void, hooks = probeNames()): Promise<void> {
  await initBackend(backend);
  const config = normalizeConfig({ seed: 1 });
  const layout = layoutFor(config);
  const model = buildModel(config, layout);
  // a few training steps so that activity is not that of the initial weights only
  const task = (await import('../../tasks/registry.js')).getTask('go');
  for (let s = 1; s <= 5; s++) model.trainStep(task.sample(64, stream(1, 'trials', s), 'train', layout), { key: (b) => streamKey(1, 'noise', s, b) });
  const batch = probeBatch(config, layout);
  const activity = model.run(batch, { key: (b) => streamKey(1, 'probes', 1, b) });
  for (const name of hooks) {
    const hook = getProbe(name);
    const sets = [[...hook.defaultEstimators], ...(hook.defaultEstimators.length > 1 ? hook.defaultEstimators.map((e) => [e]) : [])];
    for (const ests of sets) {
      const ctx: ProbeContext = { step: 0, batch, activity, labels: batch.dirIndex, ...(config.probeSampling === 'continuous' ? { directions: batch.stimDir } : {}), seed: 1, memo: new Map(), sqDist: gramSqDist };
      const t0 = performance.now();
      const out = hook.run(ctx, ests, hook.optionsSchema?.parse({}) ?? {});
      emit({ hook: name, estimators: ests, ms: +(performance.now() - t0).toFixed(1), records: out.records.length });
    }
  }
  model.dispose();
}
