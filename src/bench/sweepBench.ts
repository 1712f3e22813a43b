/**
 * `bench sweep`: what the sweep machinery costs and gains.
 *  - local pool throughput (runs per hour) with 1 and 2 workers on the same small sweep;
 *  - queue overhead per run on BullMQ (a private redis-server on a loopback port, or --queue):
 *    enqueue -> start of the first run, the gap between one run's end and the next one's start on
 *    a free worker, and the last run's end -> the sweep's summary written.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { sweepBenchDefaults } from './defaults.js';
import { sweep } from '../sweep/sweep.js';
import { QUEUE, redisOptions, startQueueWorker } from '../sweep/queue.js';
import { haveRedis, startRedis } from '../sweep/localRedis.js';
import { tmpdir } from 'node:os';
import { mkdtempSync } from 'node:fs';

// the default network (256 units, batch 64): with a tiny one, process start-up dominates and the pool measures that
type SweepBenchLine =
  | { case: 'local-pool'; workers: number; runs: number; wall_s: number; runs_per_hour: number; mean_run_s: number }
  | { case: 'local-pool-speedup'; workers: [number, number]; speedup: number }
  | { case: 'queue'; runs: number; wall_s: number; enqueue_to_start_s: number; handoff_s: number; finish_to_summary_s: number; overhead_per_run_s: number; mean_run_s: number }
  | { case: 'queue-skipped'; reason: string };

function spec(o: { runs: number; steps: number; hidden: number; batch: number }, name: string) {
  return { name, base: { task: 'go', model: 'rnn', steps: o.steps, batch: o.batch, evalEvery: o.steps, checkpointEvery: o.steps, probeEvery: 0, rnn: { hidden: o.hidden } }, seeds: o.runs };
}

export async function benchSweep(emit: (l: SweepBenchLine) => void, opts: Partial<typeof sweepBenchDefaults> & { queue?: string } = {}): Promise<void> {
  const o = { ...sweepBenchDefaults, ...opts };
  const root = mkdtempSync(join(tmpdir(), 'infoscope-bench-sweep-'));
  try {
    const tput: number[] = [];
    for (const workers of [1, 2]) {
      const t0 = performance.now();
      const r = await sweep(spec(o, `pool${workers}`), { artifacts: root, workers, report: false });
      const wall = (performance.now() - t0) / 1000;
      const mean = r.summary.settings[0].metrics.wall_s?.mean ?? NaN;
      tput.push((o.runs / wall) * 3600);
      emit({ case: 'local-pool', workers, runs: o.runs, wall_s: +wall.toFixed(2), runs_per_hour: Math.round((o.runs / wall) * 3600), mean_run_s: +mean.toFixed(2) });
    }
    emit({ case: 'local-pool-speedup', workers: [1, 2], speedup: +(tput[1] / tput[0]).toFixed(2) });

    let url = opts.queue;
    let stopRedis: (() => Promise<void>) | null = null;
    if (!url) {
      if (!haveRedis()) return emit({ case: 'queue-skipped', reason: 'no redis-server on PATH and no --queue given' });
      const r = await startRedis();
      url = r.url;
      stopRedis = r.stop;
    }
    const worker = await startQueueWorker({ url, concurrency: 1 });
    try {
      const t0 = performance.now();
      const r = await sweep(spec(o, 'queue'), { artifacts: root, queue: url, report: false });
      const wall = (performance.now() - t0) / 1000;
      const q = new Queue(QUEUE.runs, { connection: redisOptions(url), prefix: QUEUE.prefix });
      const s = new Queue(QUEUE.sweeps, { connection: redisOptions(url), prefix: QUEUE.prefix });
      const jobs = (await q.getJobs(['completed'])).sort((a, b) => (a.processedOn ?? 0) - (b.processedOn ?? 0));
      const parent = (await s.getJobs(['completed'])).pop();
      await Promise.all([q.close(), s.close()]);
      const first = jobs[0];
      const gaps = jobs.slice(1).map((j, i) => ((j.processedOn ?? 0) - (jobs[i].finishedOn ?? 0)) / 1000);
      const runSeconds = jobs.map((j) => ((j.finishedOn ?? 0) - (j.processedOn ?? 0)) / 1000);
      const lastEnd = jobs.reduce((m, j) => Math.max(m, j.finishedOn ?? 0), 0);
      const enqueueToStart = ((first.processedOn ?? 0) - first.timestamp) / 1000;
      const handoff = gaps.length ? gaps.reduce((a, b) => a + b, 0) / gaps.length : 0;
      const finishToSummary = ((parent?.finishedOn ?? lastEnd) - lastEnd) / 1000;
      emit({
        case: 'queue',
        runs: r.summary.settings[0].runs.length,
        wall_s: +wall.toFixed(2),
        enqueue_to_start_s: +enqueueToStart.toFixed(3),
        handoff_s: +handoff.toFixed(3),
        finish_to_summary_s: +finishToSummary.toFixed(3),
        // what the queue adds to a run, spread over the runs: pickup of each run plus the final aggregation
        overhead_per_run_s: +((enqueueToStart + handoff * gaps.length + finishToSummary) / jobs.length).toFixed(3),
        mean_run_s: +(runSeconds.reduce((a, b) => a + b, 0) / runSeconds.length).toFixed(2),
      });
    } finally {
      await worker.close();
      await stopRedis?.();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
