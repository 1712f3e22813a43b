/**
 * `infoscope bench train`: time of one full Adam step (forward, backward, update) of the leaky RNN on
 * random data, and the arithmetic it does. FLOPs are counted from the matmuls (2 m k n each); the
 * elementwise work is a few percent on top and is left out.
 */
import { blankFacts } from '../../tasks/trial.js';
import { LeakyRnn, rnnSetup } from '../../models/rnn/leakyRnn.js';
import type { Activation } from '../../models/rnn/activations.js';
import { stream, streamKey } from '../core/rng.js';
import type { TrialBatch } from '../../tasks/types.js';
import { initBackend, type BackendChoice } from '../engine/backend.js';
import { UserError } from '../core/errors.js';
import { activeNativeKernels } from '../../models/native.js';
import { median } from '../../probes/estimators/special.js';
import { type PytorchStepResult, checkPytorch, runPytorchStep } from './pytorchReference.js';

interface TrainBenchOptions {
  batch: number;
  timeSteps: number;
  hidden: number;
  inputs: number;
  outputs: number;
  activation: Activation;
  warmup: number;
  repeats: number;
  backend: BackendChoice;
  threads: number;
  /** Time the step's products alone too (native path); default true. */
  breakdown?: boolean;
}

interface TrainBenchResult {
  ms_per_step: number;
  ms_min: number;
  gflops: number;
  gflop_per_step: number;
  backend: string;
  batch: number;
  time_steps: number;
  hidden: number;
  threads: number;
  repeats: number;
  /** Native path: the step's matrix products timed alone, on one thread (where the time goes). */
  matmul?: MatmulBreakdown;
  /** Peak resident memory of this process so far, MB (of this size alone when it ran alone: bench train --sweep). */
  max_rss_mb: number;
}

/** Matmul FLOPs of one step: forward (input, recurrence, readout) and backward (readout, recurrence, three weight gradients). */
export function stepFlops(T: number, B: number, N: number, nIn: number, nOut: number): number {
  const mm = (m: number, k: number, n: number) => 2 * m * k * n;
  const TB = T * B;
  const fwd = mm(TB, nIn, N) + (T - 1) * mm(B, N, N) + mm(TB, N, nOut);
  const bwd = mm(TB, nOut, N) + (T - 1) * mm(B, N, N) + mm(N, TB, N) + mm(nIn, TB, N) + mm(N, TB, nOut);
  return fwd + bwd;
}

export async function benchTrain(o: TrainBenchOptions): Promise<TrainBenchResult> {
  for (const k of ['batch', 'timeSteps', 'hidden', 'inputs', 'outputs', 'repeats'] as const) {
    if (!Number.isInteger(o[k]) || o[k] < 1) throw new UserError(`bench train: ${k} must be a positive integer, got ${o[k]}`);
  }
  if (!Number.isInteger(o.warmup) || o.warmup < 0) throw new UserError(`bench train: warmup must be a non-negative integer, got ${o.warmup}`);
  if (o.threads !== 1 && o.threads !== 2) throw new UserError(`bench train: threads must be 1 or 2, got ${o.threads}`);
  const backend = await initBackend(o.backend);
  const { batch: B, timeSteps: T, hidden: N, inputs: nIn, outputs: nOut } = o;
  const model = new LeakyRnn(nIn, nOut, rnnSetup({ hidden: N, activation: o.activation, recInit: 'randortho', threads: o.threads }), stream(0, 'weights'));
  const r = stream(0, 'trials');
  const x = new Float32Array(T * B * nIn);
  for (let i = 0; i < x.length; i++) x[i] = r.normal();
  const y = new Float32Array(T * B * nOut);
  for (let i = 0; i < y.length; i++) y[i] = r.next();
  const batch: TrialBatch = {
    task: 'random',
    mode: 'train',
    T,
    B,
    nIn,
    nOut,
    x,
    y,
    cMask: new Float32Array(T * B * nOut).fill(1),
    goStep: T,
    epochs: {},
    ...blankFacts(B),
  };
  const times: number[] = [];
  for (let i = 0; i < o.warmup + o.repeats; i++) {
    const t0 = performance.now();
    const { loss } = model.trainStep(batch, { key: (b) => streamKey(0, 'noise', i, b) });
    if (i >= o.warmup) times.push(performance.now() - t0);
    // a non-finite loss skips Adam: the time would be of a step that did not happen
    if (!Number.isFinite(loss)) throw new Error(`bench train: the loss became ${loss} at step ${i + 1} on the ${backend.backend} path; the timing would not be of a full step`);
  }
  model.dispose();
  times.sort((a, b) => a - b);
  const mid = times[Math.floor(times.length / 2)];
  const flops = stepFlops(T, B, N, nIn, nOut);
  return {
    ms_per_step: +mid.toFixed(2),
    ms_min: +times[0].toFixed(2),
    gflops: +(flops / (mid * 1e6)).toFixed(2),
    gflop_per_step: +(flops / 1e9).toFixed(3),
    backend: backend.backend,
    batch: B,
    time_steps: T,
    hidden: N,
    threads: o.threads,
    repeats: o.repeats,
    ...(backend.backend === 'native' && o.breakdown !== false ? { matmul: matmulBreakdown(T, B, N, nIn, nOut) } : {}),
    max_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

interface MatmulBreakdown {
  /** Best time of all the step's products run back to back on one thread (native gemm). */
  ms: number;
  gflops: number;
  /** Per product: the shape [m, k, n], how many a step runs, and GFLOP/s. */
  parts: Array<{ name: string; shape: [number, number, number]; count: number; gflops: number }>;
}

/**
 * The step's products alone, each with the native gemm on its own shape (the transposed operands of
 * the weight gradients pre-transposed: the kernel's arithmetic is the same, only its reads differ):
 * the matmul GFLOP/s against the core's FMA peak, and, by difference from the step, what the
 * elementwise work, the loss, the noise and Adam cost.
 */
function matmulBreakdown(T: number, B: number, N: number, nIn: number, nOut: number, rounds = 5): MatmulBreakdown {
  const k = activeNativeKernels();
  if (!k) throw new Error('matmulBreakdown needs the native kernels');
  const TB = T * B;
  const products: Array<{ name: string; shape: [number, number, number]; count: number }> = [
    { name: 'input projection', shape: [TB, nIn, N], count: 1 },
    { name: 'recurrence (forward)', shape: [B, N, N], count: T - 1 },
    { name: 'readout', shape: [TB, N, nOut], count: 1 },
    { name: 'readout (backward)', shape: [TB, nOut, N], count: 1 },
    { name: 'recurrence (backward)', shape: [B, N, N], count: T - 1 },
    { name: 'dW_rec', shape: [N, TB - B, N], count: 1 },
    { name: 'dW_in', shape: [nIn, TB, N], count: 1 },
    { name: 'dW_out', shape: [N, TB, nOut], count: 1 },
  ];
  const r = stream(0, 'trials');
  let total = 0;
  let flops = 0;
  const parts = products.map(({ name, shape, count }) => {
    const [m, kk, n] = shape;
    const a = new Float32Array(m * kk).map(() => r.normal());
    const b = new Float32Array(kk * n).map(() => r.normal());
    // one output array, reused as the step reuses its workspace
    const out = new Float32Array(m * n);
    let best = Infinity;
    for (let i = 0; i < rounds; i++) {
      const t0 = performance.now();
      for (let c = 0; c < count; c++) k.gemm(a, m, kk, b, n, out);
      best = Math.min(best, performance.now() - t0);
    }
    const f = 2 * m * kk * n * count;
    total += best;
    flops += f;
    return { name, shape, count, gflops: +(f / (best * 1e6)).toFixed(1) };
  });
  return { ms: +total.toFixed(2), gflops: +(flops / (total * 1e6)).toFixed(1), parts };
}

interface TrainVsPytorchResult {
  infoscope: { ms_per_step: number; ms_min: number; backend: string; threads: number; rounds: number[] };
  pytorch: { ms_per_step: number; ms_min: number; threads: number; torch: string; blas: string; rounds: number[] };
  /** Median over rounds of infoscope's median step over PyTorch's, and the same of the best steps. */
  ratio_median: number;
  ratio_best: number;
  matmul?: MatmulBreakdown;
  batch: number;
  time_steps: number;
  hidden: number;
  activation: string;
  repeats: number;
}

/** infoscope's step and PyTorch's, in alternating rounds (see pytorchReference.ts). */
export async function benchTrainVsPytorch(o: TrainBenchOptions, python: string, rounds: number, pytorchThreads: number): Promise<TrainVsPytorchResult> {
  if (!Number.isInteger(rounds) || rounds < 1) throw new UserError(`bench train: rounds must be a positive integer, got ${rounds}`);
  checkPytorch(python, 'bench train --pytorch');
  const ours: TrainBenchResult[] = [];
  const theirs: PytorchStepResult[] = [];
  for (let i = 0; i < rounds; i++) {
    ours.push(await benchTrain(o));
    theirs.push(runPytorchStep(python, o, pytorchThreads));
  }
  const ratios = ours.map((x, i) => x.ms_per_step / theirs[i].ms_per_step);
  const best = (xs: number[]) => Math.min(...xs);
  return {
    infoscope: { ms_per_step: +median(ours.map((x) => x.ms_per_step)).toFixed(2), ms_min: best(ours.map((x) => x.ms_min)), backend: ours[0].backend, threads: o.threads, rounds: ours.map((x) => x.ms_per_step) },
    pytorch: { ms_per_step: +median(theirs.map((x) => x.ms_per_step)).toFixed(2), ms_min: best(theirs.map((x) => x.ms_min)), threads: pytorchThreads, torch: theirs[0].torch, blas: theirs[0].blas, rounds: theirs.map((x) => x.ms_per_step) },
    ratio_median: +median(ratios).toFixed(3),
    ratio_best: +(best(ours.map((x) => x.ms_min)) / best(theirs.map((x) => x.ms_min))).toFixed(3),
    ...(ours[0].matmul ? { matmul: ours[0].matmul } : {}),
    batch: o.batch,
    time_steps: o.timeSteps,
    hidden: o.hidden,
    activation: o.activation,
    repeats: o.repeats,
  };
}

interface ReservoirBenchResult {
  model: 'reservoir';
  task: string;
  trials: number;
  ms_total: number;
  ms_per_trial: number;
  perf: number;
  backend: string;
  threads: number;
}

/**
 * The reservoir's training time (states + streaming ridge readout) on real Go batches of 64 trials,
 * for a given number of trials (default 4800: the 75 steps x 64 trials the RNN needs to reach
 * perf 0.95 on Go with seed 1), and the perf it reaches.
 */
export async function benchReservoir(trials: number, backendChoice: BackendChoice, threads = 1): Promise<ReservoirBenchResult> {
  if (!Number.isInteger(trials) || trials < 1) throw new UserError(`bench train: trials must be a positive integer, got ${trials}`);
  const backend = await initBackend(backendChoice);
  const { normalizeConfig } = await import('../config/normalize.js');
  const { buildModel, layoutFor } = await import('../engine/setup.js');
  const { evaluatePerf } = await import('../engine/evaluate.js');
  const { getTask } = await import('../../tasks/registry.js');
  const config = normalizeConfig({ model: 'reservoir', task: 'go', seed: 1, threads });
  const layout = layoutFor(config);
  const model = buildModel(config, layout);
  const task = getTask('go');
  const steps = Math.ceil(trials / config.batch);
  let ms = 0;
  for (let s = 1; s <= steps; s++) {
    const batch = task.sample(config.batch, stream(1, 'trials', s), 'train', layout);
    const t0 = performance.now();
    model.trainStep(batch, { key: (b) => streamKey(1, 'noise', s, b) });
    ms += performance.now() - t0;
  }
  const perf = evaluatePerf(model, ['go'], layout, 1, steps, config.evalBatches, config.evalTrials).perf;
  return { model: 'reservoir', task: 'go', trials: steps * config.batch, ms_total: +ms.toFixed(1), ms_per_trial: +(ms / (steps * config.batch)).toFixed(3), perf, backend: backend.backend, threads };
}
