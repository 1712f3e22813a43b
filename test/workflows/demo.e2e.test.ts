/** The main job end to end (shortened): RNN and reservoir on Go with probes, reports, comparison. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers.js';

describe('infoscope demo and compare', () => {
  it('trains both models, writes both reports and their comparison, and says where they are', async () => {
    const out = tempDir('infoscope-demo-');
    const r = await runCli(['demo', '--out', out, '--rnn-steps', '4', '--reservoir-steps', '2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/RNN\s+perf [0-9.]+\s+.*report\.html/);
    expect(r.stdout).toMatch(/reservoir\s+perf [0-9.]+\s+.*report\.html/);
    const cmp = join(out, 'comparison', 'report.html');
    expect(existsSync(cmp)).toBe(true);
    const html = readFileSync(cmp, 'utf8');
    expect(html).toMatch(/go-rnn.*go-reservoir/s);
    // each comparison chart is drawn with both runs in it (the legend names them) and marks to show
    for (const c of ['perf-vs-trials', 'perf-vs-wall', 'layer-mi', 'peak-times', 'peak-mi', 'infoplane']) {
      const svg = readFileSync(join(out, 'comparison', 'charts', `${c}.svg`), 'utf8');
      expect(svg, c).toMatch(/go-rnn/);
      expect(svg, c).toMatch(/go-reservoir/);
      expect(svg.match(/<path/g)?.length ?? 0, c).toBeGreaterThan(2);
    }
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i);
  });

  it('compare refuses runs whose tasks or probe grids differ, with one clear sentence', async () => {
    const out = tempDir();
    const go = (await runCli(['train', '--task', 'go', '--steps', '2', '--hidden', '16', '--batch', '8', '--out', out, '--name', 'a', '--probe-trials', '40', '--no-report'])).stdout.trim().split('\n').pop() as string;
    const anti = (await runCli(['train', '--task', 'antigo', '--steps', '2', '--hidden', '16', '--batch', '8', '--out', out, '--name', 'b', '--probe-trials', '40', '--no-report'])).stdout.trim().split('\n').pop() as string;
    const r = await runCli(['compare', go, anti, '--out', join(out, 'cmp')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/runs differ in task: .*"go".*"antigo"/);
    const rt = (await runCli(['train', '--task', 'go', '--steps', '2', '--hidden', '16', '--batch', '8', '--out', out, '--name', 'c', '--config', writeConfig(out, { probeTrials: 80 }), '--no-report'])).stdout.trim().split('\n').pop() as string;
    const r2 = await runCli(['compare', go, rt, '--out', join(out, 'cmp2')]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/probe time grid: .*40 trials.*80 trials/);
    const r3 = await runCli(['compare', go, join(out, 'nope'), '--out', join(out, 'cmp3')]);
    expect(r3.code).toBe(2);
    expect(r3.stderr).toMatch(/is not a run folder/);
  });
});

function writeConfig(dir: string, c: object): string {
  const f = join(dir, `cfg-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(f, JSON.stringify(c));
  return f;
}
