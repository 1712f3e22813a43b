/**
 * `infoscope bench train`: time of one full Adam step (forward, backward, update) of the leaky RNN on
 * random data, and the arithmetic it does. FLOPs are counted from the matmuls (2 m k n each); the
 * elementwise work is a few percent on top and is left out.
 */
import { LeakyRnn, defaultRnnOptions } from '../../models/rnn/leakyRnn.js';
import type { Activation } from '../../models/rnn/activations.js';
import { stream, streamKey } from '../../tasks/rng.js';
import type { TrialBatch } from '../../tasks/types.js';
import { initBackend, type BackendChoice } from '../engine/backend.js';

export interface TrainBenchOptions {
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
}

export interface TrainBenchResult {
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
  const backend = await initBackend(o.backend);
  const { batch: B, timeSteps: T, hidden: N, inputs: nIn, outputs: nOut } = o;
  const model = new LeakyRnn(nIn, nOut, { ...defaultRnnOptions, hidden: N, activation: o.activation, recInit: 'randortho', threads: o.threads }, stream(0, 'weights'));
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
    stimDir: new Float64Array(B),
    respDir: new Float64Array(B),
    modality: new Int32Array(B),
    dirIndex: new Int32Array(B),
  };
  const times: number[] = [];
  for (let i = 0; i < o.warmup + o.repeats; i++) {
    const t0 = performance.now();
    model.trainStep(batch, { key: (b) => streamKey(0, 'noise', i, b) });
    if (i >= o.warmup) times.push(performance.now() - t0);
  }
  model.dispose();
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const flops = stepFlops(T, B, N, nIn, nOut);
  return {
    ms_per_step: +median.toFixed(2),
    ms_min: +times[0].toFixed(2),
    gflops: +(flops / (median * 1e6)).toFixed(2),
    gflop_per_step: +(flops / 1e9).toFixed(3),
    backend: backend.backend,
    batch: B,
    time_steps: T,
    hidden: N,
    threads: o.threads,
    repeats: o.repeats,
  };
}
