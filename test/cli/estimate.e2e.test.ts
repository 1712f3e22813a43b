import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers.js';

const dir = tempDir('infoscope-est-');
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const rows = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join('\n') + '\n';

describe('infoscope estimate', () => {
  const x = file('x.csv', 'a,b\n' + rows(300, (i) => `${Math.sin(i)},${Math.cos(i * 1.3)}`));
  const y = file('y.csv', rows(300, (i) => `${Math.sin(i) + 0.3 * Math.sin(i * 7.1)}`));
  const labels = file('s.csv', rows(300, (i) => `${i % 4}`));

  it('prints one JSON object with the value in the unit asked, interval and null', async () => {
    const r = await runCli(['estimate', '--x', x, '--y', y, '--ci', '--permutations', '20', '--seed', '3']);
    expect(r.code).toBe(0);
    const e = JSON.parse(r.stdout);
    expect(e).toMatchObject({ estimator: 'ksg', unit: 'nats', n: 300, params: { k: 3, seed: 3 } });
    expect(e.ci95[0]).toBeLessThan(e.value);
    expect(e.ci95[1]).toBeGreaterThan(e.value);
    expect(e.null.p).toBeLessThan(0.1);
    const b = JSON.parse((await runCli(['estimate', '--x', x, '--y', y, '--seed', '3', '--unit', 'bits'])).stdout);
    expect(b.unit).toBe('bits');
    expect(b.value).toBeCloseTo(e.value / Math.LN2, 10);
  });

  it('reads a one-column integer file as labels with --y-discrete', async () => {
    const r = await runCli(['estimate', '--x', y, '--y', labels, '--y-discrete', '--estimator', 'ross']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).estimator).toBe('ross');
  });

  const bad: Array<[string, string[], RegExp]> = [
    ['a ragged row', ['--x', file('r.csv', '1,2\n3\n4,5\n'), '--y', file('r2.csv', '1\n2\n3\n')], /line 2 has 1 columns, expected 2/],
    ['a NaN cell', ['--x', file('n.csv', '1\nNaN\n3\n4\n5\n'), '--y', file('n2.csv', '1\n2\n3\n4\n5\n')], /line 2 column 1 is not a finite number: "NaN"/],
    ['a non-numeric cell', ['--x', file('t.csv', 'x\n1\n2\nfoo\n4\n5\n'), '--y', file('t2.csv', '1\n2\n3\n4\n5\n')], /line 4 column 1 is not a finite number: "foo"/],
    ['different row counts', ['--x', file('c1.csv', '1\n2\n3\n4\n5\n'), '--y', file('c2.csv', '1\n2\n3\n4\n')], /x has 5 samples but y has 4/],
    ['n <= k', ['--x', file('k1.csv', '1\n2\n3\n'), '--y', file('k2.csv', '3\n1\n2\n'), '--k', '3'], /needs more samples than neighbours: n = 3, k = 3/],
    ['an empty file', ['--x', file('e.csv', ''), '--y', file('e2.csv', '1\n')], /is empty/],
    ['a missing file', ['--x', join(dir, 'nope.csv'), '--y', file('m.csv', '1\n')], /cannot read X file/],
    ['labels that are not integers', ['--x', file('l1.csv', '1\n2\n3\n4\n5\n'), '--y', file('l2.csv', '0\n1.5\n0\n1\n1\n'), '--y-discrete'], /not an integer label/],
  ];
  for (const [what, args, re] of bad) {
    it(`refuses ${what} with one sentence and exit code 2`, async () => {
      const r = await runCli(['estimate', ...args]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(re);
    });
  }
});
