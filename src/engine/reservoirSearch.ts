/**
 * `train --model reservoir --search`: a small seeded random search over ridge, spectral radius, leak
 * and input scale. Each candidate is trained on `trainSteps` batches and scored by perf on fresh
 * validation trials (streams of their own, never used by the run itself). The engine builds the
 * model with the best candidate, records it in the config it writes, and the whole table goes to
 * search.json in the run folder.
 */
import type { ReservoirOptions } from '../../models/reservoir/options.js';
import { estRng } from '../../probes/estimators/random.js';
import { getTask } from '../../tasks/registry.js';
import { stream, streamKey } from '../core/rng.js';
import type { TaskLayout } from '../../tasks/types.js';
import { type Config, taskList } from '../config/schema.js';
import { buildModel } from './setup.js';
import { evaluatePerf } from './evaluate.js';

interface SearchRow extends Pick<ReservoirOptions, 'ridge' | 'spectralRadius' | 'leak' | 'inputScale'> {
  perf: number;
  seconds: number;
}

const searchSpace = {
  ridge: [1e-6, 1e-4, 1e-2, 1],
  spectralRadius: [0.5, 0.8, 0.95, 1.1],
  leak: [0.1, 0.3, 0.6, 1],
  inputScale: [0.3, 1, 3],
};

export function searchReservoir(config: Config, layout: TaskLayout, candidates = 12, trainSteps = 10): { best: ReservoirOptions; table: SearchRow[] } {
  const rng = estRng(`reservoir-search/${config.seed}`);
  const pick = <T>(a: readonly T[]) => a[rng.int(a.length)];
  const tasks = taskList(config);
  const reservoir = config.reservoir as ReservoirOptions;
  const table: SearchRow[] = [];
  const tried = new Set<string>([JSON.stringify([reservoir.ridge, reservoir.spectralRadius, reservoir.leak, reservoir.inputScale])]);
  const cands: ReservoirOptions[] = [{ ...reservoir }]; // the configured values compete too
  while (cands.length < candidates && tried.size < 4 * 4 * 4 * 3) {
    const c = { ...reservoir, ridge: pick(searchSpace.ridge), spectralRadius: pick(searchSpace.spectralRadius), leak: pick(searchSpace.leak), inputScale: pick(searchSpace.inputScale) };
    const key = JSON.stringify([c.ridge, c.spectralRadius, c.leak, c.inputScale]);
    if (tried.has(key)) continue;
    tried.add(key);
    cands.push(c);
  }
  cands.forEach((c, ci) => {
    const t0 = performance.now();
    const model = buildModel(config, layout, c);
    for (let s = 1; s <= trainSteps; s++) {
      const task = getTask(tasks[(s - 1) % tasks.length]);
      // 1_000_000 + ...: search streams never coincide with the run's own training steps
      const key = 1_000_000 + ci * 1000 + s;
      model.trainStep(task.sample(config.batch, stream(config.seed, 'trials', key), 'train', layout), { key: (b) => streamKey(config.seed, 'noise', key, b) });
    }
    const perf = evaluatePerf(model, tasks, layout, config.seed, 2_000_000 + ci, config.evalBatches, config.evalTrials).perf;
    table.push({ ridge: c.ridge, spectralRadius: c.spectralRadius, leak: c.leak, inputScale: c.inputScale, perf, seconds: +((performance.now() - t0) / 1000).toFixed(2) });
  });
  let bi = 0;
  table.forEach((r, i) => {
    if (r.perf > table[bi].perf) bi = i;
  });
  return { best: cands[bi], table };
}
