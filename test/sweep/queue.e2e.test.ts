/**
 * Sweeps on a real BullMQ queue: a real redis-server on a loopback port, real `infoscope worker`
 * processes. A worker killed with SIGKILL mid-run, Redis restarted mid-sweep, a diverging run:
 * the sweep still completes, every run is in the summary exactly once, and the numbers equal those
 * of the embedded local pool (the killed run's metrics equal an uninterrupted run's).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, lastLine, runCli, tempDir } from '../helpers.js';
import { runDigest } from '../runDigest.js';
import { type RedisHandle, haveRedis, startRedis } from '../../src/sweep/localRedis.js';

const HAVE = haveRedis();
// CI installs redis-server (.ci/run); a machine without it skips these tests and says so
if (!HAVE) console.warn('redis-server not found: the queue tests are skipped (apt-get install redis-server)');

const base = { task: 'go', batch: 16, checkpointEvery: 10, evalEvery: 10, probeEvery: 0, rnn: { hidden: 32 }, reservoir: { hidden: 64 } };


/** Summary numbers that do not depend on timing. */
function numbers(summaryPath: string) {
  const s = JSON.parse(readFileSync(summaryPath, 'utf8'));
  return s.settings.map((x: { label: string; runs: string[]; metrics: Record<string, { values: unknown[] }> }) => ({
    label: x.label,
    runs: x.runs,
    final_perf: x.metrics.final_perf.values,
    final_loss: x.metrics.final_loss.values,
    steps_to_target: x.metrics.steps_to_target.values,
  }));
}

function startWorker(url: string, log: string[]): ChildProcess {
  const p = spawn(process.execPath, [cli, 'worker', '--queue', url, '--concurrency', '1', '--lock-ms', '4000'], { stdio: ['ignore', 'ignore', 'pipe'] });
  p.stderr?.on('data', (d: Buffer) => log.push(d.toString()));
  return p;
}

async function waitFor<T>(what: string, f: () => T | null | undefined | false, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function ppidOf(pid: number): number | null {
  try {
    return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
  } catch {
    return null;
  }
}

describe.skipIf(!HAVE)('sweep on a BullMQ queue (real redis-server, real workers)', () => {
  let redis: RedisHandle;
  let dataDir: string;
  const workers: ChildProcess[] = [];
  const logs: string[][] = [];

  beforeAll(async () => {
    dataDir = tempDir('infoscope-redis-');
    redis = await startRedis({ dir: dataDir });
  });
  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
    await redis?.stop();
  });

  it('survives a worker killed with SIGKILL mid-run and equals the local pool run for run', async () => {
    const dir = tempDir();
    const spec = { name: 'kill', base: { ...base, steps: 120 }, parameters: { model: ['rnn', 'reservoir'] }, seeds: [1, 2] };
    writeFileSync(join(dir, 'sweep.json'), JSON.stringify(spec));

    // reference: the embedded local pool, no server
    const local = await runCli(['sweep', join(dir, 'sweep.json'), '--workers', '2', '--artifacts', join(dir, 'local'), '--no-report']);
    expect(local.code, local.stderr).toBe(0);
    const localDir = lastLine(local.stdout);

    for (let i = 0; i < 2; i++) {
      logs.push([]);
      workers.push(startWorker(redis.url, logs[i]));
    }
    await waitFor('two workers', () => logs.every((l) => l.join('').includes('worker ready')), 30_000);
    const submit = runCli(['sweep', join(dir, 'sweep.json'), '--queue', redis.url, '--artifacts', join(dir, 'queue'), '--no-report']);

    // kill worker 0 while a run of its own has a checkpoint past step 0 and is still training
    const victim = workers[0];
    const killed = await waitFor('a run of worker 0 past its first checkpoint', () => {
      const sweeps = existsSync(join(dir, 'queue')) ? readdirSync(join(dir, 'queue')) : [];
      for (const s of sweeps) {
        const pending = join(dir, 'queue', s, 'pending');
        if (!existsSync(pending)) continue;
        for (const id of readdirSync(pending)) {
          const lock = join(pending, id, 'run.lock');
          const ck = join(pending, id, 'checkpoints');
          if (!existsSync(lock) || !existsSync(ck)) continue;
          let pid: number;
          try {
            pid = JSON.parse(readFileSync(lock, 'utf8')).pid;
          } catch {
            continue;
          }
          if (ppidOf(pid) === victim.pid && readdirSync(ck).some((c) => /^step-0*[1-9]/.test(c))) return id;
        }
      }
      return null;
    });
    victim.kill('SIGKILL');

    const r = await submit;
    expect(r.code, r.stderr).toBe(0);
    const queueDir = lastLine(r.stdout);
    const summary = JSON.parse(readFileSync(join(queueDir, 'summary.json'), 'utf8'));
    expect(summary.complete).toBe(true);
    // every run exactly once
    const all = summary.settings.flatMap((s: { runs: string[] }) => s.runs);
    expect(all.length).toBe(4);
    expect(new Set(all).size).toBe(4);
    expect(readdirSync(join(queueDir, 'runs')).sort()).toEqual([...all].sort());
    // the killed run was resumed from its checkpoint, not restarted, and equals the uninterrupted run
    const meta = JSON.parse(readFileSync(join(queueDir, 'runs', killed, 'meta.json'), 'utf8'));
    expect(meta.resumes.length).toBeGreaterThanOrEqual(1);
    expect(meta.resumes[0].fromStep).toBeGreaterThan(0);
    for (const id of all) expect(runDigest(join(queueDir, 'runs', id)).metrics, id).toEqual(runDigest(join(localDir, 'runs', id)).metrics);
    // the same summaries as the local pool
    expect(numbers(join(queueDir, 'summary.json'))).toEqual(numbers(join(localDir, 'summary.json')));
  });

  it('finishes when Redis restarts mid-sweep, and reports a diverging run as diverged', async () => {
    const dir = tempDir();
    // rnn.lr 10 diverges within a few steps; the other setting trains normally
    const spec = { name: 'restart', base: { ...base, model: 'rnn', steps: 100 }, parameters: { 'rnn.lr': [0.001, 10] }, seeds: [4, 5] };
    writeFileSync(join(dir, 'sweep.json'), JSON.stringify(spec));
    if (workers[0].exitCode !== null || workers[0].signalCode !== null) {
      logs[0] = [];
      workers[0] = startWorker(redis.url, logs[0]);
    }
    const submit = runCli(['sweep', join(dir, 'sweep.json'), '--queue', redis.url, '--artifacts', dir, '--no-report']);
    // restart Redis (same port, same append-only file) once a run is training
    await waitFor('a run training', () => {
      const s = readdirSync(dir).find((f) => f.startsWith('restart-'));
      return s && existsSync(join(dir, s, 'pending')) && readdirSync(join(dir, s, 'pending')).length > 0;
    });
    await redis.stop();
    await new Promise((res) => setTimeout(res, 1500));
    redis = await startRedis({ port: redis.port, dir: dataDir });

    const r = await submit;
    expect(r.code, r.stderr).toBe(0);
    const sweepDir = lastLine(r.stdout);
    const summary = JSON.parse(readFileSync(join(sweepDir, 'summary.json'), 'utf8'));
    expect(summary.complete).toBe(true);
    expect(summary.diverged.length).toBe(2);
    for (const id of summary.diverged) expect(JSON.parse(readFileSync(join(sweepDir, 'runs', id, 'done.json'), 'utf8')).status).toBe('diverged');
    const ok = summary.settings.find((s: { params: Record<string, number> }) => s.params['rnn.lr'] === 0.001);
    expect(ok.metrics.final_perf.n).toBe(2);
    const bad = summary.settings.find((s: { params: Record<string, number> }) => s.params['rnn.lr'] === 10);
    expect(bad.metrics.final_perf.n).toBe(0);
    expect(r.stderr).toMatch(/diverged: /);
    // the workers saw Redis go away (and went on once it was back: the sweep completed)
    expect(logs.map((l) => l.join('')).join('')).toMatch(/queue connection: .*\(retrying\)/);
  });

  it('stops a worker gracefully on SIGTERM', async () => {
    const w = workers.find((p) => p.exitCode === null && p.signalCode === null) as ChildProcess;
    const exited = new Promise<number | null>((res) => w.once('exit', (code) => res(code)));
    w.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('a submitter whose flow Redis lost (FLUSHALL) says so and exits, instead of waiting for ever', async () => {
    const lonely = await startRedis({});
    try {
      const dir = tempDir();
      writeFileSync(join(dir, 'sweep.json'), JSON.stringify({ name: 'lost', base: { ...base, model: 'rnn', steps: 20 }, seeds: [1, 2] }));
      const submit = runCli(['sweep', join(dir, 'sweep.json'), '--queue', lonely.url, '--artifacts', dir, '--no-report']);
      // no worker: the flow waits on the queue until Redis forgets it
      const { default: IORedis } = await import('ioredis');
      const client = new IORedis(lonely.url, { maxRetriesPerRequest: 1 });
      for (let i = 0; i < 300 && (await client.keys('*')).length === 0; i++) await new Promise((res) => setTimeout(res, 100));
      expect((await client.keys('*')).length).toBeGreaterThan(0);
      await client.flushall();
      await client.quit();
      const r = await submit;
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/lost this sweep's jobs .*2 of 2 runs are unfinished: submit the sweep again/);
    } finally {
      await lonely.stop();
    }
  }, 60_000);

  it('refuses a Redis that may evict keys, in one sentence', async () => {
    const evicting = await startRedis({ policy: 'allkeys-lru' });
    try {
      const r = await runCli(['worker', '--queue', evicting.url]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/maxmemory-policy allkeys-lru.*noeviction/);
    } finally {
      await evicting.stop();
    }
  });
});
