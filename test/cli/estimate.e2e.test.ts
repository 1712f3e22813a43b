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

  // a 40 x 6 layer of noise, for the decoder's refusals
  const layer40 = file('layer40.csv', Array.from({ length: 40 }, (_, i) => Array.from({ length: 6 }, (_, j) => Math.sin(i * 7 + j * 3 + i * j).toFixed(4)).join(',')).join('\n'));
  const bad: Array<[string, string[], RegExp]> = [
    ['a ragged row', ['--x', file('r.csv', '1,2\n3\n4,5\n'), '--y', file('r2.csv', '1\n2\n3\n')], /line 2 has 1 columns, expected 2/],
    ['a NaN cell', ['--x', file('n.csv', '1\nNaN\n3\n4\n5\n'), '--y', file('n2.csv', '1\n2\n3\n4\n5\n')], /line 2 column 1 is not a finite number: "NaN"/],
    ['a non-numeric cell', ['--x', file('t.csv', 'x\n1\n2\nfoo\n4\n5\n'), '--y', file('t2.csv', '1\n2\n3\n4\n5\n')], /line 4 column 1 is not a finite number: "foo"/],
    ['different row counts', ['--x', file('c1.csv', '1\n2\n3\n4\n5\n'), '--y', file('c2.csv', '1\n2\n3\n4\n')], /x has 5 samples but y has 4/],
    ['n <= k', ['--x', file('k1.csv', '1\n2\n3\n'), '--y', file('k2.csv', '3\n1\n2\n'), '--k', '3'], /needs more samples than neighbours: n = 3, k = 3/],
    ['an empty file', ['--x', file('e.csv', ''), '--y', file('e2.csv', '1\n')], /is empty/],
    ['a missing file', ['--x', join(dir, 'nope.csv'), '--y', file('m.csv', '1\n')], /cannot read X file/],
    ['labels that are not integers', ['--x', file('l1.csv', '1\n2\n3\n4\n5\n'), '--y', file('l2.csv', '0\n1.5\n0\n1\n1\n'), '--y-discrete'], /not an integer label/],
    // the decoder on a continuous scalar against a layer
    ['a direction outside [0, 2 pi)', ['--x', file('th.csv', Array.from({ length: 40 }, (_, i) => String(i === 7 ? 7.5 : i * 0.15)).join('\n')), '--y', layer40, '--x-circular'], /read as a direction in radians on \[0, 2 pi\), but row 8 holds 7.5; wrap it \(mod 2 pi\) first/],
    ['a continuous scalar with ties', ['--x', file('ti.csv', Array.from({ length: 40 }, (_, i) => String(i % 10)).join('\n')), '--y', layer40], /x has 30 tied values: the decoder reads a continuous variable/],
    ['a constant scalar', ['--x', file('co.csv', Array.from({ length: 40 }, () => '1').join('\n')), '--y', layer40], /x is constant/],
    ['a class with fewer trials than the folds', ['--x', layer40, '--y', file('cl.csv', Array.from({ length: 40 }, (_, i) => String(i < 3 ? 1 : 0)).join('\n')), '--y-discrete'], /a class has 3 samples, fewer than the 5 cross-validation folds/],
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
