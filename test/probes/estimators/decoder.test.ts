/**
 * The decoder bound on 256-unit layers with a Monte Carlo truth: the older layer cases (layerCases.ts:
 * class means on a ring, isotropic or correlated noise), and one family of each kind of code at 200
 * samples (the full ladder of 13 kinds at 2,000 samples is families.e2e.test.ts). Tolerance: the
 * issue's 0.25 x truth + 0.1 nats; the Monte Carlo truths have a standard error below 0.01 nats.
 */
import { describe, expect, it } from 'vitest';
import { decoderBound } from '../../../probes/estimators/decoder.js';
import { estimate } from '../../../probes/estimators/estimate.js';
import { prepareLayer } from '../../../probes/estimators/features.js';
import { pairwiseSqDist } from '../../../probes/estimators/kde.js';
import { layerCases } from '../../../probes/estimators/layerCases.js';
import { layerFamilies } from '../../../probes/estimators/layerFamilies.js';
import { EstimatorInputError, type Samples } from '../../../probes/estimators/types.js';

describe('decoder bound on layer-like data', () => {
  const cases = layerCases();

  it('the older cases: within 0.25 x truth + 0.1 nats at 2,000 samples, and a bound (up to sampling error)', () => {
    for (const [i, c] of cases.entries()) {
      const { x, y } = c.sample(2000, 3);
      const r = decoderBound(x as Samples, y as Int32Array, { seed: 3 });
      expect(Math.abs(r.value - c.truth), `case ${i}: ${r.value} vs ${c.truth}`).toBeLessThanOrEqual(0.25 * c.truth + 0.1);
      expect(r.value).toBeLessThanOrEqual(c.truth + 0.03);
    }
  });

  it('at 200 samples: a bound whose one-sided interval covers the truth, and never ok while off', () => {
    for (const c of [...cases, ...layerFamilies().filter((f) => !f.continuous)]) {
      const { x, y } = c.sample(200, 5);
      const e = estimate(x, y, { seed: 5 });
      expect(e.estimator, c.name).toBe('decoder');
      expect(e.bound).toBe('lower');
      expect(e.value, c.name).toBeLessThanOrEqual(c.truth + 0.05);
      expect(e.ci95?.[0] ?? Infinity, c.name).toBeLessThanOrEqual(Math.max(0, Math.min(e.value, c.truth)) + 1e-9);
      expect(e.ci95?.[1] ?? -Infinity, c.name).toBeGreaterThanOrEqual(c.truth);
      if (Math.abs(e.value - c.truth) > 0.25 * c.truth + 0.1) expect(e.reliability, `${c.name}: ${e.value} vs ${c.truth}`).not.toBe('ok');
    }
  });

  it('the components from the distance matrix give the bound the samples give', () => {
    const { x, y } = cases[1].sample(200, 2);
    const a = prepareLayer(x as Samples, 16, 1);
    const b = prepareLayer(x as Samples, 16, 1, pairwiseSqDist);
    expect(b.pcs.q).toBe(a.pcs.q);
    const ea = estimate(x, y, { seed: 1 });
    const eb = estimate(x, y, { seed: 1, sqDist: pairwiseSqDist });
    // the same kept subspace up to its estimation error, in which every member is invariant to a
    // change of basis: far below the bound's own sampling spread (~0.1 nats here)
    expect(Math.abs(ea.value - eb.value)).toBeLessThan(0.05);
  });

  it('refuses one class, and classes smaller than the folds, in one sentence', () => {
    const { x } = cases[0].sample(40, 1);
    expect(() => decoderBound(x as Samples, new Int32Array(40))).toThrow(EstimatorInputError);
    const few = Int32Array.from({ length: 40 }, (_, i) => (i < 3 ? 1 : 0));
    expect(() => decoderBound(x as Samples, few)).toThrow(/a class has 3 samples, fewer than the 5 cross-validation folds/);
  });
});
