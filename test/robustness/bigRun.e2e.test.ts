/**
 * A run with more probe records than a call can take as arguments (~125,000: what probes every 100
 * steps for 20,000 steps write) reports, compares and summarises: no reader spreads a record-sized
 * array into a call. Built from the small fixture run, its step-0 records repeated at 220 steps.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureRun, runCli, tempDir } from '../helpers.js';

describe('a run of 130,000 probe records', () => {
  it('reports and compares', async () => {
    const dir = tempDir();
    const run = join(dir, 'big');
    cpSync(fixtureRun(dir), run, { recursive: true });
    const lines = readFileSync(join(run, 'probes.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const base = lines.filter((r) => r.step === 0);
    const out: string[] = [];
    for (let s = 0; out.length < 130_000; s++) for (const r of base) out.push(JSON.stringify({ ...r, step: s }));
    writeFileSync(join(run, 'probes.jsonl'), out.join('\n') + '\n');
    const r = await runCli(['report', run, '--no-png']);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(run, 'report.html'), 'utf8')).toContain('<svg');
    const c = await runCli(['compare', run, fixtureRun(dir, 'small-2'), '--out', join(dir, 'cmp')]);
    expect(c.code, c.stderr).toBe(0);
  }, 120_000);
});
