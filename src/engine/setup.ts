/**
 * From a normal-form config to the objects a run needs: the tasks' shared layout and sizes, the
 * model, the probe batch. The engine asks tasks and model factories; it computes none of their rules.
 */
import { getModel } from '../../models/registry.js';
import type { Model } from '../../models/types.js';
import { layoutFromOptions } from '../../tasks/layout.js';
import { getTask } from '../../tasks/registry.js';
import type { TaskLayout, TaskSizes, TrialBatch } from '../../tasks/types.js';
import { type Config, modelOptions, taskList } from '../config/schema.js';
import { stream } from '../core/rng.js';

export function layoutFor(config: Config): TaskLayout {
  return layoutFromOptions(config.stimulus, config.timing);
}

/** Input and output sizes of the run's tasks (they must agree: one network serves them all). */
function runSizes(config: Config, layout: TaskLayout): TaskSizes {
  const [first, ...rest] = taskList(config).map((t) => ({ t, s: getTask(t).sizes(layout) }));
  for (const r of rest) {
    if (r.s.nIn !== first.s.nIn || r.s.nOut !== first.s.nOut) throw new Error(`tasks ${first.t} and ${r.t} have different input or output sizes; one network cannot serve both`);
  }
  return first.s;
}

/** The model of a config; `options` replaces its section (the reservoir search uses that). */
export function buildModel(config: Config, layout: TaskLayout, options: Record<string, unknown> = modelOptions(config)): Model {
  const { nIn, nOut } = runSizes(config, layout);
  return getModel(config.model).create({ nIn, nOut, dt: layout.dt, tau: layout.tau, threads: config.threads, options, rng: stream(config.seed, 'weights') });
}

/**
 * The fixed probe batch of the run's task number `index` (test mode: aligned timings, evenly spaced
 * directions). A larger batch (probeMaxTrials) is drawn fresh, from a stream of its own, never
 * resampled. The first task keeps the streams a single-task run has always used.
 */
export function probeBatch(config: Config, layout: TaskLayout, trials = config.probeTrials, index = 0): TrialBatch {
  const task = getTask(taskList(config)[index]);
  const tag = index === 0 ? [] : [index];
  const rng = trials === config.probeTrials ? stream(config.seed, 'probes', 0, ...(index === 0 ? [] : [0, index])) : stream(config.seed, 'probes', 0, trials, ...tag);
  return task.sample(trials, rng, 'test', layout, { directions: config.probeDirections, continuous: config.probeSampling === 'continuous', noise: true });
}

/** One fixed probe batch per task of the run, in the config's order. */
export function probeBatches(config: Config, layout: TaskLayout): TrialBatch[] {
  return taskList(config).map((_, i) => probeBatch(config, layout, config.probeTrials, i));
}
