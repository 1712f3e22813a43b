/**
 * `infoscope bench target`: wall time of the whole process from scratch to an evaluated perf on Go
 * (node start, backend, trials, training, evaluation, run folder, report), per seed, for infoscope
 * and optionally for the PyTorch reference (scripts/pytorch/go_to_target.py: the same
 * specification, its own random streams). Seeds are paired by number only; the number of steps a
 * seed needs differs between the two, so medians over seeds and the time per step are compared.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../core/errors.js';
import { packageRoot } from '../core/packageRoot.js';
import { loadRun } from '../runfolder/loadRun.js';
import { median } from '../../probes/estimators/special.js';
import { checkPytorch, runReference } from './pytorchReference.js';

interface TargetRun {
  seed: number;
  steps: number;
  reached: boolean;
  wall_s: number;
  train_s: number;
}

interface TargetBenchResult {
  task: 'go';
  target: number;
  probes: boolean;
  infoscope: { runs: TargetRun[]; wall_s: number; ms_per_step: number; backend: string; threads: number };
  pytorch?: { runs: TargetRun[]; wall_s: number; ms_per_step: number; torch: string; threads: number };
  /** Median wall time of infoscope over PyTorch's. */
  ratio_wall?: number;
  /** Median training time per step, infoscope over PyTorch. */
  ratio_step?: number;
}

interface TargetBenchOptions {
  seeds: number[];
  target: number;
  /** Keep the default probe passes (off: the job PyTorch's script does). */
  probes: boolean;
  threads: number;
  backend: string;
  python?: string;
  pytorchThreads: number;
}

function infoscopeRun(seed: number, o: TargetBenchOptions, out: string): TargetRun & { backend: string } {
  const main = join(packageRoot(), 'dist', 'src', 'cli', 'main.js');
  const args = [main, 'train', '--task', 'go', '--seed', String(seed), '--target-perf', String(o.target), '--threads', String(o.threads), '--backend', o.backend, '--out', out];
  if (!o.probes) args.push('--probe-every', '0');
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 16 << 20 });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new UserError(`bench target: infoscope train failed for seed ${seed}: ${(r.stderr ?? '').trim().split('\n').pop() ?? `exit ${r.status}`}`);
  const dir = r.stdout.trim().split('\n').pop() ?? '';
  const run = loadRun(dir);
  const last = run.metrics.filter((m) => m.perf !== undefined).pop();
  const steps = run.metrics.length ? run.metrics[run.metrics.length - 1].step : 0;
  return { seed, steps, reached: (last?.perf ?? 0) >= o.target, wall_s: +wall.toFixed(2), train_s: +run.meta.timing.train_s.toFixed(2), backend: run.meta.backend };
}

function pytorchRun(seed: number, o: TargetBenchOptions & { python: string }): TargetRun & { torch: string } {
  const { result: res, wall_s } = runReference<{ steps: number; reached: boolean; train_s: number; torch: string }>(o.python, 'go_to_target.py', ['--seed', seed, '--target', o.target], o.pytorchThreads, 'bench target --pytorch');
  return { seed, steps: res.steps, reached: res.reached, wall_s: +wall_s.toFixed(2), train_s: res.train_s, torch: res.torch };
}

export function benchTarget(o: TargetBenchOptions): TargetBenchResult {
  if (!o.seeds.length || o.seeds.some((s) => !Number.isInteger(s) || s < 0)) throw new UserError('bench target: --seeds must list non-negative integers, e.g. 1,2,3');
  if (!(o.target > 0 && o.target <= 1)) throw new UserError(`bench target: --target must be in (0, 1], got ${o.target}`);
  if (o.python) checkPytorch(o.python, 'bench target --pytorch');
  const out = mkdtempSync(join(tmpdir(), 'infoscope-target-'));
  try {
    const ours: Array<TargetRun & { backend: string }> = [];
    const theirs: Array<TargetRun & { torch: string }> = [];
    // alternate, seed by seed, so that both see the same stretch of the machine's speed
    for (const seed of o.seeds) {
      ours.push(infoscopeRun(seed, o, out));
      if (o.python) theirs.push(pytorchRun(seed, { ...o, python: o.python }));
    }
    const perStep = (rs: TargetRun[]) => median(rs.map((r) => (1000 * r.train_s) / Math.max(1, r.steps)));
    const strip = <T extends TargetRun>(r: T): TargetRun => ({ seed: r.seed, steps: r.steps, reached: r.reached, wall_s: r.wall_s, train_s: r.train_s });
    const res: TargetBenchResult = {
      task: 'go',
      target: o.target,
      probes: o.probes,
      infoscope: { runs: ours.map(strip), wall_s: +median(ours.map((r) => r.wall_s)).toFixed(2), ms_per_step: +perStep(ours).toFixed(1), backend: ours[0].backend, threads: o.threads },
    };
    if (theirs.length) {
      res.pytorch = { runs: theirs.map(strip), wall_s: +median(theirs.map((r) => r.wall_s)).toFixed(2), ms_per_step: +perStep(theirs).toFixed(1), torch: theirs[0].torch, threads: o.pytorchThreads };
      res.ratio_wall = +(res.infoscope.wall_s / res.pytorch.wall_s).toFixed(3);
      res.ratio_step = +(res.infoscope.ms_per_step / res.pytorch.ms_per_step).toFixed(3);
    }
    return res;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
