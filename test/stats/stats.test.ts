import { describe, expect, it } from 'vitest';
import { Xoshiro128 } from '../../src/core/rng.js';
import { cliffsDelta, hedgesG, meanInterval, permutationTest, ranks, regIncBeta, studentTCdf, studentTQuantile } from '../../src/stats/stats.js';

describe('Student t', () => {
  it('matches tabulated quantiles', () => {
    // two-sided 95 % critical values from any t table (to the 4 decimals tables print)
    const table: Array<[number, number]> = [[1, 12.7062], [2, 4.3027], [4, 2.7764], [9, 2.2622], [29, 2.0452], [1000, 1.9623]];
    for (const [df, q] of table) expect(studentTQuantile(0.975, df)).toBeCloseTo(q, 3);
    expect(studentTCdf(0, 5)).toBeCloseTo(0.5, 12);
    expect(studentTCdf(-2.7764451, 4)).toBeCloseTo(0.025, 6);
  });
  it('regularised incomplete beta has its closed forms', () => {
    // I_x(1, b) = 1 - (1 - x)^b ; I_x(a, 1) = x^a
    for (const x of [0.1, 0.5, 0.9]) {
      expect(regIncBeta(x, 1, 3)).toBeCloseTo(1 - (1 - x) ** 3, 12);
      expect(regIncBeta(x, 2.5, 1)).toBeCloseTo(x ** 2.5, 12);
    }
  });
});

describe('meanInterval', () => {
  it('covers the true mean about 95 % of the time for normal samples of 3 and 5 seeds', () => {
    const rng = Xoshiro128.fromKey('coverage-test');
    for (const n of [3, 5]) {
      let hit = 0;
      const reps = 4000;
      for (let r = 0; r < reps; r++) {
        const v = Array.from({ length: n }, () => 2 + 0.5 * rng.normal());
        const m = meanInterval(v);
        if (m.ci95 && m.ci95[0] <= 2 && 2 <= m.ci95[1]) hit++;
      }
      // binomial sd at 4000 reps is 0.0034: +-0.015 is over 4 sd
      expect(hit / reps).toBeGreaterThan(0.935);
      expect(hit / reps).toBeLessThan(0.965);
    }
  });
  it('leaves out non-finite values and says how many entered', () => {
    const m = meanInterval([1, 2, NaN, Infinity, 3]);
    expect(m.n).toBe(3);
    expect(m.mean).toBe(2);
    expect(meanInterval([4]).ci95).toBeNull();
    expect(meanInterval([]).n).toBe(0);
  });
});

describe('permutationTest', () => {
  it('gives the exact p of a complete separation of 3 vs 3 seeds (2 of 20 relabellings)', () => {
    const r = permutationTest([1, 2, 3], [10, 11, 12]);
    expect(r?.exact).toBe(true);
    expect(r?.permutations).toBe(20);
    expect(r?.p).toBeCloseTo(0.1, 12);
    expect(r?.statistic).toBe('mean');
  });
  it('is uniform under the null: about 5 % of p-values are <= 0.05', () => {
    const rng = Xoshiro128.fromKey('null-test');
    let rejections = 0;
    const reps = 600;
    for (let i = 0; i < reps; i++) {
      const a = Array.from({ length: 6 }, () => rng.normal());
      const b = Array.from({ length: 6 }, () => rng.normal());
      if ((permutationTest(a, b)?.p ?? 1) <= 0.05) rejections++;
    }
    // discrete exact test (924 relabellings): size <= 0.05; binomial sd 0.009 at 600 reps
    expect(rejections / reps).toBeLessThan(0.08);
    expect(rejections / reps).toBeGreaterThan(0.02);
  });
  it('detects a large shift and uses ranks when a target was never reached', () => {
    const r = permutationTest([5, 6, 7, 8, 9], [20, 21, 22, Infinity, Infinity]);
    expect(r?.statistic).toBe('rank');
    expect(r?.p).toBeLessThan(0.01);
    expect(permutationTest([1], [2, 3])).toBeNull();
  });
  it('samples relabellings (seeded) when there are too many to enumerate', () => {
    const a = Array.from({ length: 20 }, (_, i) => i);
    const b = Array.from({ length: 20 }, (_, i) => i + 0.5);
    const r1 = permutationTest(a, b, { maxExact: 1000, rounds: 2000 });
    const r2 = permutationTest(a, b, { maxExact: 1000, rounds: 2000 });
    expect(r1?.exact).toBe(false);
    expect(r1?.p).toBe(r2?.p);
    expect(r1?.p).toBeGreaterThan(0.5);
  });
});

describe('effect sizes', () => {
  it("Hedges' g recovers a known standardised difference", () => {
    const rng = Xoshiro128.fromKey('g-test');
    const a = Array.from({ length: 4000 }, () => 1 + rng.normal());
    const b = Array.from({ length: 4000 }, () => rng.normal());
    // sd of g at n = 4000 per side is about 0.023
    expect(hedgesG(a, b) as number).toBeCloseTo(1, 1);
  });
  it("Cliff's delta counts pairs", () => {
    expect(cliffsDelta([3, 4], [1, 2])).toBe(1);
    expect(cliffsDelta([1, 3], [2, 2])).toBe(0);
    expect(cliffsDelta([Infinity], [5])).toBe(1);
  });
  it('ranks share ties', () => {
    expect(ranks([10, 20, 20, Infinity])).toEqual([1, 2.5, 2.5, 4]);
  });
});
