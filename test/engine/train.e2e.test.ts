import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMetrics, readMeta, readProbes } from '../../src/runfolder/runFolder.js';
import { runPaths } from '../../src/runfolder/paths.js';
import { listCheckpoints } from '../../src/runfolder/checkpoints.js';
import { lastLine, runCli, tempDir } from '../helpers.js';
import { spawn } from 'node:child_process';
import { cli } from '../helpers.js';
import { loadNativeKernels } from '../../models/native.js';

// A small network keeps these end-to-end runs to seconds; the engine path is the same as at full size.
// (and a probe batch of 64 trials: the probes' content is tested elsewhere, their bookkeeping here)
// (reports are left out: their charts are tested in the demo and report tests)
const small = ['--hidden', '32', '--batch', '16', '--eval-every', '10', '--probe-trials', '64', '--backend', 'wasm', '--no-report'];

const lossAndPerf = (dir: string) => readMetrics(runPaths(dir)).map((m) => ({ step: m.step, task: m.task, loss: m.loss, perf: m.perf, perf_by_task: m.perf_by_task }));

describe('training runs (CLI)', () => {
  it('writes a complete run folder and prints its path as the last line', async () => {
    const out = tempDir();
    const r = await runCli(['train', '--task', 'go,antigo', '--steps', '20', '--checkpoint-every', '10', '--out', out, '--seed', '3', ...small]);
    expect(r.code).toBe(0);
    const dir = lastLine(r.stdout);
    expect(dir.startsWith(out)).toBe(true);
    const p = runPaths(dir);
    for (const f of [p.config, p.meta, p.metrics]) expect(existsSync(f)).toBe(true);
    const meta = readMeta(p);
    expect(meta).toMatchObject({ status: 'completed', step: 20, backend: 'wasm', seed: 3, model: { kind: 'rnn', activation: 'softplus', recInit: 'diag' } });
    expect(meta.timing.train_s).toBeGreaterThan(0);
    expect(listCheckpoints(p)).toEqual([0, 10, 20]);
    const config = JSON.parse(readFileSync(p.config, 'utf8'));
    expect(config.task).toEqual(['go', 'antigo']);
    expect(config.rnn.hidden).toBe(32);
    const m = readMetrics(p);
    expect(m.map((l) => l.step)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(new Set(m.map((l) => l.task))).toEqual(new Set(['go', 'antigo']));
    expect(Object.keys(m[9].perf_by_task ?? {}).sort()).toEqual(['antigo', 'go']);
    expect(readdirSync(join(dir, 'checkpoints', 'step-0000020')).sort()).toContain('wRec.npy');
  });

  it('is deterministic: the same seed gives identical metrics, another seed does not', async () => {
    const out = tempDir();
    const args = ['train', '--steps', '12', '--out', out, ...small];
    const a = lastLine((await runCli([...args, '--seed', '5'])).stdout);
    const b = lastLine((await runCli([...args, '--seed', '5'])).stdout);
    const c = lastLine((await runCli([...args, '--seed', '6'])).stdout);
    expect(lossAndPerf(b)).toEqual(lossAndPerf(a));
    expect(lossAndPerf(c)).not.toEqual(lossAndPerf(a));
  });

  // the wasm path, and the native path where it is built (.ci/run requires it), on two threads
  for (const backend of ['wasm', ...(loadNativeKernels().kernels ? ['native'] : [])]) {
  it(`${backend}: resumes a run killed with SIGKILL and ends with the same metrics and probes as an uninterrupted run`, async () => {
    const out = tempDir();
    // probes on the worker thread (a short run would use the training thread): checkpoints every 15 and
    // passes every 40 do not align, so resume must rely on the runner's invariant
    const args = ['train', '--steps', '120', '--checkpoint-every', '15', '--probe-every', '40', '--probe-thread', 'worker', '--seed', '8', '--out', out, ...small, '--backend', backend, '--threads', '2'];
    const whole = lastLine((await runCli([...args, '--name', 'whole'])).stdout);

    const child = spawn(process.execPath, [cli, ...args, '--name', 'killed'], { stdio: 'ignore' });
    const killedDir = await new Promise<string>((res, rej) => {
      const t0 = Date.now();
      const poll = setInterval(() => {
        const d = existsSync(out) ? readdirSync(out).find((n) => n.startsWith('killed-')) : undefined;
        if (d && existsSync(join(out, d, 'checkpoints', 'step-0000030'))) {
          clearInterval(poll);
          child.kill('SIGKILL');
          res(join(out, d));
        } else if (Date.now() - t0 > 120_000) {
          clearInterval(poll);
          rej(new Error('no checkpoint appeared'));
        }
      }, 20);
    });
    await new Promise((r) => child.on('close', r));
    const before = readMeta(runPaths(killedDir));
    expect(before.status).toBe('running');
    expect(before.step).toBeLessThan(120);

    const r = await runCli(['resume', killedDir, '--no-report']);
    expect(r.code).toBe(0);
    expect(lastLine(r.stdout)).toBe(killedDir);
    const after = readMeta(runPaths(killedDir));
    expect(after.status).toBe('completed');
    expect(after.resumes).toHaveLength(1);
    expect(after.backend).toBe(backend);
    expect(lossAndPerf(killedDir)).toEqual(lossAndPerf(whole));
    const probeValues = (d: string) => readProbes(runPaths(d)).map((r) => [r.step, r.hook, r.estimator, r.quantity, r.t, r.value]);
    expect(probeValues(killedDir)).toEqual(probeValues(whole));
    expect(new Set(readProbes(runPaths(whole)).map((r) => r.step))).toEqual(new Set([0, 40, 80, 120]));
  });
  }

  it('resume can extend a finished run to a new total', async () => {
    const out = tempDir();
    const dir = lastLine((await runCli(['train', '--steps', '10', '--out', out, ...small])).stdout);
    const again = await runCli(['resume', dir, '--no-report']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already reached step 10 of 10/);
    const r = await runCli(['resume', dir, '--steps', '15', '--no-report']);
    expect(r.code).toBe(0);
    expect(readMetrics(runPaths(dir)).map((m) => m.step)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
  });

  it('stops a diverging run with status diverged, exit code 3 and its last good checkpoint', async () => {
    const out = tempDir();
    const r = await runCli(['train', '--lr', '10', '--steps', '50', '--activation', 'relu', '--out', out, ...small]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/training diverged at step \d+ .*the last good checkpoint is step 0/);
    const dir = lastLine(r.stdout);
    const meta = readMeta(runPaths(dir));
    expect(meta.status).toBe('diverged');
    expect(listCheckpoints(runPaths(dir))).toEqual([0]);
    const m = readMetrics(runPaths(dir));
    expect(m[m.length - 1].loss).toBeNull();
  });

  it('stops at --target-perf once every task reaches it', async () => {
    const out = tempDir();
    const r = await runCli(['train', '--steps', '400', '--target-perf', '0.9', '--out', out, '--seed', '1', '--lr', '0.003', ...small]);
    expect(r.code).toBe(0);
    const dir = lastLine(r.stdout);
    const meta = readMeta(runPaths(dir));
    expect(meta.stopReason).toBe('target-perf');
    const m = readMetrics(runPaths(dir));
    expect(m[m.length - 1].perf).toBeGreaterThanOrEqual(0.9);
    expect(m.length).toBeLessThan(400);
  });

  it('refuses to resume something that is not a run folder', async () => {
    const r = await runCli(['resume', tempDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is not a run folder/);
  });
});
