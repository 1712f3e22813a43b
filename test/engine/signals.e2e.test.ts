/**
 * Ctrl-C and SIGTERM while training: the step finishes, a checkpoint is written, status 'stopped',
 * exit 130 / 143 within seconds, and resume then gives exactly the metrics of an uninterrupted run.
 * While a process writes a run, a second writer is refused; one killed with SIGKILL leaves a run
 * that readers show as 'interrupted' and resume cleans up.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { displayStatus, readMeta, readMetrics } from '../../src/runfolder/runFolder.js';
import { runPaths } from '../../src/runfolder/paths.js';
import { listCheckpoints } from '../../src/runfolder/checkpoints.js';
import { cli, lastLine, runCli, tempDir } from '../helpers.js';

// big enough that a step takes tens of milliseconds, so a signal lands mid-run
const args = (out: string, name: string) => ['train', '--steps', '60', '--hidden', '128', '--batch', '16', '--eval-every', '20', '--checkpoint-every', '1000', '--probe-every', '0', '--seed', '4', '--backend', 'wasm', '--threads', '1', '--out', out, '--name', name];
const metricsOf = (dir: string) => readMetrics(runPaths(dir)).map(({ wall_s: _w, ...m }) => m);

function start(a: string[]): { child: ChildProcess; done: Promise<{ code: number | null; ms: number; stderr: string }> } {
  const child = spawn(process.execPath, [cli, ...a], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  let signalledAt = 0;
  const origKill = child.kill.bind(child);
  child.kill = (s?: NodeJS.Signals | number) => {
    signalledAt ||= Date.now();
    return origKill(s);
  };
  const done = new Promise<{ code: number | null; ms: number; stderr: string }>((res) => child.on('close', (code) => res({ code, ms: Date.now() - signalledAt, stderr })));
  return { child, done };
}

/** Resolves with the run folder once its metrics.jsonl holds at least `lines` lines. */
function whenMetrics(out: string, prefix: string, lines: number): Promise<string> {
  return new Promise((res, rej) => {
    const t0 = Date.now();
    const poll = setInterval(() => {
      const d = existsSync(out) ? readdirSync(out).find((n) => n.startsWith(prefix)) : undefined;
      const f = d && join(out, d, 'metrics.jsonl');
      if (f && existsSync(f) && readFileSync(f, 'utf8').split('\n').filter(Boolean).length >= lines) {
        clearInterval(poll);
        res(join(out, d));
      } else if (Date.now() - t0 > 90_000) {
        clearInterval(poll);
        rej(new Error('no metrics appeared'));
      }
    }, 25);
  });
}

describe('signals while training', () => {
  const out = tempDir();
  let whole = '';

  it('an uninterrupted reference run', async () => {
    const r = await runCli(args(out, 'whole'));
    expect(r.code).toBe(0);
    whole = lastLine(r.stdout);
  });

  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`${signal}: metrics reach disk while it runs; it checkpoints, says 'stopped', exits ${code} at once, and resume matches the uninterrupted run`, async () => {
      const { child, done } = start(args(out, signal));
      // metric lines are flushed within about a second: a watcher sees progress before any checkpoint
      const dir = await whenMetrics(out, `${signal}-`, 3);
      child.kill(signal);
      const r = await done;
      expect(r.code).toBe(code);
      expect(r.ms).toBeLessThan(5000);
      const meta = readMeta(runPaths(dir));
      expect(meta.status).toBe('stopped');
      expect(meta.step).toBeLessThan(60);
      expect(listCheckpoints(runPaths(dir))).toContain(meta.step);
      const resumed = await runCli(['resume', dir]);
      expect(resumed.code).toBe(0);
      expect(metricsOf(dir)).toEqual(metricsOf(whole));
    });
  }

  it('a second signal exits at once; the run reads as interrupted and resumes exactly', async () => {
    const { child, done } = start(args(out, 'twice'));
    const dir = await whenMetrics(out, 'twice-', 2);
    child.kill('SIGINT');
    child.kill('SIGINT');
    const r = await done;
    expect(r.code).toBe(130);
    const p = runPaths(dir);
    expect(['running', 'stopped']).toContain(readMeta(p).status);
    if (readMeta(p).status === 'running') expect(displayStatus(p, readMeta(p))).toBe('interrupted');
    expect((await runCli(['resume', dir])).code).toBe(0);
    expect(metricsOf(dir)).toEqual(metricsOf(whole));
  });
});

describe('one writer per run folder', () => {
  it('refuses a second writer while one trains, and takes over the lock of a writer killed with SIGKILL', async () => {
    const out = tempDir();
    const { child, done } = start(args(out, 'locked'));
    const dir = await whenMetrics(out, 'locked-', 1);
    const second = await runCli(['resume', dir, '--steps', '80']);
    expect(second.code).toBe(2);
    expect(second.stderr.trim().split('\n')).toHaveLength(1);
    expect(second.stderr).toMatch(/is being written by process \d+/);
    const probe = await runCli(['probe', dir]);
    expect(probe.code).toBe(2);
    child.kill('SIGKILL');
    await done;
    const p = runPaths(dir);
    expect(readMeta(p).status).toBe('running');
    expect(displayStatus(p, readMeta(p))).toBe('interrupted');
    // a half-written checkpoint of the dead process is removed by the resume
    const stale = join(p.checkpoints, 'step-0000007.tmp-999999');
    mkdirSync(stale);
    writeFileSync(join(stale, 'W_rec.npy'), 'partial');
    const r = await runCli(['resume', dir]);
    expect(r.code).toBe(0);
    expect(existsSync(stale)).toBe(false);
    expect(readMeta(p).status).toBe('completed');
    expect(existsSync(join(dir, 'run.lock'))).toBe(false);
  });

  it('falls back to the checkpoint before a damaged one, and says so', async () => {
    const out = tempDir();
    const r0 = await runCli(['train', '--steps', '10', '--checkpoint-every', '5', '--hidden', '16', '--batch', '8', '--probe-every', '0', '--backend', 'wasm', '--out', out]);
    const dir = lastLine(r0.stdout);
    const p = runPaths(dir);
    const last = join(p.checkpoints, 'step-0000010');
    const npy = readdirSync(last).find((f) => f.endsWith('.npy')) as string;
    truncateSync(join(last, npy), 60);
    const r = await runCli(['resume', dir, '--steps', '12']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`checkpoint array ${npy.replace('.', '\\.')} in .*step-0000010 is damaged.*resuming from the checkpoint before it`));
    expect(readMeta(p).resumes[0].fromStep).toBe(5);
    expect(readMetrics(p).map((m) => m.step)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });
});
