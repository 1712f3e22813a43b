/**
 * `infoscope bench overhead`: what probes cost a user, as the ratio of two whole runs — the same
 * default Go run with its probe passes and with `--probe-every 0` — timed as processes from start
 * to exit (the final pass, the report and the probe worker's share of the cores all count), in
 * alternating rounds so that both see the same stretch of a shared machine.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from '../../probes/estimators/special.js';

interface OverheadResult {
  steps: number;
  task: string;
  /** Whole-process seconds per round, with probes and without. */
  with_probes_s: number[];
  without_probes_s: number[];
  /** Median over rounds of wall(with) / wall(without) - 1. */
  overhead: number;
}

function timedRun(args: string[]): number {
  const cli = fileURLToPath(new URL('../cli/main.js', import.meta.url));
  const out = mkdtempSync(join(tmpdir(), 'infoscope-overhead-'));
  try {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [cli, 'train', ...args, '--out', out], { encoding: 'utf8', maxBuffer: 1 << 26 });
    const s = (performance.now() - t0) / 1000;
    if (r.status !== 0) throw new Error(`bench overhead: train ${args.join(' ')} failed: ${r.stderr.trim().split('\n').pop()}`);
    return s;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export function benchOverhead(o: { steps: number; rounds: number; task: string; seed: number }): OverheadResult {
  const base = ['--task', o.task, '--seed', String(o.seed), '--steps', String(o.steps)];
  const withP: number[] = [];
  const without: number[] = [];
  for (let i = 0; i < o.rounds; i++) {
    withP.push(+timedRun(base).toFixed(2));
    without.push(+timedRun([...base, '--probe-every', '0']).toFixed(2));
  }
  const ratios = withP.map((w, i) => w / without[i] - 1);
  return { steps: o.steps, task: o.task, with_probes_s: withP, without_probes_s: without, overhead: +median(ratios).toFixed(3) };
}
