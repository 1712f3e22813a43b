/**
 * `infoscope bench train --sweep`: the step's cost from 64 to 2,048 units, at several batches and
 * trial lengths, each size in a fresh process (so its peak memory is its own and no size warms the
 * next), with PyTorch at the same size and thread count in the same run where --pytorch is given.
 * Repeats shrink with the size so that each point takes a few seconds.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { trainBenchDefaults as TB } from './defaults.js';
import { runPytorchStep } from './pytorchReference.js';
import { stepFlops } from './trainBench.js';

interface TrainSweepOptions {
  hidden: number[];
  batch: number[];
  timeSteps: number[];
  threads: number;
  python?: string;
  /** Seconds of timed steps to aim for at each size. */
  secondsPerPoint: number;
}

interface TrainSweepPoint {
  hidden: number;
  batch: number;
  time_steps: number;
  threads: number;
  repeats: number;
  ms_per_step: number;
  gflop_per_step: number;
  gflops: number;
  /** Peak resident memory of the process that ran this size alone, MB. */
  max_rss_mb: number;
  pytorch_ms_per_step?: number;
  /** infoscope's median step over PyTorch's, same size and threads. */
  ratio?: number;
}

/** Assumed rate for choosing repeats before the first measurement, GFLOP/s. */
const GUESS_GFLOPS = 60;

export function benchTrainSweep(o: TrainSweepOptions, emit: (p: TrainSweepPoint) => void): void {
  const cli = fileURLToPath(new URL('../cli/main.js', import.meta.url));
  for (const N of o.hidden)
    for (const B of o.batch)
      for (const T of o.timeSteps) {
        const flops = stepFlops(T, B, N, TB.inputs, TB.outputs);
        const repeats = Math.max(2, Math.min(20, Math.round((o.secondsPerPoint * GUESS_GFLOPS * 1e9) / flops)));
        const args = [cli, 'bench', 'train', '--hidden', String(N), '--batch', String(B), '--time-steps', String(T), '--threads', String(o.threads), '--repeats', String(repeats), '--warmup', '1', '--no-breakdown', '--json'];
        const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
        if (r.status !== 0) throw new Error(`bench train at ${N} units, batch ${B}, T ${T} failed: ${r.stderr.trim().split('\n').pop()}`);
        const ours = JSON.parse(r.stdout.trim().split('\n').pop() as string) as { ms_per_step: number; gflops: number; gflop_per_step: number; max_rss_mb: number };
        const point: TrainSweepPoint = { hidden: N, batch: B, time_steps: T, threads: o.threads, repeats, ms_per_step: ours.ms_per_step, gflop_per_step: ours.gflop_per_step, gflops: ours.gflops, max_rss_mb: ours.max_rss_mb };
        if (o.python) {
          const theirs = runPytorchStep(o.python, { batch: B, timeSteps: T, hidden: N, inputs: TB.inputs, outputs: TB.outputs, activation: TB.activation, warmup: 1, repeats }, o.threads);
          point.pytorch_ms_per_step = theirs.ms_per_step;
          point.ratio = +(ours.ms_per_step / theirs.ms_per_step).toFixed(3);
        }
        emit(point);
      }
}
