/**
 * Performance on fresh random-mode trials. A training batch shares one draw of timings and modality,
 * so one big batch measures one delay only: evaluate over several batches per task (the reference:
 * 16 x 32) and average. Each task scores with its own performance measure.
 */
import type { Model } from '../../models/types.js';
import { getTask } from '../../tasks/registry.js';
import { stream, streamKey } from '../core/rng.js';
import type { TaskLayout } from '../../tasks/types.js';

interface EvalResult {
  /** Mean perf over tasks. */
  perf: number;
  perfStrict: number;
  /** Lowest per-task perf (what --target-perf compares with). */
  minPerf: number;
  byTask: Record<string, number>;
}

export function evaluatePerf(model: Model, tasks: readonly string[], layout: TaskLayout, seed: number, step: number, batches: number, trials: number): EvalResult {
  const byTask: Record<string, number> = {};
  let sum = 0;
  let sumStrict = 0;
  let min = Infinity;
  tasks.forEach((name, ti) => {
    const task = getTask(name);
    let p = 0;
    let ps = 0;
    for (let k = 0; k < batches; k++) {
      const batch = task.sample(trials, stream(seed, 'eval', step, ti, k, 0), 'train', layout);
      const rec = model.run(batch, { key: (b) => streamKey(seed, 'eval', step, ti, k, 1, b) });
      const r = task.perf(rec.output, batch);
      p += r.perf;
      ps += r.perfStrict;
    }
    byTask[name] = p / batches;
    sum += p / batches;
    sumStrict += ps / batches;
    min = Math.min(min, p / batches);
  });
  return { perf: sum / tasks.length, perfStrict: sumStrict / tasks.length, minPerf: min, byTask };
}
