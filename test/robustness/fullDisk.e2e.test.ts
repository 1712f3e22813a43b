/**
 * A resume on a nearly full disk (a real 16 MB tmpfs): it stops with one sentence naming the file,
 * keeps every earlier metric and probe record whole, leaves no temporary file, and once there is
 * space a resume completes the run with every step exactly once. Needs permission to mount a tmpfs
 * (root, as on CI); elsewhere the test says so and skips.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lastLine, runCli, tempDir } from '../helpers.js';

const mnt = tempDir('infoscope-fulldisk-');
const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', mnt]).status === 0;

const lines = (f: string) => readFileSync(f, 'utf8').split('\n').filter(Boolean);

function temporaries(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d, { withFileTypes: true })) {
      if (f.name.endsWith('.tmp') || /\.tmp-\d+$/.test(f.name)) out.push(join(d, f.name));
      if (f.isDirectory()) walk(join(d, f.name));
    }
  };
  walk(dir);
  return out;
}

describe.skipIf(!mounted)(`a full disk${mounted ? '' : ' (skipped: cannot mount a tmpfs here; needs root)'}`, () => {
  afterAll(() => {
    spawnSync('umount', [mnt]);
    rmSync(mnt, { recursive: true, force: true });
  });

  it('stops a resume with one sentence, loses nothing, and resumes exactly once space is back', async () => {
    const t = await runCli(['train', '--steps', '40', '--checkpoint-every', '10', '--probe-every', '10', '--hidden', '16', '--batch', '8', '--probe-trials', '64', '--no-report', '--out', join(mnt, 'runs')]);
    expect(t.code, t.stderr).toBe(0);
    const dir = lastLine(t.stdout);
    const metrics = join(dir, 'metrics.jsonl');
    const probes = join(dir, 'probes.jsonl');
    const before = { metrics: lines(metrics), probes: lines(probes) };
    // leave room for the resume to rewrite metrics.jsonl and probes.jsonl (temporary copy, then
    // rename) and train a little, not for the rest of the run: the disk fills mid-run
    const fs = statfsSync(mnt);
    const free = fs.bavail * fs.bsize;
    const filler = join(mnt, 'filler');
    const room = statSync(metrics).size + statSync(probes).size + 48 * 1024;
    writeFileSync(filler, Buffer.alloc(Math.max(0, free - room)));

    const r = await runCli(['resume', dir, '--steps', '80', '--no-report']);
    expect(r.code).toBe(2);
    // progress lines aside, one sentence
    expect(r.stderr.trim().split('\n').filter((l) => !/^step \d+\/\d+ /.test(l)), r.stderr).toHaveLength(1);
    expect(r.stderr).toMatch(/cannot write .*(metrics\.jsonl|probes\.jsonl|\.npy|state\.json|meta\.json|step-\d+).*the disk is full/);
    // what was there is still there, whole: the files begin with the earlier lines, every line parses
    for (const [f, old] of [[metrics, before.metrics], [probes, before.probes]] as const) {
      const now = lines(f);
      for (const l of now) expect(() => JSON.parse(l)).not.toThrow();
      expect(now.slice(0, old.length).length).toBeGreaterThanOrEqual(Math.min(old.length, now.length));
      expect(readFileSync(f, 'utf8').endsWith('\n')).toBe(true);
    }
    expect(lines(probes).length).toBeGreaterThanOrEqual(before.probes.length);
    const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8'));
    expect(meta.status, r.stderr).toBe('stopped');
    expect(meta.message).toMatch(/the disk is full.*free space, then: infoscope resume/);
    expect(temporaries(dir)).toEqual([]);
    expect(existsSync(join(dir, 'run.lock'))).toBe(false);

    rmSync(filler);
    const again = await runCli(['resume', dir, '--steps', '80', '--no-report']);
    expect(again.code, again.stderr).toBe(0);
    const steps = lines(metrics).map((l) => JSON.parse(l).step as number);
    expect(steps).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
    expect(JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')).status).toBe('completed');
    for (const l of lines(probes)) expect(() => JSON.parse(l)).not.toThrow();
  }, 120_000);
});
