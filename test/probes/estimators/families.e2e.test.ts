/**
 * The default estimator of a layer against its stimulus on every kind of code (families.ts), with
 * truths from the exact posterior, at 200 and 2,000 samples and two seeds: the targets of the
 * layer-MI issue.
 *
 * - Honest everywhere: the interval contains the truth (one-sided for a bound); on every null its
 *   lower end is 0.
 * - Tight at 2,000 samples: within 0.25 x truth + 0.1 nats on at least 12 of the 13 kinds.
 * - Never 'ok' when off that tolerance, at either size.
 *
 * Slow (a few seconds per kind at 2,000 samples), so on the full level.
 */
import { describe, expect, it } from 'vitest';
import { estimate } from '../../../probes/estimators/estimate.js';
import { layerFamilies } from '../../../probes/estimators/layerFamilies.js';

const tolerance = (truth: number) => 0.25 * truth + 0.1;

describe('the default layer estimator on every kind of code', () => {
  const families = layerFamilies();

  it('has one family per kind: 9 codes and 4 nulls, truths between 0.5 and 2 nats where not null', () => {
    expect(families).toHaveLength(13);
    for (const f of families) {
      if (f.name.startsWith('null')) expect(f.truth, f.name).toBe(0);
      else {
        expect(f.truth, f.name).toBeGreaterThan(0.5);
        expect(f.truth, f.name).toBeLessThan(2);
      }
    }
  });

  for (const n of [200, 2000]) {
    it(`n = ${n}: intervals cover the truth, nulls start at 0, nothing off is ok${n === 2000 ? ', and 12 of 13 kinds are tight' : ''}`, () => {
      for (const seed of [1, 2]) {
        let tight = 0;
        for (const f of families) {
          const { x, y } = f.sample(n, seed);
          const e = estimate(x, y, { seed, circular: f.continuous });
          const what = `${f.name}, n ${n}, seed ${seed}: ${e.value.toFixed(3)} [${e.ci95?.join(', ')}] ${e.reliability} vs ${f.truth.toFixed(3)}`;
          expect(e.estimator, what).toBe('decoder');
          expect(e.ci95, what).toBeDefined();
          expect((e.ci95 as [number, number])[0], what).toBeLessThanOrEqual(f.truth + 1e-9);
          expect((e.ci95 as [number, number])[1], what).toBeGreaterThanOrEqual(f.truth - 1e-9);
          if (f.truth === 0) expect((e.ci95 as [number, number])[0], what).toBe(0);
          const off = Math.abs(e.value - f.truth) > tolerance(f.truth);
          if (off) expect(e.reliability, what).not.toBe('ok');
          else tight++;
        }
        if (n === 2000) expect(tight, `seed ${seed}`).toBeGreaterThanOrEqual(12);
      }
    });
  }
});
