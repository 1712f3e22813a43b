/**
 * `bench train --pytorch`: the same leaky RNN step in PyTorch (scripts/pytorch/leaky_rnn_step.py),
 * timed in the same invocation as infoscope's step so that both see the same machine. The two are
 * run in alternating rounds (this machine's speed drifts by tens of percent from minute to minute)
 * and compared round by round.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../core/errors.js';
import { packageRoot } from '../core/packageRoot.js';

export interface PytorchStepResult {
  ms_per_step: number;
  ms_min: number;
  threads: number;
  torch: string;
  blas: string;
  repeats: number;
}

interface PytorchShape {
  batch: number;
  timeSteps: number;
  hidden: number;
  inputs: number;
  outputs: number;
  activation: string;
  warmup: number;
  repeats: number;
}

/** Refuse, in one sentence and before anything is timed, a Python that cannot import torch. */
export function checkPytorch(python: string, what: string): string {
  const r = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  if (r.error) throw new UserError(`${what}: cannot run ${python} (${r.error.message}); give the Python that has torch, e.g. --pytorch /path/to/venv/bin/python`);
  if (r.status !== 0) throw new UserError(`${what}: ${python} cannot import torch (${(r.stderr || '').trim().split('\n').pop() ?? `exit ${r.status}`})`);
  return r.stdout.trim();
}

/**
 * Run a reference script of scripts/pytorch/ with `python` on `threads` threads (its BLAS and
 * OpenMP pools held to the same) and read the JSON line it prints last; wall_s is the whole
 * process, interpreter start included.
 */
export function runReference<T>(python: string, script: string, args: Array<string | number>, threads: number, what: string): { result: T; wall_s: number } {
  const path = join(packageRoot(), 'scripts', 'pytorch', script);
  if (!existsSync(path)) throw new UserError(`${what}: the reference script ${path} is missing from this installation`);
  const n = String(threads);
  const t0 = performance.now();
  const r = spawnSync(python, [path, ...args.map(String), '--threads', n], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: n, MKL_NUM_THREADS: n, OPENBLAS_NUM_THREADS: n }, maxBuffer: 1 << 20 });
  const wall_s = (performance.now() - t0) / 1000;
  if (r.error) throw new UserError(`${what}: cannot run ${python} (${r.error.message}); give the Python that has torch, e.g. --pytorch /path/to/venv/bin/python`);
  if (r.status !== 0) {
    const last = (r.stderr || '').trim().split('\n').pop() ?? '';
    throw new UserError(`${what}: ${python} could not run the PyTorch reference (${last || `exit ${r.status}`}); is torch installed for it?`);
  }
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return { result: JSON.parse(line) as T, wall_s };
  } catch {
    throw new UserError(`${what}: the reference printed no result (${line.slice(0, 200)})`);
  }
}

/** One timed round of the PyTorch step on `threads` threads. */
export function runPytorchStep(python: string, shape: PytorchShape, threads: number): PytorchStepResult {
  const args = ['--batch', shape.batch, '--time-steps', shape.timeSteps, '--hidden', shape.hidden, '--inputs', shape.inputs, '--outputs', shape.outputs, '--activation', shape.activation, '--warmup', shape.warmup, '--repeats', shape.repeats];
  return runReference<PytorchStepResult>(python, 'leaky_rnn_step.py', args, threads, 'bench train --pytorch').result;
}
