/**
 * `infoscope sweep` on the embedded local pool (no server): the minimal sweep form, the summary's
 * shape, re-submission skipping finished runs, a stopped sweep resuming its runs exactly, bad input.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, lastLine, runCli, tempDir } from '../helpers.js';
import { runDigest } from '../runDigest.js';

const fast = { task: 'go', batch: 16, checkpointEvery: 10, evalEvery: 10, rnn: { hidden: 32 }, reservoir: { hidden: 64 } };


describe('infoscope sweep (local pool)', () => {
  it('runs the minimal form, writes summary.json per setting, and skips finished runs when re-submitted', async () => {
    const d = tempDir();
    // the minimal form plus small sizes; probes on (every 30 steps) so MI summaries exist
    writeFileSync(join(d, 's.json'), JSON.stringify({ base: { ...fast, steps: 20, probeEvery: 20, probeTrials: 48, probeDirections: 4 }, parameters: { model: ['rnn', 'reservoir'] }, seeds: [1, 2, 3] }));
    const r = await runCli(['sweep', join(d, 's.json'), '--workers', '2', '--artifacts', join(d, 'out')]);
    expect(r.code, r.stderr).toBe(0);
    const dir = lastLine(r.stdout);
    expect(dir.startsWith(join(d, 'out'))).toBe(true);
    // a progress line per run with an ETA
    expect(r.stderr.match(/^\[\d\/6\] .* completed at step 20.*ETA/gm)).toHaveLength(6);
    const s = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(s.settings).toHaveLength(2);
    for (const setting of s.settings) {
      expect(Object.keys(setting.params)).toEqual(['model']);
      expect(setting.runs).toHaveLength(3);
      for (const id of setting.runs) expect(existsSync(join(dir, 'runs', id, 'done.json'))).toBe(true);
      const fp = setting.metrics.final_perf;
      expect(fp.n).toBe(3);
      expect(fp.ci95[0]).toBeLessThanOrEqual(fp.mean);
      expect(fp.ci95[1]).toBeGreaterThanOrEqual(fp.mean);
      expect(setting.metrics.peak_time_median.n).toBe(3);
      expect(setting.metrics.mi_response_end.n).toBe(3);
      expect(setting.curves.perf.length).toBeGreaterThan(1);
    }
    expect(s.comparisons.find((c: { metric: string }) => c.metric === 'final_perf').n).toEqual([3, 3]);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script[^>]+src=|https?:\/\/(?!www\.w3\.org|vega\.github\.io)/);
    expect(existsSync(join(dir, 'pending'))).toBe(false);

    const again = await runCli(['sweep', join(d, 's.json'), '--artifacts', join(d, 'out'), '--no-report']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/6 runs, 6 finished already/);
    expect(lastLine(again.stdout)).toBe(dir);
    const s2 = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(s2.settings.map((x: { metrics: unknown }) => x.metrics)).toEqual(s.settings.map((x: { metrics: unknown }) => x.metrics));
  });

  it('stops on SIGINT and continues exactly when submitted again', async () => {
    const d = tempDir();
    writeFileSync(join(d, 's.json'), JSON.stringify({ name: 'stop', base: { ...fast, model: 'rnn', steps: 100, probeEvery: 0 }, seeds: [7] }));
    const child = spawn(process.execPath, [cli, 'sweep', join(d, 's.json'), '--workers', '1', '--artifacts', d, '--no-report'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b) => (out += b));
    // interrupt once the run has a checkpoint past step 0
    const deadline = Date.now() + 120_000;
    for (;;) {
      const sweep = readdirSync(d).find((f) => f.startsWith('stop-'));
      const pending = sweep ? join(d, sweep, 'pending') : '';
      const run = pending && existsSync(pending) ? readdirSync(pending)[0] : undefined;
      if (run && existsSync(join(pending, run, 'checkpoints')) && readdirSync(join(pending, run, 'checkpoints')).some((c) => /^step-0*[1-9]/.test(c))) break;
      if (Date.now() > deadline) throw new Error('the run never reached a checkpoint');
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGINT');
    const code = await new Promise<number | null>((res) => child.on('close', (c) => res(c)));
    expect(code).toBe(130);
    const dir = lastLine(out);
    expect(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')).complete).toBe(false);

    const again = await runCli(['sweep', join(d, 's.json'), '--artifacts', d, '--no-report']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/completed \(resumed\) at step 100/);
    const id = readdirSync(join(dir, 'runs'))[0];
    // the same config trained in one go
    const ref = await runCli(['train', '--config', join(dir, 'runs', id, 'config.json'), '--out', join(d, 'ref')]);
    const refDir = ref.code === 0 ? lastLine(ref.stdout) : '';
    expect(ref.code, ref.stderr).toBe(0);
    expect(runDigest(join(dir, 'runs', id)).metrics).toEqual(runDigest(refDir).metrics);
  });

  it.each([
    ['{"base": {"task": "go"}, "seeds": [1, 1]}', /lists a seed twice/],
    ['{"base": {"steps": -3}}', /steps/],
    ['not json', /is not valid JSON/],
  ])('refuses a bad sweep file %s with one sentence and exit 2', async (text, re) => {
    const d = tempDir();
    writeFileSync(join(d, 's.json'), text);
    const r = await runCli(['sweep', join(d, 's.json'), '--artifacts', join(d, 'out')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(re);
    expect(existsSync(join(d, 'out'))).toBe(false);
  });

  it('two sweeps on one folder share the work and both exit 0; an edited target is applied', async () => {
    const d = tempDir();
    const spec = { name: 'twice', base: { ...fast, model: 'rnn', steps: 60, probeEvery: 0 }, seeds: [1, 2, 3, 4] };
    writeFileSync(join(d, 's.json'), JSON.stringify(spec));
    const [a, b] = await Promise.all([0, 1].map(() => runCli(['sweep', join(d, 's.json'), '--workers', '1', '--artifacts', d, '--no-report'])));
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const dir = lastLine(a.stdout);
    const runs = readdirSync(join(dir, 'runs'));
    expect(runs).toHaveLength(4);
    for (const id of runs) {
      const steps = readFileSync(join(dir, 'runs', id, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).step);
      expect(steps).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    }
    writeFileSync(join(d, 's.json'), JSON.stringify({ ...spec, targetPerf: 0.5 }));
    const c = await runCli(['sweep', join(d, 's.json'), '--artifacts', d, '--no-report']);
    expect(c.code, c.stderr).toBe(0);
    expect(c.stderr).toMatch(/the sweep file changed \(targetPerf\) without changing its runs/);
    expect(JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8')).spec.targetPerf).toBe(0.5);
  }, 120_000);
});
