/**
 * The embedded default: a pool of worker processes on this machine, no server needed. Runs are
 * handed out in plan order to at most `workers` processes at a time (one process per run, one
 * thread each by the sweep's defaults). Progress: one line when a run starts and one when it ends,
 * with the overall ETA from the mean duration of the finished runs.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compiledSibling } from '../core/compiled.js';
import { fmtTime } from '../engine/progress.js';
import type { RunJob } from './child.js';
import type { ExecuteRequest, Execution, Executor } from './executor.js';
import type { RunOutcome } from './runOne.js';
import type { RunReply } from './runProcess.js';

type PoolResult = { id: string; ok: true; outcome: RunOutcome } | { id: string; ok: false; error: string };

function runInChild(job: RunJob, children: Set<ChildProcess>): Promise<PoolResult> {
  return new Promise((resolve) => {
    const child = fork(fileURLToPath(compiledSibling(import.meta.url, 'runProcess.js')), [], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      execArgv: [],
      // its own process group: a terminal's Ctrl-C reaches it once, forwarded by the pool, not twice
      detached: true,
    });
    children.add(child);
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    let settled = false;
    const settle = (r: PoolResult) => {
      if (settled) return;
      settled = true;
      children.delete(child);
      resolve(r);
    };
    child.on('message', (m: RunReply) => {
      if (m.type === 'done') settle({ id: job.run.id, ok: true, outcome: m.outcome });
      else if (m.type === 'error') settle({ id: job.run.id, ok: false, error: m.message });
    });
    child.on('exit', (code, signal) => {
      const last = stderr.trim().split('\n').filter((l) => l && !l.startsWith('step ')).pop();
      settle({ id: job.run.id, ok: false, error: `worker process ended (${signal ?? `exit ${code}`}) before reporting${last ? `: ${last}` : ''}` });
    });
    child.send(job);
  });
}

/** The local pool as an executor: `workers` processes at a time, one run each. */
export function localExecutor(workers: number): Executor {
  return {
    async execute(req: ExecuteRequest): Promise<Execution> {
      const results = await runLocalPool(req, workers);
      return { failed: results.flatMap((r) => (r.ok ? [] : [{ id: r.id, error: r.error }])), stopped: false };
    },
  };
}

async function runLocalPool(req: ExecuteRequest, poolSize: number): Promise<PoolResult[]> {
  const say = req.onLine;
  const runs = req.todo;
  const workers = Math.max(1, Math.floor(poolSize));
  const results: PoolResult[] = [];
  const children = new Set<ChildProcess>();
  const t0 = performance.now();
  let next = 0;
  let finished = 0;
  let busySeconds = 0;
  const total = runs.length;
  const onSignal = (s: NodeJS.Signals) => {
    for (const c of children) c.kill(s);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const lane = async (): Promise<void> => {
    while (next < runs.length && !req.shouldStop?.()) {
      const run = runs[next++];
      say(`[start ${next}/${total}] ${run.id}`);
      const r = await runInChild({ artifacts: dirname(req.dir), folder: basename(req.dir), run: { id: run.id, config: run.config as unknown as Record<string, unknown> } }, children);
      results.push(r);
      finished++;
      const elapsed = (performance.now() - t0) / 1000;
      if (r.ok) busySeconds += r.outcome.seconds;
      const perRun = finished > 0 ? busySeconds / finished : NaN;
      const eta = (perRun * (total - finished)) / Math.min(workers, Math.max(1, total - finished));
      const what = r.ok
        ? `${r.outcome.status}${r.outcome.how === 'skipped' ? ' (already finished)' : r.outcome.how === 'resumed' ? ' (resumed)' : ''} at step ${r.outcome.step}${r.outcome.perf !== null ? `, perf ${r.outcome.perf.toFixed(3)}` : ''} in ${r.outcome.seconds.toFixed(1)} s`
        : `failed: ${r.error}`;
      say(`[${finished}/${total}] ${r.id} ${what}; elapsed ${fmtTime(elapsed)}, ETA ${finished < total ? fmtTime(eta) : '0s'}`);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(workers, runs.length) }, lane));
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return results;
}
