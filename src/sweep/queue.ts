/**
 * Sweeps on many machines: BullMQ on Redis.
 *
 *   sweep --queue redis://h:p  -> a flow: parent job "sweep" (queue "sweeps") with one child "run"
 *                                 per unfinished run (queue "runs"), then waits for the parent
 *   worker --queue redis://h:p -> processes "runs" in sandboxed child processes (queueProcessor.ts)
 *                                 and "sweeps" (aggregation, once every child has ended)
 *
 * Delivery is at least once (a worker that dies loses its lock and the job runs again elsewhere),
 * so a run executes through child.ts and runOne.ts: resume from pending/, publish by rename,
 * done.json last.
 * A child that diverges fails without failing its parent (ignoreDependencyOnFailure). Only small
 * summaries travel through Redis; run folders live under the artifacts folder every worker sees.
 */
import { basename, dirname } from 'node:path';
import { FlowProducer, Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { compiledSibling } from '../core/compiled.js';
import { UserError } from '../core/errors.js';
import { fmtTime } from '../engine/progress.js';
import type { RunJob } from './child.js';
import { WORKER_DEFAULTS } from './defaults.js';
import type { ExecuteRequest, Execution, Executor } from './executor.js';
import { finalizeSweep } from './finalize.js';
import { readDone } from './folder.js';
import type { RunOutcome } from './runOne.js';

export const QUEUE = { runs: 'runs', sweeps: 'sweeps', prefix: 'infoscope' } as const;

/** What the sweep's parent job carries: where its sweep folder is, and how many runs it waits for. */
const sweepJobSchema = z.strictObject({ artifacts: z.string().min(1), folder: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,120}$/), runs: z.number().int() });

/** redis://[user:pass@]host:port[/db] as ioredis options; one sentence if it is not such a URL. */
export function redisOptions(url: string): { host: string; port: number; db: number; username?: string; password?: string; maxRetriesPerRequest: null } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UserError(`--queue must be a redis://host:port URL, got "${url}"`);
  }
  if (u.protocol !== 'redis:') throw new UserError(`--queue must be a redis://host:port URL, got "${url}"`);
  const port = u.port ? Number(u.port) : 6379;
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) throw new UserError(`the Redis database in "${url}" must be a number`);
  return {
    host: u.hostname || '127.0.0.1',
    port,
    db,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    // BullMQ's blocking connections must retry forever, never fail a command on reconnect
    maxRetriesPerRequest: null,
  };
}

/**
 * Reach Redis once and check the one setting BullMQ cannot work without: an evicting Redis drops
 * job keys under memory pressure and a sweep then hangs. Refused with one sentence.
 */
async function checkRedis(url: string, warn: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<void> {
  const client = new Redis({ ...redisOptions(url), lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 1, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    try {
      await client.connect();
      await client.ping();
    } catch (e) {
      throw new UserError(`cannot reach Redis at ${url} (${(e as Error).message})`);
    }
    let policy: string | null = null;
    try {
      const r = (await client.call('CONFIG', 'GET', 'maxmemory-policy')) as string[];
      policy = r[1] ?? null;
    } catch {
      warn(`warning: cannot read maxmemory-policy of Redis at ${url} (CONFIG is refused); it must be noeviction`);
    }
    if (policy !== null && policy !== 'noeviction') {
      throw new UserError(`Redis at ${url} has maxmemory-policy ${policy}; a queue needs noeviction (start it with --maxmemory-policy noeviction)`);
    }
  } finally {
    client.disconnect();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** How long a closing worker with no active run waits for Redis before it leaves anyway. */
const CLOSE_IDLE_MS = 5000;

/** The queue as an executor: the runs go to BullMQ workers on any machine that reaches `url`. */
export function queueExecutor(url: string): Executor {
  return { execute: (req) => submitAndWait(url, req) };
}

/** Checks (every 500 ms) that find the flow's parent job gone before the submitter calls it lost. */
const LOST_FLOW_CHECKS = 6;

/** Put a sweep's unfinished runs on the queue as one flow and wait until its parent has aggregated. */
async function submitAndWait(url: string, req: ExecuteRequest): Promise<Execution> {
  const { plan, dir, todo } = req;
  const say = req.onLine;
  const opts = req;
  await checkRedis(url, say);
  const connection = redisOptions(url);
  const flow = new FlowProducer({ connection, prefix: QUEUE.prefix });
  const sweeps = new Queue(QUEUE.sweeps, { connection, prefix: QUEUE.prefix });
  flow.on('error', () => {});
  sweeps.on('error', () => {});
  // a fresh parent id per submission: finished runs are skipped by their done.json, not by job ids
  const nonce = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  const parentId = `${plan.id}-${nonce}`;
  const artifacts = dirname(dir);
  const folder = basename(dir);
  const t0 = performance.now();
  try {
    await flow.add({
      name: 'sweep',
      queueName: QUEUE.sweeps,
      data: { artifacts, folder, runs: todo.length } satisfies z.infer<typeof sweepJobSchema>,
      opts: { jobId: parentId, removeOnComplete: { age: 7 * 86400 } },
      children: todo.map((r) => ({
        name: 'run',
        queueName: QUEUE.runs,
        data: { artifacts, folder, run: { id: r.id, config: r.config as unknown as Record<string, unknown> } } satisfies RunJob,
        opts: {
          jobId: `${parentId}-${r.id}`,
          attempts: WORKER_DEFAULTS.attempts,
          backoff: { type: 'exponential', delay: 2000 },
          ignoreDependencyOnFailure: true,
          removeOnComplete: { age: 7 * 86400 },
        },
      })),
    });
    say(`queued ${todo.length} runs on ${url} (flow ${parentId}); start workers with: infoscope worker --queue ${url}`);
    const seen = new Set<string>();
    let lostSince: number | null = null;
    let missing = 0;
    for (;;) {
      if (opts.shouldStop?.()) {
        say(`stopped waiting; the sweep goes on on the workers (re-run the same command to wait again)`);
        return { failed: [], stopped: true };
      }
      for (const r of todo) {
        if (seen.has(r.id)) continue;
        const d = readDone(dir, r.id);
        if (d) {
          seen.add(r.id);
          say(`[${seen.size}/${todo.length}] ${r.id} ${d.status} at step ${d.step}; elapsed ${fmtTime((performance.now() - t0) / 1000)}`);
        }
      }
      try {
        const job = await sweeps.getJob(parentId);
        const state = job ? await job.getState() : 'unknown';
        if (lostSince !== null) say('reconnected to Redis');
        lostSince = null;
        // Redis answers but the flow is gone (restarted without persistence, flushed): nothing
        // will ever finish it, so say so rather than wait for ever
        missing = job ? 0 : missing + 1;
        if (missing >= LOST_FLOW_CHECKS) {
          const left = todo.filter((r) => !readDone(dir, r.id)).length;
          if (left === 0) return { failed: [], stopped: false };
          throw new UserError(`the queue on ${url} lost this sweep's jobs (Redis restarted without persistence, or was flushed); ${left} of ${todo.length} runs are unfinished: submit the sweep again to queue them`);
        }
        if (state === 'completed') {
          const rv = (job?.returnvalue ?? {}) as { failed?: Array<{ id: string; error: string }> };
          return { failed: rv.failed ?? [], stopped: false };
        }
        if (state === 'failed') throw new Error(`the sweep's aggregation job failed: ${job?.failedReason ?? 'unknown reason'}`);
      } catch (e) {
        if (e instanceof UserError || (e instanceof Error && e.message.startsWith("the sweep's"))) throw e;
        if (lostSince === null) {
          lostSince = Date.now();
          say(`lost the connection to Redis (${(e as Error).message}); retrying`);
        }
      }
      await sleep(500);
    }
  } finally {
    await Promise.allSettled([flow.close(), sweeps.close()]);
  }
}

interface WorkerHandle {
  /** Stop taking jobs; wait for active runs to end (force: leave them to be re-delivered). */
  close(force?: boolean): Promise<void>;
}

/** Start processing runs and sweep aggregations. Runs execute in sandboxed child processes. */
export async function startQueueWorker(opts: { url: string; concurrency?: number; artifacts?: string; lockMs?: number; onLine?: (l: string) => void }): Promise<WorkerHandle> {
  const say = opts.onLine ?? (() => {});
  const concurrency = opts.concurrency ?? WORKER_DEFAULTS.concurrency;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new UserError(`--concurrency must be an integer from 1 to 64, got ${concurrency}`);
  await checkRedis(opts.url, say);
  const connection = redisOptions(opts.url);
  // the sandboxed processes read the worker's artifacts override from their environment
  if (opts.artifacts) process.env.INFOSCOPE_ARTIFACTS = opts.artifacts;
  const lockMs = opts.lockMs ?? WORKER_DEFAULTS.lockDurationMs;
  if (!Number.isInteger(lockMs) || lockMs < 1000 || lockMs > 600_000) throw new UserError(`--lock-ms must be an integer from 1000 to 600000, got ${lockMs}`);
  // the stalled check runs a third of a lock period apart, so a dead worker's run is back within ~1.3 locks
  const common = { connection, prefix: QUEUE.prefix, lockDuration: lockMs, stalledInterval: Math.max(500, Math.round(lockMs / 3)), maxStalledCount: WORKER_DEFAULTS.maxStalledCount };
  const runs = new Worker(QUEUE.runs, compiledSibling(import.meta.url, 'queueProcessor.js'), { ...common, concurrency, useWorkerThreads: false });
  const sweeps = new Worker(
    QUEUE.sweeps,
    async (job: Job) => {
      const d = sweepJobSchema.parse(job.data);
      const dir = `${opts.artifacts ?? d.artifacts}/${d.folder}`;
      const failures = await job.getIgnoredChildrenFailures();
      // a diverged run is a result (published with done.json), not a failure of the sweep
      const failed = Object.entries(failures)
        .map(([key, error]) => ({ id: key.split(`${job.id}-`).pop() ?? key, error: String(error) }))
        .filter((f) => readDone(dir, f.id)?.status !== 'diverged');
      const summary = await finalizeSweep(dir);
      say(`sweep ${d.folder} aggregated: ${summary.settings.length} settings, ${failed.length} failed runs`);
      return { failed, complete: summary.complete };
    },
    { ...common, concurrency: 1 },
  );
  let lastError = 0;
  const onError = (e: Error) => {
    if (Date.now() - lastError > 5000) say(`queue connection: ${e.message} (retrying)`);
    lastError = Date.now();
  };
  runs.on('error', onError);
  sweeps.on('error', onError);
  let active = 0;
  runs.on('active', (job) => {
    active++;
    say(`run ${(job.data as RunJob).run.id} started (attempt ${job.attemptsMade + 1}, queued ${((Date.now() - job.timestamp) / 1000).toFixed(1)} s ago)`);
  });
  runs.on('completed', (job, rv: RunOutcome) => {
    active--;
    say(`run ${rv.id} ${rv.status}${rv.how === 'resumed' ? ' (resumed)' : ''} at step ${rv.step} in ${rv.seconds.toFixed(1)} s`);
  });
  runs.on('failed', (job, err) => {
    active--;
    say(`run ${(job?.data as RunJob | undefined)?.run.id ?? '?'} failed: ${err.message}`);
  });
  await Promise.all([runs.waitUntilReady(), sweeps.waitUntilReady()]);
  say(`worker ready on ${opts.url} (concurrency ${concurrency})`);
  return {
    close: async (force = false) => {
      const closing = Promise.all([runs.close(force), sweeps.close(force)]).then(() => true);
      // with no run active, closing only talks to Redis; if Redis is gone it would wait forever
      for (;;) {
        const done = await Promise.race([closing, sleep(CLOSE_IDLE_MS).then(() => false)]);
        if (done) return;
        if (active <= 0) {
          say('Redis does not answer while closing and no run is active: leaving without it');
          return;
        }
      }
    },
  };
}
