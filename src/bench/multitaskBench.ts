/**
 * `infoscope bench multitask`: the paper's setup (preset yang2019: 20 tasks with the paper's
 * weights, 256 softplus units, batches of 64) timed on a recorded slice of its training, against the
 * same network in PyTorch (scripts/pytorch/multitask_steps.py) on the very same batches, in
 * alternating rounds. From the slice it extrapolates the wall time of the paper's whole budget of 1e7
 * trials: steps x the measured time per step, plus one evaluation (16 x 32 trials of every task)
 * every 500 steps, measured too. The batches vary in length (T from 40 to 209 steps), as in training.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getTask } from '../../tasks/registry.js';
import type { TrialBatch } from '../../tasks/types.js';
import { median } from '../../probes/estimators/special.js';
import { stream, streamKey } from '../core/rng.js';
import { UserError } from '../core/errors.js';
import { normalizeConfig } from '../config/normalize.js';
import { taskList } from '../config/schema.js';
import type { BackendChoice } from '../config/backends.js';
import { encodeNpy } from '../runfolder/npy.js';
import { initBackend } from '../engine/backend.js';
import { evaluatePerf } from '../engine/evaluate.js';
import { pickWeighted } from '../engine/loop.js';
import { buildModel, layoutFor } from '../engine/setup.js';
import { checkPytorch, runReference } from './pytorchReference.js';
import { stepFlops } from './trainBench.js';

interface MultitaskBenchOptions {
  steps: number;
  rounds: number;
  threads: number;
  backend: BackendChoice;
  python?: string;
  pytorchThreads: number;
}

/** Steps of each round left out of the timing (first touches of memory, thread start). */
const WARMUP = 2;

interface PytorchSlice {
  ms_total: number;
  steps_timed: number;
  ms_per_step: number;
  threads: number;
  torch: string;
}

export async function benchMultitask(o: MultitaskBenchOptions) {
  for (const k of ['steps', 'rounds', 'threads', 'pytorchThreads'] as const) {
    if (!Number.isInteger(o[k]) || o[k] < 1) throw new UserError(`bench multitask: ${k} must be a positive integer, got ${o[k]}`);
  }
  if (o.steps <= WARMUP) throw new UserError(`bench multitask: steps must be more than the ${WARMUP} warm-up steps, got ${o.steps}`);
  const torchVersion = o.python ? checkPytorch(o.python, 'bench multitask --pytorch') : null;
  const backend = await initBackend(o.backend);
  const config = normalizeConfig({ preset: 'yang2019', seed: 1, threads: o.threads, backend: o.backend });
  const layout = layoutFor(config);
  const tasks = taskList(config);
  const weights = tasks.map((t) => config.taskWeights[t]);
  // the first `steps` batches of a yang2019 run with seed 1, as its training loop draws them
  const batches: TrialBatch[] = [];
  for (let s = 1; s <= o.steps; s++) {
    const task = getTask(tasks[pickWeighted(stream(config.seed, 'task-choice', s).next(), weights)]);
    batches.push(task.sample(config.batch, stream(config.seed, 'trials', s), 'train', layout));
  }
  const timed = batches.slice(WARMUP);
  const flops = timed.reduce((a, b) => a + stepFlops(b.T, b.B, config.rnn?.hidden ?? 256, b.nIn, b.nOut), 0);
  const dir = o.python ? mkdtempSync(join(tmpdir(), 'infoscope-multitask-')) : null;
  try {
    if (dir) {
      batches.forEach((b, i) => {
        for (const [k, a] of [['x', b.x], ['y', b.y], ['c', b.cMask]] as const) writeFileSync(join(dir, `step-${i + 1}-${k}.npy`), encodeNpy(a, [b.T, b.B, k === 'x' ? b.nIn : b.nOut]));
      });
    }
    const ours: number[] = [];
    const theirs: PytorchSlice[] = [];
    for (let r = 0; r < o.rounds; r++) {
      const model = buildModel(config, layout);
      let ms = 0;
      batches.forEach((b, i) => {
        const t0 = performance.now();
        model.trainStep(b, { key: (k) => streamKey(config.seed, 'noise', i + 1, k) });
        if (i >= WARMUP) ms += performance.now() - t0;
      });
      model.dispose();
      ours.push(ms / timed.length);
      if (o.python && dir) theirs.push(runReference<PytorchSlice>(o.python, 'multitask_steps.py', ['--dir', dir, '--steps', o.steps, '--warmup', WARMUP], o.pytorchThreads, 'bench multitask --pytorch').result);
    }
    // one evaluation as the preset runs it, every evalEvery steps: evalBatches x evalTrials of every task
    const model = buildModel(config, layout);
    const e0 = performance.now();
    evaluatePerf(model, tasks, layout, config.seed, 0, config.evalBatches, config.evalTrials);
    const evalS = (performance.now() - e0) / 1000;
    model.dispose();
    const msStep = median(ours);
    const budget = config.steps;
    const extrapolated = (budget * msStep) / 1000 + Math.floor(budget / config.evalEvery) * evalS;
    const pyStep = theirs.length ? median(theirs.map((t) => t.ms_per_step)) : null;
    return {
      preset: 'yang2019',
      steps_timed_per_round: timed.length,
      mean_T: +(timed.reduce((a, b) => a + b.T, 0) / timed.length).toFixed(1),
      tasks_in_slice: new Set(timed.map((b) => b.task)).size,
      infoscope: { ms_per_step: +msStep.toFixed(2), rounds: ours.map((x) => +x.toFixed(2)), gflops: +(flops / timed.length / (msStep * 1e6)).toFixed(1), backend: backend.backend, threads: o.threads },
      eval_s: +evalS.toFixed(2),
      budget: { steps: budget, trials: budget * config.batch, evaluations: Math.floor(budget / config.evalEvery), wall_h_extrapolated: +(extrapolated / 3600).toFixed(2) },
      ...(pyStep !== null
        ? {
            pytorch: { ms_per_step: +pyStep.toFixed(2), rounds: theirs.map((t) => t.ms_per_step), threads: o.pytorchThreads, torch: torchVersion },
            ratio_step: +(msStep / pyStep).toFixed(3),
            ratio_rounds: ours.map((x, i) => +(x / theirs[i].ms_per_step).toFixed(3)),
            pytorch_budget_wall_h_extrapolated: +((budget * pyStep) / 1000 / 3600).toFixed(2),
          }
        : {}),
    };
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}
