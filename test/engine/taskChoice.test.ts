/** One task per training step, drawn in proportion to its weight. */
import { describe, expect, it } from 'vitest';
import { pickWeighted } from '../../src/engine/loop.js';
import { stream } from '../../src/core/rng.js';
import { TASK_SETS, paperWeight } from '../../tasks/sets.js';

describe('pickWeighted', () => {
  it('equal weights give floor(u n) exactly (single- and equal-weight runs draw as they always did)', () => {
    const r = stream(1, 'task-choice');
    for (let i = 0; i < 10_000; i++) {
      const u = r.next();
      expect(pickWeighted(u, [1, 1, 1, 1, 1, 1])).toBe(Math.floor(u * 6));
    }
    expect(pickWeighted(1 - 2 ** -53, [1, 1, 0])).toBe(1);
    expect(pickWeighted(0, [0, 2, 1])).toBe(1);
  });

  it('the paper\'s mix: Ctx DM 1 and 2 each 5/28 of steps, every other task 1/28 (chi-square over 56,000 steps)', () => {
    const w = TASK_SETS.all.map(paperWeight);
    expect(w.reduce((a, b) => a + b)).toBe(28);
    const counts = new Array(20).fill(0);
    const n = 56_000;
    for (let s = 1; s <= n; s++) counts[pickWeighted(stream(7, 'task-choice', s).next(), w)]++;
    let chi2 = 0;
    for (let i = 0; i < 20; i++) {
      const e = (n * w[i]) / 28;
      chi2 += (counts[i] - e) ** 2 / e;
    }
    // 19 degrees of freedom: P(chi2 > 43.8) = 0.001
    expect(chi2).toBeLessThan(43.8);
    expect(counts[TASK_SETS.all.indexOf('ctxdm1')] / n).toBeCloseTo(5 / 28, 2);
  });
});
