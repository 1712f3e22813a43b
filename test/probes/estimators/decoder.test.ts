/**
 * The decoder bound on 8-class, 256-unit layers with a Monte Carlo truth (layerCases.ts). Targets of
 * the trust issue: within 0.25 x truth + 0.1 nats at 2,000 samples; a lower bound (up to sampling
 * error) at 200. The tolerance is the issue's; the Monte Carlo truth has a standard error below 0.005.
 */
import { describe, expect, it } from 'vitest';
import { decoderBound, decoderBoundReduced } from '../../../probes/estimators/decoder.js';
import { reduceFromDistances, reduceLayer } from '../../../probes/estimators/pca.js';
import { estimate } from '../../../probes/estimators/estimate.js';
import { pairwiseSqDist } from '../../../probes/estimators/kde.js';
import { layerCases } from '../../../probes/estimators/layerCases.js';
import { EstimatorInputError, type Samples } from '../../../probes/estimators/types.js';

describe('decoder bound on layer-like data', () => {
  const cases = layerCases();

  it('the cases span weak to saturating information (truths by Monte Carlo)', () => {
    const truths = cases.map((c) => c.truth);
    expect(truths[0]).toBeGreaterThan(0.3);
    expect(truths[0]).toBeLessThan(1.5);
    expect(truths[truths.length - 1]).toBeGreaterThan(1.9);
    for (const t of truths) expect(t).toBeLessThanOrEqual(Math.log(8) + 1e-9);
  });

  for (const [i, c] of cases.entries()) {
    it(`${c.name}: at 2,000 samples within 0.25 x truth + 0.1 nats, and never above the truth by more than sampling error`, () => {
      const { x, y } = c.sample(2000, 3);
      const r = decoderBound(x as Samples, y as Int32Array, { seed: 3 });
      expect(Math.abs(r.value - c.truth), `case ${i}: ${r.value} vs ${c.truth}`).toBeLessThanOrEqual(0.25 * c.truth + 0.1);
      expect(r.value).toBeLessThanOrEqual(c.truth + 0.03);
    });
  }

  it('at 200 samples stays below the truth (a bound), with its interval reaching the truth', () => {
    for (const c of cases) {
      const { x, y } = c.sample(200, 5);
      const e = estimate(x, y, { seed: 5 });
      expect(e.estimator).toBe('decoder');
      expect(e.bound).toBe('lower');
      expect(e.value).toBeLessThanOrEqual(c.truth + 0.05);
      expect(e.ci95?.[0] ?? Infinity).toBeLessThanOrEqual(c.truth);
      // one-sided: from below the value up to what the labels allow, and so covering the truth
      expect(e.ci95?.[0] ?? Infinity).toBeLessThanOrEqual(e.value);
      expect(e.ci95?.[1] ?? -Infinity).toBeGreaterThanOrEqual(c.truth);
    }
  });

  it('the projection from the distance matrix gives the same bound as the one from the samples', () => {
    const { x, y } = cases[1].sample(200, 2);
    const a = decoderBoundReduced(reduceLayer(x as Samples, 16, 1), y as Int32Array, { seed: 1 });
    const b = decoderBoundReduced(reduceFromDistances(pairwiseSqDist(x as Samples), 200, 256, 16, 1), y as Int32Array, { seed: 1 });
    expect(b.dims).toBe(a.dims);
    // both randomised projections find the same kept subspace up to its estimation error; LDA is invariant
    // to a change of basis inside it, so what is left is far below the bound's own sampling spread (~0.1 nats here)
    expect(Math.abs(a.value - b.value)).toBeLessThan(0.05);
  });

  it('refuses one class, and classes smaller than the folds, in one sentence', () => {
    const { x } = cases[0].sample(40, 1);
    expect(() => decoderBound(x as Samples, new Int32Array(40))).toThrow(EstimatorInputError);
    const few = Int32Array.from({ length: 40 }, (_, i) => (i < 3 ? 1 : 0));
    expect(() => decoderBound(x as Samples, few)).toThrow(/a class has 3 samples, fewer than the 5 cross-validation folds/);
  });
});
