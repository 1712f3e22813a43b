/** Benchmark defaults, apart from the benchmarks so that the command line reads them without loading them. */
import type { Activation } from '../../models/rnn/activations.js';

/** The benchmark's standard shape: the RNN of the Go tasks at batch 64 over 60 time steps. */
export const trainBenchDefaults = {
  batch: 64,
  timeSteps: 60,
  hidden: 256,
  inputs: 85,
  outputs: 33,
  activation: 'relu' as Activation,
  threads: 2,
  repeats: 10,
  warmup: 3,
  /** Reservoir: the 75 steps x 64 trials the RNN needs to reach perf 0.95 on Go with seed 1. */
  reservoirTrials: 4800,
};

export const sweepBenchDefaults = { runs: 6, steps: 30, hidden: 256, batch: 64 } as const;
